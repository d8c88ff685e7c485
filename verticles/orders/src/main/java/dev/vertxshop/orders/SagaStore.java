package dev.vertxshop.orders;

import dev.vertxshop.contracts.orders.OrdersContract;
import dev.vertxshop.platform.kafka.Outbox;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The persisted state of checkout sagas and their leases. Every change names the owner that makes it:
 * a replica whose lease was taken over changes nothing (the call reports false or null) and stops.
 */
final class SagaStore {

  private final Pool pool;
  private final String owner;
  private final double leaseSeconds;

  SagaStore(Pool pool, String owner, Duration lease) {
    this.pool = pool;
    this.owner = owner;
    this.leaseSeconds = OrderStore.seconds(lease);
  }

  String owner() {
    return owner;
  }

  /**
   * A saga as its executor needs it: where it stands, what to reserve and charge, how many runs its current
   * step has had ({@code stepRuns}, this one included), whether it waits for an operator, and when it began
   * ({@code bornNanos}, on this JVM's monotonic clock, from the database's age of the saga when loaded).
   */
  record Saga(UUID orderId, UUID userId, SagaState state, boolean chargeAttempted, String paymentId,
      String cancelReason, String cancelMessage, long totalMinor, String currency, List<ReservedLine> lines,
      int stepRuns, boolean attention, long bornNanos) {

    /** RESERVING → CHARGING at the reservation's prices: {@code totalMinor} is what is charged from here on. */
    Saga charging(long total) {
      return new Saga(orderId, userId, SagaState.CHARGING, true, paymentId, cancelReason, cancelMessage, total, currency,
          lines, 1, attention, bornNanos);
    }

    Saga withPayment(String id) {
      return new Saga(orderId, userId, SagaState.COMMITTING, chargeAttempted, id, cancelReason, cancelMessage,
          totalMinor, currency, lines, 1, attention, bornNanos);
    }

    Saga compensating(String reason, String message) {
      return new Saga(orderId, userId, SagaState.COMPENSATING, chargeAttempted, paymentId, reason, message,
          totalMinor, currency, lines, 1, attention, bornNanos);
    }

    /** How long ago the checkout placed this saga. */
    Duration age() {
      return Duration.ofNanos(System.nanoTime() - bornNanos);
    }
  }

  /** A line to reserve: product and units. */
  record ReservedLine(UUID productId, int quantity) {
  }

  /** The saga of {@code orderId} if it is running and ours or free (now ours), else null. */
  Future<Saga> claim(UUID orderId) {
    return pool.preparedQuery(OrdersQueries.CLAIM_SAGA).execute(Tuple.of(orderId, owner, leaseSeconds))
        .compose(rows -> rows.size() == 0 ? Future.succeededFuture(null) : load(List.of(orderId)).map(sagas -> sagas.isEmpty() ? null : sagas.get(0)));
  }

  /** Up to {@code limit} running sagas whose lease ran out, now ours. */
  Future<List<Saga>> claimDue(int limit) {
    return pool.preparedQuery(OrdersQueries.CLAIM_DUE_SAGAS).execute(Tuple.of(owner, leaseSeconds, (long) limit))
        .compose(rows -> {
          List<UUID> ids = new ArrayList<>();
          rows.forEach(row -> ids.add(row.getUUID("order_id")));
          return ids.isEmpty() ? Future.succeededFuture(List.of()) : load(ids);
        });
  }

  private Future<List<Saga>> load(List<UUID> ids) {
    UUID[] array = ids.toArray(UUID[]::new);
    return pool.preparedQuery(OrdersQueries.LOAD_SAGAS).execute(Tuple.of((Object) array)).compose(sagas ->
        pool.preparedQuery(OrdersQueries.LINES_OF).execute(Tuple.of((Object) array)).map(lineRows -> {
          Map<UUID, List<ReservedLine>> lines = new HashMap<>();
          lineRows.forEach(line -> lines.computeIfAbsent(line.getUUID("order_id"), id -> new ArrayList<>())
              .add(new ReservedLine(line.getUUID("product_id"), line.getInteger("quantity"))));
          List<Saga> out = new ArrayList<>();
          long now = System.nanoTime();
          for (Row row : sagas) {
            UUID orderId = row.getUUID("order_id");
            long born = now - (long) (row.getDouble("age_seconds") * 1e9);
            out.add(new Saga(orderId, row.getUUID("user_id"), SagaState.valueOf(row.getString("state")),
                row.getBoolean("charge_attempted"), row.getString("payment_id"), row.getString("cancel_reason"),
                row.getString("cancel_message"), row.getLong("total_minor"), row.getString("currency"),
                List.copyOf(lines.getOrDefault(orderId, List.of())), row.getInteger("step_runs"),
                row.getBoolean("attention"), born));
          }
          return out;
        }));
  }

  /** Extends the leases of the sagas this replica drives; returns those still ours. */
  Future<Set<UUID>> renew(Collection<UUID> ids) {
    return pool.preparedQuery(OrdersQueries.RENEW_LEASES)
        .execute(Tuple.of(owner, leaseSeconds, ids.toArray(UUID[]::new)))
        .map(rows -> {
          Set<UUID> kept = new HashSet<>();
          rows.forEach(row -> kept.add(row.getUUID("order_id")));
          return kept;
        });
  }

  /** Frees every running saga of this replica for the others (graceful stop). */
  Future<Integer> releaseAll() {
    return pool.preparedQuery(OrdersQueries.RELEASE_LEASES).execute(Tuple.of(owner)).map(rows -> rows.rowCount());
  }

