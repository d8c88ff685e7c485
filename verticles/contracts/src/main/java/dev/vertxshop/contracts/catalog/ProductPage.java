package dev.vertxshop.contracts.catalog;

import dev.vertxshop.platform.bus.BusMessage;
import dev.vertxshop.platform.json.Fields;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;

/** The reply of {@link CatalogContract#LIST_PRODUCTS}: a page of products and the total of the category (or catalog). */
public record ProductPage(List<Product> items, int page, int size, long total) implements BusMessage {

  private static final Set<String> FIELDS = Set.of("items", "page", "size", "total");

  public ProductPage {
    items = List.copyOf(items);
  }

  public static ProductPage fromJson(Object json) {
    Fields f = Fields.of(json).only(FIELDS);
    return new ProductPage(f.list("items", 0, ListProducts.MAX_SIZE, (item, path) -> Product.read(Fields.of(item, path))),
        (int) f.integer("page", 1, ListProducts.MAX_PAGE), (int) f.integer("size", 1, ListProducts.MAX_SIZE),
        f.integer("total", 0, Long.MAX_VALUE));
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject().put("items", ProductList.array(items)).put("page", page).put("size", size).put("total", total);
  }
}
