package dev.vertxshop.orders;

import dev.vertxshop.contracts.orders.AdminListOrders;
import dev.vertxshop.contracts.orders.ListOrders;
import dev.vertxshop.contracts.orders.OrdersContract;
import dev.vertxshop.platform.errors.ServiceException;
import dev.vertxshop.platform.kafka.Outbox;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Orders in PostgreSQL: reading them as the contract shows them, and the checkout transaction that
 * creates an order, its lines, its idempotency key, its saga and its {@code OrderPlaced} event together.
 */
final class OrderStore {

  private static final String UNIQUE_VIOLATION = "23505";
  /** The partial unique index of the V2 migration: one PENDING order per user. */
  private static final String ONE_PENDING_PER_USER = "orders_one_pending_per_user";

  private final Pool pool;

  OrderStore(Pool pool) {
    this.pool = pool;
  }

  /** The result of a checkout transaction: the order of the key, and whether this call created it. */
  record Placed(UUID orderId, boolean created) {
  }

  /** The user's order; another user's order is NOT_FOUND, exactly like one that does not exist. */
  Future<JsonObject> get(UUID userId, UUID orderId) {
    return pool.preparedQuery(OrdersQueries.GET_ORDER_OF_USER).execute(Tuple.of(orderId, userId))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.failedFuture(ServiceException.notFound("order " + orderId + " not found"));
          }
          return withLines(pool, rows).map(orders -> publicView(orders.get(0)));
        });
  }

  /**
   * The order as its owner sees it: NEEDS_ATTENTION is not decided yet, so it shows as PENDING, the one
   * undecided status clients know; operators see the real status ({@link #adminList}).
   */
  static JsonObject publicView(JsonObject order) {
    if (order != null && OrdersContract.NEEDS_ATTENTION.equals(order.getString("status"))) {
      order.put("status", OrdersContract.PENDING);
    }
    return order;
  }

  /** Any order by id, or null; for the saga owner, which answers checkouts of the order's own user. */
  Future<JsonObject> load(UUID orderId) {
    return load(pool, orderId);
  }

  static Future<JsonObject> load(SqlClient client, UUID orderId) {
    return client.preparedQuery(OrdersQueries.GET_ORDER).execute(Tuple.of(orderId))
        .compose(rows -> rows.size() == 0 ? Future.succeededFuture(null) : withLines(client, rows).map(orders -> orders.get(0)));
  }

  /** A page of the user's orders, newest first, with the user's total count. */
  Future<JsonObject> list(ListOrders page) {
    Future<List<JsonObject>> items = pool.preparedQuery(OrdersQueries.LIST_ORDERS_OF_USER)
        .execute(Tuple.of(page.userId(), (long) page.size(), page.offset()))
        .compose(rows -> withLines(pool, rows))
        .map(orders -> {
          orders.forEach(OrderStore::publicView);
          return orders;
        });
    // Two statements on two connections: an order placed in between can make the total differ from the
    // items by one, which a paging UI tolerates; a transaction would cost a round trip per list.
    Future<Long> total = pool.preparedQuery(OrdersQueries.COUNT_ORDERS_OF_USER).execute(Tuple.of(page.userId()))
        .map(rows -> rows.iterator().next().getLong(0));
    return Future.all(items, total).map(done -> new JsonObject()
        .put("items", new JsonArray(new ArrayList<>(items.result())))
        .put("page", page.page())
        .put("size", page.size())
        .put("total", total.result()));
  }

  /**
   * Orders of every user in one status, oldest first, each with its saga as operators need it: state,
   * runs of its step, resumptions, last error, since when it needs attention, its lease.
   */
  Future<JsonObject> adminList(AdminListOrders page) {
    Future<List<JsonObject>> items = pool.preparedQuery(OrdersQueries.ADMIN_LIST_ORDERS)
        .execute(Tuple.of(page.status(), (long) page.size(), page.offset()))
        .compose(rows -> {
          Map<UUID, JsonObject> sagas = new HashMap<>();
          rows.forEach(row -> sagas.put(row.getUUID("id"), sagaJson(row)));
          return withLines(pool, rows).map(orders -> {
            orders.forEach(order -> {
              JsonObject saga = sagas.get(UUID.fromString(order.getString("id")));
              if (saga != null) {
                order.put("saga", saga);
              }
            });
            return orders;
          });
        });
    Future<Long> total = pool.preparedQuery(OrdersQueries.ADMIN_COUNT_ORDERS).execute(Tuple.of(page.status()))
        .map(rows -> rows.iterator().next().getLong(0));
    return Future.all(items, total).map(done -> new JsonObject()
        .put("items", new JsonArray(new ArrayList<>(items.result())))
        .put("page", page.page())
        .put("size", page.size())
        .put("total", total.result()));
  }

  private static JsonObject sagaJson(Row row) {
    String state = row.getString("saga_state");
    if (state == null) {
      return null;
    }
    JsonObject saga = new JsonObject()
        .put("state", state)
        .put("stepRuns", row.getInteger("step_runs"))
        .put("resumes", row.getInteger("resumes"));
    putIfPresent(saga, "lastError", row.getString("last_error"));
    putIfPresent(saga, "owner", row.getString("owner"));
    if (row.getOffsetDateTime("attention_since") != null) {
      saga.put("attentionSince", row.getOffsetDateTime("attention_since").toInstant().toString());
    }
    if (row.getOffsetDateTime("lease_until") != null) {
      saga.put("leaseUntil", row.getOffsetDateTime("lease_until").toInstant().toString());
    }
    return saga;
  }

  /** What a checkout looks up first: the order of its key, and the user's unsettled order (each or null). */
  record Lookup(UUID keyed, UUID unsettled) {
  }

  Future<Lookup> lookup(UUID userId, String key) {
    return pool.preparedQuery(OrdersQueries.KEY_AND_UNSETTLED).execute(Tuple.of(userId, key)).map(rows -> {
      Row row = rows.iterator().next();
      return new Lookup(row.getUUID("keyed"), row.getUUID("unsettled"));
    });
  }

  /** The user's order that is not decided yet (PENDING or NEEDS_ATTENTION), or null. */
  Future<UUID> unsettledOrderOf(UUID userId) {
    return pool.preparedQuery(OrdersQueries.UNSETTLED_ORDER_OF_USER).execute(Tuple.of(userId))
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getUUID(0));
  }

  /** Deletes up to {@code limit} keys of decided orders older than {@code retention}; returns how many. */
  Future<Integer> pruneKeys(Duration retention, int limit) {
    return pool.preparedQuery(OrdersQueries.PRUNE_KEYS).execute(Tuple.of(seconds(retention), (long) limit))
        .map(rows -> rows.rowCount());
  }

  /** How many orders of the whole shop are NEEDS_ATTENTION. */
  Future<Long> countNeedingAttention() {
    return pool.query(OrdersQueries.COUNT_NEEDING_ATTENTION).execute().map(rows -> rows.iterator().next().getLong(0));
  }

  /** The order a user's key already names, or null. */
  Future<UUID> orderForKey(UUID userId, String key) {
    return pool.preparedQuery(OrdersQueries.ORDER_FOR_KEY).execute(Tuple.of(userId, key))
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getUUID(0));
  }

  /**
   * In one transaction: claims the key, then writes the PENDING order, its lines, its saga (leased to
   * {@code owner}) and {@code OrderPlaced}. When the key is taken, also by a concurrent checkout that
   * committed first, nothing is written and the existing order is returned. When the user already has an
   * unsettled order under another key, also one placed by a concurrent checkout on another replica (the
   * unique index on PENDING orders makes the later insert wait for the first and fail), nothing is
   * written and the checkout fails CONFLICT naming that order.
   */
  Future<Placed> place(UUID userId, String key, OrderDraft draft, String owner, Duration lease) {
    return placeOnce(userId, key, draft, owner, lease).recover(failure -> {
      if (!isOnePendingViolation(failure)) {
        return Future.failedFuture(failure);
      }
      // The winner committed, so it is visible now; should it have settled in between, place again.
      return unsettledOrderOf(userId).compose(winner -> winner != null
          ? Future.failedFuture(OrdersContract.unsettledOrder(winner.toString()))
          : placeOnce(userId, key, draft, owner, lease));
    });
  }

  private Future<Placed> placeOnce(UUID userId, String key, OrderDraft draft, String owner, Duration lease) {
    UUID orderId = UUID.randomUUID();
    return pool.withTransaction(tx -> tx.preparedQuery(OrdersQueries.CLAIM_KEY).execute(Tuple.of(userId, key, orderId))
        .compose(claimed -> {
          if (claimed.size() == 0) {
            return tx.preparedQuery(OrdersQueries.ORDER_FOR_KEY).execute(Tuple.of(userId, key))
                .map(rows -> new Placed(rows.iterator().next().getUUID(0), false));
          }
          return insert(tx, orderId, userId, draft, owner, lease);
        }));
  }

  private static boolean isOnePendingViolation(Throwable failure) {
    return failure instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState())
        && ONE_PENDING_PER_USER.equals(pg.getConstraint());
  }

  private static Future<Placed> insert(SqlClient tx, UUID orderId, UUID userId, OrderDraft draft, String owner, Duration lease) {
    return tx.preparedQuery(OrdersQueries.INSERT_ORDER)
        .execute(Tuple.of(orderId, userId, draft.totalMinor(), draft.currency()))
        .compose(order -> {
          if (order.size() == 0) {
            // The user has a NEEDS_ATTENTION order: name it (the transaction rolls back, the key with it).
            return tx.preparedQuery(OrdersQueries.UNSETTLED_ORDER_OF_USER).execute(Tuple.of(userId))
                .compose(unsettled -> Future.failedFuture(unsettled.size() == 0
                    // Settled between the two statements: nothing was written, the same key may try again.
                    ? ServiceException.conflict("the cart's unsettled order was settled just now; check out again")
                    : OrdersContract.unsettledOrder(unsettled.iterator().next().getUUID(0).toString())));
          }
          List<Tuple> lines = new ArrayList<>(draft.lines().size());
          for (int i = 0; i < draft.lines().size(); i++) {
            OrderDraft.Line line = draft.lines().get(i);
            lines.add(Tuple.of(orderId, (short) (i + 1), line.productId(), line.name(), line.quantity(), line.unitPriceMinor()));
          }
          return tx.preparedQuery(OrdersQueries.INSERT_LINE).executeBatch(lines)
              .compose(v -> tx.preparedQuery(OrdersQueries.INSERT_SAGA).execute(Tuple.of(orderId, owner, seconds(lease))))
              .compose(v -> load(tx, orderId))
              .compose(placed -> Outbox.append(tx, OrdersContract.EVENTS_TOPIC, orderId.toString(), OrdersContract.ORDER_PLACED, placed))
              .map(v -> new Placed(orderId, true));
        });
  }

  /** Orders as the contract shows them, lines attached, in the order of {@code rows}. */
  static Future<List<JsonObject>> withLines(SqlClient client, RowSet<Row> rows) {
    List<Row> orders = new ArrayList<>();
    rows.forEach(orders::add);
    if (orders.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    UUID[] ids = orders.stream().map(row -> row.getUUID("id")).toArray(UUID[]::new);
    return client.preparedQuery(OrdersQueries.LINES_OF).execute(Tuple.of(ids)).map(lineRows -> {
      Map<UUID, List<Row>> byOrder = new HashMap<>();
      lineRows.forEach(line -> byOrder.computeIfAbsent(line.getUUID("order_id"), id -> new ArrayList<>()).add(line));
      List<JsonObject> out = new ArrayList<>(orders.size());
      for (Row order : orders) {
        out.add(toJson(order, byOrder.getOrDefault(order.getUUID("id"), List.of())));
      }
      return out;
    });
  }

  /** The contract's order JSON for a row of {@link OrdersQueries#ORDER_COLUMNS} and its line rows. */
  static JsonObject toJson(Row order, List<Row> lines) {
    String currency = order.getString("currency");
    JsonArray items = new JsonArray();
    for (Row line : lines) {
      long unit = line.getLong("unit_price_minor");
      int quantity = line.getInteger("quantity");
      items.add(new JsonObject()
          .put("productId", line.getUUID("product_id").toString())
          .put("name", line.getString("name"))
          .put("quantity", quantity)
          .put("unitPrice", money(unit, currency))
          .put("lineTotal", money(unit * quantity, currency)));
    }
    JsonObject json = new JsonObject()
        .put("id", order.getUUID("id").toString())
        .put("userId", order.getUUID("user_id").toString())
        .put("status", order.getString("status"))
        .put("lines", items)
        .put("total", money(order.getLong("total_minor"), currency));
    putIfPresent(json, "cancelReason", order.getString("cancel_reason"));
    putIfPresent(json, "cancelMessage", order.getString("cancel_message"));
    putIfPresent(json, "paymentId", order.getString("payment_id"));
    return json
        .put("createdAt", order.getOffsetDateTime("created_at").toInstant().toString())
        .put("updatedAt", order.getOffsetDateTime("updated_at").toInstant().toString());
  }

  static JsonObject money(long amount, String currency) {
    return new JsonObject().put("amount", amount).put("currency", currency);
  }

  /** A duration as the seconds {@code make_interval(secs => ...)} takes. */
  static double seconds(Duration duration) {
    return duration.toMillis() / 1000.0;
  }

  private static void putIfPresent(JsonObject json, String field, String value) {
    if (value != null) {
      json.put(field, value);
    }
  }
}
