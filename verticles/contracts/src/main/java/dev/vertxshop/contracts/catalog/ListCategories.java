package dev.vertxshop.contracts.catalog;

import dev.vertxshop.platform.bus.BusMessage;
import dev.vertxshop.platform.json.Fields;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/** {@link CatalogContract#LIST_CATEGORIES}: every category; the request has no fields ({@code {}}). */
public record ListCategories() implements BusMessage {

  public static ListCategories fromJson(Object body) {
    Fields.of(body).only(Set.of());
    return new ListCategories();
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject();
  }
}
