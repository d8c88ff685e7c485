package dev.vertxshop.contracts.catalog;

import dev.vertxshop.platform.json.Fields;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/** A category: its id (a slug, {@link ProductFields#CATEGORY}) and its display name. */
public record Category(String id, String name) {

  private static final Set<String> FIELDS = Set.of("id", "name");

  static Category read(Fields f) {
    f.only(FIELDS);
    return new Category(f.string("id"), f.string("name"));
  }

  public JsonObject toJson() {
    return new JsonObject().put("id", id).put("name", name);
  }
}
