package dev.vertxshop.contracts.catalog;

import dev.vertxshop.platform.bus.BusMessage;
import dev.vertxshop.platform.errors.ServiceException;
import dev.vertxshop.platform.json.Fields;
import io.vertx.core.json.JsonObject;

/** {@link CatalogContract#CREATE_PRODUCT}: a new product's fields, on the wire as they are (stock required). */
public record CreateProduct(ProductFields product) implements BusMessage {

  public CreateProduct {
    if (product == null) {
      throw ServiceException.badRequest("the product is required");
    }
    if (product.stock() == null) {
      throw ServiceException.badRequest("'stock' is required");
    }
  }

  public static CreateProduct fromJson(Object body) {
    return new CreateProduct(ProductFields.read(Fields.of(body), true));
  }

  @Override
  public JsonObject toJson() {
    return product.toJson();
  }
}
