package dev.vertxshop.payments;

import dev.vertxshop.platform.boot.ShopNode;
import dev.vertxshop.platform.config.DatabaseConfig;
import dev.vertxshop.platform.config.Env;
import dev.vertxshop.platform.db.Databases;
import dev.vertxshop.platform.errors.ServiceException;
import dev.vertxshop.platform.testing.ShopTestEnv;
import dev.vertxshop.provider.ProviderService;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Shared helpers of the payments tests: a node running payments next to the REAL provider stand-in
 * (reached over loopback HTTP, on free ports), a pool on the schema, blocking waits.
 */
final class PaymentsFixtures {

  private static final Duration WAIT = Duration.ofSeconds(60);

  private PaymentsFixtures() {
  }

  /** A started node and what a test needs to look at it. */
  record Running(ShopNode node, Env env, Pool db, ProviderAdmin provider) {

    Vertx vertx() {
      return node.vertx();
    }

    /** Closes the test pool, then stops the node. */
    void stop() {
      if (db != null) {
        await(db.close());
      }
      await(node.stop());
    }
  }

  /**
   * Starts payments and the provider stand-in in one node on the shared embedded PostgreSQL and Kafka;
   * {@code extra} sets SHOP_PAYMENTS_* knobs for the test class.
   */
  static Running start(Map<String, String> extra) {
    int port = freePort();
    int adminPort = freePort();
    Map<String, String> vars = new HashMap<>();
    vars.put("SHOP_PROVIDER_HOST", "127.0.0.1");
    vars.put("SHOP_PROVIDER_PORT", String.valueOf(port));
    vars.put("SHOP_PROVIDER_ADMIN_PORT", String.valueOf(adminPort));
    vars.put("SHOP_PAYMENTS_PROVIDER_URL", "http://127.0.0.1:" + port);
    vars.put("SHOP_PAYMENTS_OUTBOX_POLL", "200ms");
    vars.putAll(extra);
    Env env = ShopTestEnv.shared(vars);
    ShopNode node = await(ShopNode.start(env, List.of(new ProviderService(), new PaymentsService()), false));
    Pool db = Databases.pool(node.vertx(), DatabaseConfig.from(env), PaymentsService.NAME);
    return new Running(node, env, db, new ProviderAdmin(node.vertx(), adminPort));
  }

  static int freePort() {
    return dev.vertxshop.embedded.LoopbackPorts.reserve();
  }

  static JsonObject money(long amount) {
    return new JsonObject().put("amount", amount).put("currency", "EUR");
  }

  /** A charge request body for a new order. */
  static JsonObject chargeBody(String orderId, String userId, long amount) {
    return new JsonObject().put("orderId", orderId).put("userId", userId).put("amount", money(amount));
  }

  static String newId() {
    return UUID.randomUUID().toString();
  }

  /** Payments and outbox rows of the whole schema: a rejected request must change neither. */
  record Counts(long payments, long outbox) {
  }

  static Counts counts(Pool db) {
    Row row = await(db.query("SELECT (SELECT count(*) FROM payments), (SELECT count(*) FROM outbox)").execute())
        .iterator().next();
    return new Counts(row.getLong(0), row.getLong(1));
  }

  /** The payment row of an order as a JSON object of its columns, or null. */
  static JsonObject row(Pool db, String orderId) {
    var rows = await(db.preparedQuery("SELECT status, attempted, cancel_requested, provider_charge_id, decline_reason, "
        + "amount_minor, refund_due_at IS NOT NULL AS refund_pending, refund_attempts, refund_error "
        + "FROM payments WHERE order_id = $1").execute(Tuple.of(UUID.fromString(orderId))));
    if (rows.size() == 0) {
      return null;
    }
    Row row = rows.iterator().next();
    return new JsonObject()
        .put("status", row.getString("status"))
        .put("attempted", row.getBoolean("attempted"))
        .put("cancelRequested", row.getBoolean("cancel_requested"))
        .put("providerChargeId", row.getString("provider_charge_id"))
        .put("declineReason", row.getString("decline_reason"))
        .put("amount", row.getLong("amount_minor"))
        .put("refundPending", row.getBoolean("refund_pending"))
        .put("refundAttempts", row.getInteger("refund_attempts"))
        .put("refundError", row.getString("refund_error"));
  }

  /** One outbox row of an order: event id, type, payload. */
  record OutboxRow(UUID eventId, String type, JsonObject payload) {
  }

  static List<OutboxRow> outboxFor(Pool db, String orderId) {
    var rows = await(db.preparedQuery("SELECT event_id, event_type, payload FROM outbox WHERE event_key = $1 ORDER BY id")
        .execute(Tuple.of(orderId)));
    List<OutboxRow> out = new ArrayList<>();
    rows.forEach(row -> out.add(new OutboxRow(row.getUUID("event_id"), row.getString("event_type"), row.getJsonObject("payload"))));
    return out;
  }

  static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError("expected success, got " + e.getCause(), e.getCause());
    } catch (Exception e) {
      throw new AssertionError("no result in " + WAIT, e);
    }
  }

  /** The failure of {@code future} as a service failure; a success fails the test. */
  static ServiceException failure(Future<?> future) {
    try {
      Object result = future.toCompletionStage().toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      throw new AssertionError("expected a failure, got " + result);
    } catch (ExecutionException e) {
      return ServiceException.from(e.getCause());
    } catch (InterruptedException | java.util.concurrent.TimeoutException e) {
      throw new AssertionError("no result in " + WAIT, e);
    }
  }

  /**
   * Polls {@code probe} until it returns non-null, failing after {@code timeout}: a wait for a
   * condition that goes on as soon as it holds, not a sleep standing in for an assertion.
   */
  static <T> T eventually(Duration timeout, Supplier<T> probe) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      T value = probe.get();
      if (value != null) {
        return value;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within " + timeout);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }
  }
}
