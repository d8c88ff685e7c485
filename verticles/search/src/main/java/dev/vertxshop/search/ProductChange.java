package dev.vertxshop.search;

import dev.vertxshop.contracts.catalog.CatalogContract;
import dev.vertxshop.platform.kafka.DomainEvent;
import io.vertx.core.json.JsonObject;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One change to apply to the index, read from a record of the product topic: an upsert carrying the
 * whole product, or a removal (a tombstone, which is how a compacted topic forgets a key).
 */
record ProductChange(String id, JsonObject product) {

  private static final Logger LOG = LoggerFactory.getLogger(ProductChange.class);
  static final int MAX_ID_LENGTH = 100;

  boolean isRemoval() {
    return product == null;
  }

  /**
   * The change a record stands for, or empty when it is not one this index can use (another event
   * type, not an envelope, a product missing what search needs); those are logged and skipped, since
   * no re-read would make them usable.
   */
  static Optional<ProductChange> from(String topic, int partition, long offset, String key, String value) {
    String where = topic + "/" + partition + "@" + offset;
    if (value == null) {
      if (key == null || key.isEmpty() || key.length() > MAX_ID_LENGTH) {
        LOG.warn("skipping a tombstone without a usable key at {}", where);
        return Optional.empty();
      }
      return Optional.of(new ProductChange(key, null));
    }
    DomainEvent event;
    try {
      event = DomainEvent.parse(topic, partition, offset, value, null);
    } catch (IllegalArgumentException e) {
      LOG.error("skipping a record that is not an event: {}", e.getMessage());
      return Optional.empty();
    }
    if (!CatalogContract.PRODUCT_UPSERTED.equals(event.type())) {
      LOG.debug("ignoring {} at {}", event.type(), where);
      return Optional.empty();
    }
    String problem = problem(event.data());
    if (problem != null) {
      LOG.error("skipping {} {} at {}: {}", event.type(), event.eventId(), where, problem);
      return Optional.empty();
    }
    return Optional.of(new ProductChange(event.data().getString("id"), event.data()));
  }

  /** What makes {@code product} unusable for the index, or null when it is fine. */
  static String problem(JsonObject product) {
    if (!(product.getValue("id") instanceof String id) || id.isEmpty() || id.length() > MAX_ID_LENGTH) {
      return "'id' is missing or not a short string";
    }
    if (!(product.getValue("name") instanceof String)) {
      return "'name' is missing or not a string";
    }
    Object description = product.getValue("description");
    if (description != null && !(description instanceof String)) {
      return "'description' is not a string";
    }
    if (!(product.getValue("category") instanceof String category) || category.isEmpty()) {
      return "'category' is missing or not a string";
    }
    if (!(product.getValue("price") instanceof JsonObject price)
        || !(price.getValue("amount") instanceof Integer || price.getValue("amount") instanceof Long)
        || price.getLong("amount") < 0) {
      return "'price.amount' is missing or not a non-negative integer";
    }
    return null;
  }
}
