package dev.vertxshop.search;

import dev.vertxshop.contracts.catalog.CatalogContract;
import dev.vertxshop.platform.kafka.DomainEvent;
import dev.vertxshop.platform.kafka.MalformedEventException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One change to apply to the index, read from a record of the product topic: an upsert carrying the
 * whole product, or a removal (a tombstone, which is how a compacted topic forgets a key).
 */
record ProductChange(String id, JsonObject product) {

  /** Dead-letter reason: an envelope whose product lacks what the index needs, or a tombstone without a usable key. */
  static final String UNUSABLE = "unusable_product";

  private static final Logger LOG = LoggerFactory.getLogger(ProductChange.class);
  static final int MAX_ID_LENGTH = 100;

  boolean isRemoval() {
    return product == null;
  }

  /**
   * The change a record stands for; empty for an event that is none of the index's business (another
   * event type). A record that should be a product change and cannot be one fails with a
   * {@link MalformedEventException} (its reason: the envelope's, or {@link #UNUSABLE}), to be dead-lettered:
   * no re-read would make it usable.
   */
  static Optional<ProductChange> from(String topic, int partition, long offset, String key, Buffer value) {
    String where = topic + "/" + partition + "@" + offset;
    if (value == null) {
      if (key == null || key.isEmpty() || key.length() > MAX_ID_LENGTH) {
        throw new MalformedEventException(UNUSABLE, "a tombstone without a usable key at " + where);
      }
      return Optional.of(new ProductChange(key, null));
    }
    DomainEvent event = DomainEvent.parse(topic, partition, offset, value, null);
    if (!CatalogContract.PRODUCT_UPSERTED.equals(event.type())) {
      LOG.debug("ignoring {} at {}", event.type(), where);
      return Optional.empty();
    }
    String problem = problem(event.data());
    if (problem != null) {
      throw new MalformedEventException(UNUSABLE, event.type() + " " + event.eventId() + " at " + where + ": " + problem);
    }
    return Optional.of(new ProductChange(event.data().getString("id"), event.data()));
  }

  /** As {@link #from(String, int, long, String, Buffer)}, for a value given as text. */
  static Optional<ProductChange> from(String topic, int partition, long offset, String key, String value) {
    return from(topic, partition, offset, key, value == null ? null : Buffer.buffer(value));
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
