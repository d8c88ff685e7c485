package dev.vertxshop.contracts.catalog;

import dev.vertxshop.platform.bus.BusMessage;
import dev.vertxshop.platform.json.Fields;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;

/** The reply of {@link CatalogContract#GET_PRODUCTS}: the products that exist, in the order asked, each once. */
public record ProductList(List<Product> items) implements BusMessage {

  private static final Set<String> FIELDS = Set.of("items");

  public ProductList {
    items = List.copyOf(items);
  }

  public static ProductList fromJson(Object json) {
    Fields f = Fields.of(json).only(FIELDS);
    return new ProductList(f.list("items", 0, GetProducts.MAX_IDS, (item, path) -> Product.read(Fields.of(item, path))));
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject().put("items", array(items));
  }

  static JsonArray array(List<Product> products) {
    JsonArray array = new JsonArray();
    products.forEach(product -> array.add(product.toJson()));
    return array;
  }
}