  /** Lets the saga rest for {@code delay}, owned by nobody, then any replica's sweep takes it; keeps why. */
  Future<Boolean> defer(UUID orderId, Duration delay, String lastError) {
    return pool.preparedQuery(OrdersQueries.DEFER_SAGA)
        .execute(Tuple.of(orderId, owner, OrderStore.seconds(delay), lastError))
        .map(rows -> rows.rowCount() == 1);
  }

  /**
   * In one transaction: the saga (COMMITTING or COMPENSATING) marked for an operator and resting for
   * {@code delay}, its order NEEDS_ATTENTION. False when the saga is no longer ours (or already marked).
   */
  Future<Boolean> needsAttention(UUID orderId, Duration delay, String lastError) {
    return pool.withTransaction(tx -> tx.preparedQuery(OrdersQueries.SAGA_NEEDS_ATTENTION)
        .execute(Tuple.of(orderId, owner, OrderStore.seconds(delay), lastError))
        .compose(saga -> saga.rowCount() == 0
            ? Future.succeededFuture(false)
            : tx.preparedQuery(OrdersQueries.ORDER_NEEDS_ATTENTION).execute(Tuple.of(orderId)).map(order -> true)));
  }

  /**
   * In one transaction: RESERVING → CHARGING, and the order's lines and total at the reservation's {@code prices}
   * (what is charged); from here on compensation also cancels the payment. False, nothing changed, when the saga is
   * no longer ours.
   */
  Future<Boolean> toCharging(UUID orderId, ReservedPrices prices) {
    return pool.withTransaction(tx -> tx.preparedQuery(OrdersQueries.TO_CHARGING).execute(Tuple.of(orderId, owner, leaseSeconds))
        .compose(saga -> {
          if (saga.rowCount() == 0) {
            return Future.succeededFuture(false);
          }
          List<Tuple> lines = prices.lines().values().stream()
              .map(line -> Tuple.of(orderId, line.productId(), line.name(), line.unitPrice().amount())).toList();
          return tx.preparedQuery(OrdersQueries.REPRICE_LINE).executeBatch(lines)
              .compose(v -> tx.preparedQuery(OrdersQueries.REPRICE_ORDER).execute(Tuple.of(orderId, prices.totalMinor())))
              .compose(order -> order.rowCount() == 1 ? Future.succeededFuture(true)
                  // The saga was ours but the order is already decided: a bug somewhere, never a state to write over.
                  : Future.<Boolean>failedFuture(new IllegalStateException("order " + orderId + " is not PENDING")));
        }));
  }

  /** CHARGING → COMMITTING with the captured payment. */
  Future<Boolean> toCommitting(UUID orderId, String paymentId) {
    return pool.preparedQuery(OrdersQueries.TO_COMMITTING).execute(Tuple.of(orderId, owner, paymentId, leaseSeconds))
        .map(rows -> rows.rowCount() == 1);
  }

  /** Any forward state → COMPENSATING, remembering why the order will be cancelled. */
  Future<Boolean> toCompensating(UUID orderId, String reason, String message) {
    return pool.preparedQuery(OrdersQueries.TO_COMPENSATING).execute(Tuple.of(orderId, owner, reason, message, leaseSeconds))
        .map(rows -> rows.rowCount() == 1);
  }

  /** The end of a saga: the order as it now is, and how long the saga took since checkout. */
  record Finished(JsonObject order, Duration took) {
  }

  /**
   * In one transaction: saga COMMITTING → CONFIRMED, order CONFIRMED with its payment, and
   * {@code OrderConfirmed}. Null when the saga is no longer ours.
   */
  Future<Finished> confirm(UUID orderId, String paymentId) {
    return finish(orderId, SagaState.COMMITTING, SagaState.CONFIRMED, OrdersContract.ORDER_CONFIRMED,
        OrdersQueries.CONFIRM_ORDER, Tuple.of(orderId, paymentId));
  }

  /**
   * In one transaction: saga COMPENSATING → CANCELLED, order CANCELLED with reason and message, and
   * {@code OrderCancelled}. Null when the saga is no longer ours.
   */
  Future<Finished> cancel(UUID orderId, String reason, String message) {
    return finish(orderId, SagaState.COMPENSATING, SagaState.CANCELLED, OrdersContract.ORDER_CANCELLED,
        OrdersQueries.CANCEL_ORDER, Tuple.of(orderId, reason, message));
  }

  private Future<Finished> finish(UUID orderId, SagaState from, SagaState to, String eventType, String orderUpdate, Tuple orderArgs) {
    return pool.withTransaction(tx -> tx.preparedQuery(OrdersQueries.FINISH_SAGA)
        .execute(Tuple.of(orderId, owner, to.name(), from.name()))
        .compose(saga -> {
          if (saga.size() == 0) {
            return Future.succeededFuture(null);
          }
          Duration took = Duration.ofNanos((long) (saga.iterator().next().getDouble("seconds") * 1e9));
          return tx.preparedQuery(orderUpdate).execute(orderArgs)
              .compose(updated -> {
                if (updated.size() == 0) {
                  // The saga was ours but the order is already decided: a bug somewhere, never a state to write over.
                  return Future.failedFuture(new IllegalStateException("order " + orderId + " is not PENDING"));
                }
                return OrderStore.withLines(tx, updated);
              })
              .compose(orders -> Outbox.append(tx, OrdersContract.EVENTS_TOPIC, orderId.toString(), eventType, orders.get(0))
                  .map(eventId -> new Finished(orders.get(0), took)));
        }));
  }
}
