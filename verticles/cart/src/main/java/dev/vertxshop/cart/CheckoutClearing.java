package dev.vertxshop.cart;

import dev.vertxshop.contracts.orders.OrdersContract;
import dev.vertxshop.platform.json.Fields;
import dev.vertxshop.platform.kafka.DomainEvent;
import dev.vertxshop.platform.kafka.Inbox;
import dev.vertxshop.platform.kafka.MalformedEventException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes checked-out units out of a cart when its order is confirmed ({@code OrderConfirmed} on
 * {@code shop.orders.events}). It subtracts the ordered quantities rather than emptying the cart:
 * whatever the user added after checking out stays. The event id goes into the inbox in the same
 * transaction, so a redelivered event subtracts nothing the second time.
 */
final class CheckoutClearing {

  private static final Logger LOG = LoggerFactory.getLogger(CheckoutClearing.class);

  /** The consumer group, and the consumer's name in the inbox. */
  static final String CONSUMER = "cart";

  private final Pool pool;

  CheckoutClearing(Pool pool) {
    this.pool = pool;
  }

  /** An order's units per product (duplicate lines added up). */
  record Checkout(UUID userId, Map<UUID, Integer> quantities) {
  }

  Future<?> handle(DomainEvent event) {
    if (!OrdersContract.ORDER_CONFIRMED.equals(event.type())) {
      return Future.succeededFuture();
    }
    Checkout checkout;
    try {
      if (!Fields.isUuid(event.eventId())) {
        throw new IllegalArgumentException("event id is not a UUID");
      }
      checkout = parse(event.data());
    } catch (IllegalArgumentException e) {
      // Retrying cannot fix a malformed event; holding the partition for it would stop every cart after it.
      // The consumer dead-letters it (with this reason) and goes on.
      return Future.failedFuture(new MalformedEventException("cannot clear a cart for this order: " + e.getMessage()));
    }
    return Inbox.once(pool, CONSUMER, event.eventId(), tx -> subtract(tx, checkout)).onSuccess(applied -> {
      if (applied) {
        LOG.info("cart of user {} cleared of order {} ({} products)", checkout.userId(), event.key(), checkout.quantities().size());
      } else {
        LOG.debug("order event {} already applied", event.eventId());
      }
    });
  }

  /** Reads the part of the order that matters here: {@code userId} and {@code lines[{productId, quantity}]}. */
  static Checkout parse(JsonObject order) {
    UUID userId = uuid(order.getValue("userId"), "userId");
    if (!(order.getValue("lines") instanceof JsonArray lines)) {
      throw new IllegalArgumentException("'lines' is not an array");
    }
    Map<UUID, Integer> quantities = new LinkedHashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      if (!(lines.getValue(i) instanceof JsonObject line)) {
        throw new IllegalArgumentException("lines[" + i + "] is not an object");
      }
      UUID productId = uuid(line.getValue("productId"), "lines[" + i + "].productId");
      Object quantity = line.getValue("quantity");
      if (!(quantity instanceof Integer || quantity instanceof Long) || ((Number) quantity).longValue() < 1
          || ((Number) quantity).longValue() > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("lines[" + i + "].quantity is not a positive integer");
      }
      quantities.merge(productId, ((Number) quantity).intValue(), (a, b) -> (int) Math.min(Integer.MAX_VALUE, (long) a + b));
    }
    return new Checkout(userId, quantities);
  }

  private static UUID uuid(Object value, String field) {
    if (!(value instanceof String text) || !Fields.isUuid(text)) {
      throw new IllegalArgumentException("'" + field + "' is not a UUID");
    }
    return UUID.fromString(text);
  }

  /** Under the cart's row lock, like every other change to a cart; no cart, nothing to clear. */
  private static Future<?> subtract(SqlConnection tx, Checkout checkout) {
    if (checkout.quantities().isEmpty()) {
      return Future.succeededFuture();
    }
    UUID[] products = checkout.quantities().keySet().toArray(new UUID[0]);
    Integer[] quantities = checkout.quantities().values().toArray(new Integer[0]);
    Tuple ordered = Tuple.of(checkout.userId(), products, quantities);
    return tx.preparedQuery(CartQueries.LOCK_CART).execute(Tuple.of(checkout.userId())).compose(cart -> {
      if (cart.size() == 0) {
        return Future.succeededFuture();
      }
      return tx.preparedQuery(CartQueries.DELETE_ORDERED).execute(ordered)
          .compose(deleted -> tx.preparedQuery(CartQueries.SUBTRACT_ORDERED).execute(ordered)
              .map(updated -> deleted.rowCount() + updated.rowCount()))
          .compose(changed -> changed == 0 ? Future.succeededFuture()
              : tx.preparedQuery(CartQueries.BUMP_CART).execute(Tuple.of(checkout.userId())));
    });
  }
}
