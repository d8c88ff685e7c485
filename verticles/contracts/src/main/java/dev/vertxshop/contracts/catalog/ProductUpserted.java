package dev.vertxshop.contracts.catalog;

import io.vertx.core.json.JsonObject;

/**
 * The domain event of every product change on {@link CatalogContract#PRODUCTS_TOPIC} (type {@value #TYPE},
 * key the product id): the envelope's {@code data} is the whole, current {@link Product}, as
 * {@link CatalogContract#GET_PRODUCT} answers it after the change.
 *
 * <p>Versions: the catalog has emitted one shape of {@code data} since its first release (this record's).
 * Consumers read events tolerantly (a later version may add fields; the search service's reader ignores
 * fields it does not use), so adding a field is compatible and removing or retyping one is not.
 */
public record ProductUpserted(Product product) {

  public static final String TYPE = CatalogContract.PRODUCT_UPSERTED;

  /** The topic's key: the product id. */
  public String key() {
    return product.id().toString();
  }

  /** The event's {@code data}. */
  public JsonObject toJson() {
    return product.toJson();
  }

  /** Reads {@code data} back strictly, as the catalog writes it. */
  public static ProductUpserted fromJson(Object data) {
    return new ProductUpserted(Product.fromJson(data));
  }
}
