package dev.vertxshop.contracts.catalog;

import dev.vertxshop.platform.bus.BusMessage;
import dev.vertxshop.platform.errors.ServiceException;
import dev.vertxshop.platform.json.Fields;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.UUID;

/**
 * {@link CatalogContract#UPDATE_PRODUCT}: every field of product {@code id} replaced by {@code product}
 * (whose {@code stock} may be null: kept), under {@code version} when not null.
 */
public record UpdateProduct(UUID id, ProductFields product, Long version) implements BusMessage {

  private static final Set<String> FIELDS = Set.of("id", "product", "version");

  public UpdateProduct {
    if (id == null) {
      throw ServiceException.badRequest("'id' is required");
    }
    if (product == null) {
      throw ServiceException.badRequest("'product' is required");
    }
    if (version != null && version < 1) {
      throw ServiceException.badRequest("'version' must be an integer between 1 and " + Long.MAX_VALUE);
    }
  }

  public static UpdateProduct fromJson(Object body) {
    Fields f = Fields.of(body).only(FIELDS);
    Long version = f.optionalInteger("version", 1, Long.MAX_VALUE);
    ProductFields product = ProductFields.read(f.object("product"), false);
    return new UpdateProduct(f.uuid("id"), product, version);
  }

  @Override
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("id", id.toString()).put("product", product.toJson());
    if (version != null) {
      json.put("version", version);
    }
    return json;
  }
}
