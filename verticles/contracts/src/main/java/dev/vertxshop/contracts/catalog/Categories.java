package dev.vertxshop.contracts.catalog;

import dev.vertxshop.platform.bus.BusMessage;
import dev.vertxshop.platform.json.Fields;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;

/** The reply of {@link CatalogContract#LIST_CATEGORIES}: every category, sorted by name. */
public record Categories(List<Category> items) implements BusMessage {

  /** More categories than any shop front can show; a bound for the reader, not a rule of the catalog. */
  static final int MAX_ITEMS = 10_000;
  private static final Set<String> FIELDS = Set.of("items");

  public Categories {
    items = List.copyOf(items);
  }

  public static Categories fromJson(Object json) {
    Fields f = Fields.of(json).only(FIELDS);
    return new Categories(f.list("items", 0, MAX_ITEMS, (item, path) -> Category.read(Fields.of(item, path))));
  }

  @Override
  public JsonObject toJson() {
    JsonArray array = new JsonArray();
    items.forEach(category -> array.add(category.toJson()));
    return new JsonObject().put("items", array);
  }
}
