package dev.vertxshop.hardening.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vertxshop.contracts.cart.AddItem;
import dev.vertxshop.contracts.cart.CartClient;
import dev.vertxshop.contracts.catalog.CatalogClient;
import dev.vertxshop.contracts.Money;
import dev.vertxshop.contracts.catalog.CreateProduct;
import dev.vertxshop.contracts.catalog.ProductFields;
import dev.vertxshop.contracts.orders.OrdersClient;
import dev.vertxshop.contracts.orders.OrdersContract;
import dev.vertxshop.audit.Baseline;
import dev.vertxshop.audit.InvariantChecker;
import dev.vertxshop.audit.InvariantReport;
import dev.vertxshop.platform.boot.ShopMain;
import dev.vertxshop.platform.boot.ShopNode;
import dev.vertxshop.platform.config.DatabaseConfig;
import dev.vertxshop.platform.config.Env;
import dev.vertxshop.platform.db.Databases;
import dev.vertxshop.platform.testing.ShopTestEnv;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * {@code kill -9} of the orders JVM that drives a saga, while its charge is in flight at the provider:
 * no graceful stop, no lease released, no goodbye to the cluster. Two orders replicas run as real
 * processes from {@code shop.jar}; catalog, cart, payments and the provider stand-in run in the test
 * JVM (one clustered node), on the JVM-shared embedded PostgreSQL and Kafka. The provider answers after
 * {@link #PROVIDER_LATENCY_MS}, so the charge is still unanswered when the owner dies; the other replica
 * must take the saga over once its lease ran out and end it with one capture (CONFIRMED), or cancelled
 * with the capture refunded, and the invariant checker must pass.
 */
@DisplayName("Fault: kill -9 of the orders JVM driving a saga, mid-charge; the other replica resumes it after the lease")
class OrdersKillMidSagaIT {

  private static final Duration LEASE = Duration.ofSeconds(3);
  private static final int PROVIDER_LATENCY_MS = 8_000;
  private static final Duration START = Duration.ofMinutes(3);
  /**
   * From the kill to a decided order: the lease running out, a sweep, the resumed charge waiting for the
   * provider's late answer, the commit, plus 10 s for two busy cores.
   */
  private static final Duration SETTLE_BOUND = LEASE.plusMillis(200).plusMillis(PROVIDER_LATENCY_MS).plusSeconds(10);
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private static Path runtimeDir;
  private static Path logDir;
  private static ShopNode backends;
  private static Pool db;
  private static InvariantChecker checker;
  private static int providerAdminPort;
  private static final List<ShopProcess> orders = new ArrayList<>();

  @BeforeAll
  static void start() throws IOException {
    runtimeDir = Files.createTempDirectory("shop-orders-kill-");
    logDir = Path.of(System.getProperty("shop.faults.out", "target/faults")).toAbsolutePath().resolve("logs");
    Files.createDirectories(logDir);
    Path jar = Files.copy(FaultCluster.shopJar(), runtimeDir.resolve("shop.jar"));
    int backendsHz = freePort();
    int[] ordersHz = {freePort(), freePort()};
    providerAdminPort = freePort();
    int providerPort = freePort();
    String members = "127.0.0.1:" + backendsHz + ",127.0.0.1:" + ordersHz[0] + ",127.0.0.1:" + ordersHz[1];
    String cluster = "orders-kill-" + UUID.randomUUID().toString().substring(0, 8);

    Map<String, String> clusterVars = new HashMap<>(dev.vertxshop.platform.testing.ClusterKeys.shared().env());
    clusterVars.putAll(Map.of(
        "SHOP_CLUSTER_NAME", cluster,
        "SHOP_CLUSTER_HOST", "127.0.0.1",
        "SHOP_CLUSTER_MEMBERS", members,
        "SHOP_CLUSTER_HEARTBEAT_SECONDS", String.valueOf(FaultCluster.HEARTBEAT_SECONDS),
        "SHOP_CLUSTER_MEMBER_TIMEOUT_SECONDS", String.valueOf(FaultCluster.MEMBER_TIMEOUT_SECONDS)));
    Map<String, String> backendVars = new HashMap<>(clusterVars);
    backendVars.put("SHOP_CLUSTER_HAZELCAST_PORT", String.valueOf(backendsHz));
    backendVars.put("SHOP_CLUSTER_EVENTBUS_PORT", String.valueOf(freePort()));
    backendVars.put("SHOP_PROVIDER_HOST", "127.0.0.1");
    backendVars.put("SHOP_PROVIDER_PORT", String.valueOf(providerPort));
    backendVars.put("SHOP_PROVIDER_ADMIN_PORT", String.valueOf(providerAdminPort));
    backendVars.put("SHOP_PAYMENTS_PROVIDER_URL", "http://127.0.0.1:" + providerPort);
    // The provider's latency must not look like an outage to payments: it waits for the late answer.
    backendVars.put("SHOP_PAYMENTS_PROVIDER_TIMEOUT", "15s");
    Env backendEnv = ShopTestEnv.shared(backendVars);
    backends = await(ShopNode.start(backendEnv, ShopMain.select(List.of("payment-provider", "catalog", "cart", "payments")), true),
        START);

    Path logConfig;
    try {
      logConfig = Path.of(OrdersKillMidSagaIT.class.getResource("/faults-process-logback.xml").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
    for (int i = 0; i < 2; i++) {
      String name = "orders-kill-" + (char) ('a' + i);
      Map<String, String> env = new HashMap<>(clusterVars);
      for (String variable : List.of("DB_HOST", "DB_PORT", "DB_NAME", "DB_USER", "DB_PASSWORD", "KAFKA_BOOTSTRAP_SERVERS")) {
        env.put("SHOP_" + variable, backendEnv.string(variable, null));
      }
      int ops = freePort();
      int eventBus = freePort();
      env.put("SHOP_CLUSTER_HAZELCAST_PORT", String.valueOf(ordersHz[i]));
      env.put("SHOP_CLUSTER_EVENTBUS_PORT", String.valueOf(eventBus));
      env.put("SHOP_OPS_HOST", "127.0.0.1");
      env.put("SHOP_OPS_PORT", String.valueOf(ops));
      env.put("SHOP_EVENT_LOOPS", "2");
      env.put("SHOP_LOG_FORMAT", "text");
      env.put("SHOP_ORDERS_REPLY_BUDGET", "1s");
      env.put("SHOP_ORDERS_SAGA_LEASE", LEASE.toMillis() + "ms");
      env.put("SHOP_ORDERS_SWEEP_INTERVAL", "200ms");
      env.put("SHOP_ORDERS_PAYMENT_DEADLINE", "25s");
      List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Xmx256m", "-Xss512k", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Djava.net.preferIPv4Stack=true",
          "-Dlogback.configurationFile=" + logConfig, "-Dshop.faults.cluster=" + cluster, "-jar", jar.toString(), "orders");
      Path log = logDir.resolve(name + ".log");
      Files.deleteIfExists(log);
      orders.add(new ShopProcess(name, command, env, runtimeDir, log, ops, ordersHz[i], eventBus));
    }
    orders.forEach(ShopProcess::start);
    orders.forEach(process -> process.awaitReady(START));

    db = Databases.pool(backends.vertx(), DatabaseConfig.from(backendEnv), "orders");
    checker = new InvariantChecker(backends.vertx(), db, "http://127.0.0.1:" + providerAdminPort);
  }

  @AfterAll
  static void stop() {
    orders.forEach(process -> process.stop(Duration.ofSeconds(10)));
    try {
      if (checker != null) {
        await(checker.close(), Duration.ofSeconds(10));
      }
      if (db != null) {
        await(db.close(), Duration.ofSeconds(10));
      }
    } finally {
      if (backends != null) {
        await(backends.stop(), Duration.ofSeconds(30));
      }
      if (runtimeDir != null) {
        try (var files = Files.walk(runtimeDir)) {
          files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
          System.err.println("could not delete " + runtimeDir + ": " + e);
        }
      }
    }
  }

  @Test
  @DisplayName("the owner killed while the provider holds the charge: the survivor resumes after the lease, one capture, invariants hold")
  void killTheOwnerMidCharge() {
    CatalogClient catalog = new CatalogClient(backends.vertx(), Duration.ofSeconds(10));
    CartClient cart = new CartClient(backends.vertx(), Duration.ofSeconds(10));
    OrdersClient client = new OrdersClient(backends.vertx(), Duration.ofSeconds(5));
    String category = "kill-" + UUID.randomUUID().toString().substring(0, 8);
    await(db.preparedQuery("INSERT INTO catalog.categories (id, name) VALUES ($1, 'Kill test')").execute(Tuple.of(category)));
    String sku = "KILL-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase(Locale.ROOT);
    JsonObject product = await(catalog.createProduct(new CreateProduct(
        new ProductFields(sku, "Kill test " + sku, null, category, Money.eur(2_500), 5)))).toJson();
    String userId = UUID.randomUUID().toString();
    await(cart.addItem(new AddItem(UUID.fromString(userId), UUID.fromString(product.getString("id")), 2)));
    Baseline baseline = await(checker.baseline());
    providerFaults(new JsonObject().put("latencyMs", PROVIDER_LATENCY_MS));

    long checkoutAt = System.nanoTime();
    JsonObject pending = await(client.checkout(userId, "kill-" + UUID.randomUUID(), Duration.ofSeconds(20)));
    String orderId = pending.getString("id");
    assertThat(pending.getString("status")).as("the reply budget ran out while the charge waits").isEqualTo(OrdersContract.PENDING);
    // In flight: the provider holds the charge (it records one on arrival), payments has no answer yet.
    eventually(Duration.ofSeconds(5), () -> providerCharges(orderId).size() == 1 ? true : null);
    assertThat(paymentStatus(orderId)).as("payments still waits for the provider").isEqualTo("PENDING");
    Row before = sagaRow(orderId);
    assertThat(before.getString("state")).isEqualTo("CHARGING");
    ShopProcess owner = eventually(Duration.ofSeconds(5), () -> {
      for (ShopProcess process : orders) {
        if (process.metric("shop_orders_saga_inflight") >= 1) {
          return process;
        }
      }
      return null;
    });
    ShopProcess survivor = orders.get(0) == owner ? orders.get(1) : orders.get(0);

    long killedAt = System.nanoTime();
    long killedEpoch = System.currentTimeMillis();
    owner.kill();
    long inFlightMs = (killedAt - checkoutAt) / 1_000_000;
    Row left = sagaRow(orderId);
    assertThat(left.getString("owner")).as("a kill releases nothing").isEqualTo(before.getString("owner"));
    assertThat(left.getString("state")).isEqualTo("CHARGING");

    JsonObject order = eventually(SETTLE_BOUND.plusSeconds(30), () -> {
      JsonObject now = tryGet(client, userId, orderId);
      return now == null || OrdersContract.PENDING.equals(now.getString("status")) ? null : now;
    });
    long settledMs = (System.nanoTime() - killedAt) / 1_000_000;
    long resumedAt = survivor.logLineAfter(killedEpoch, "order " + orderId + ": resuming its saga");
    Row after = sagaRow(orderId);
    List<JsonObject> charges = providerCharges(orderId);
    long kept = charges.stream().filter(c -> "captured".equals(c.getString("status")) && !c.getBoolean("refunded", false)).count();
    providerFaults(new JsonObject().put("latencyMs", 0));
    await(checker.awaitQuiet(baseline, Duration.ofSeconds(60)), Duration.ofSeconds(90));
    InvariantReport report = await(checker.check(baseline));

    new ScenarioReport("orders-kill-mid-saga", "Fault: kill -9 of the orders JVM driving a saga, mid-charge")
        .row("layout", "orders-kill-a, orders-kill-b (processes from shop.jar); catalog, cart, payments, provider in the test JVM")
        .row("saga lease / sweep", LEASE.toMillis() + " ms / 200 ms")
        .row("provider latency", PROVIDER_LATENCY_MS + " ms (the charge is recorded on arrival, answered after it)")
        .row("killed", owner.name() + " (pid " + owner.pid() + "), " + inFlightMs + " ms after the checkout, the charge unanswered")
        .row("resumed by", survivor.name() + (resumedAt < 0 ? " (resume line not found in its log)" : ", " + (resumedAt - killedEpoch) + " ms after the kill"))
        .row("order decided", order.getString("status") + " " + settledMs + " ms after the kill (bound " + SETTLE_BOUND.toMillis() + " ms)")
        .row("saga resumes / step runs", after.getInteger("resumes") + " / " + after.getInteger("step_runs"))
        .row("provider charges / kept captures", charges.size() + " / " + kept)
        .row("invariant violations", report.violations().size() + " " + report.violations())
        .publish(logDir.getParent());

    assertThat(after.getString("owner")).as("ended by the survivor, not the dead owner").isNotEqualTo(before.getString("owner"));
    assertThat(after.getInteger("resumes")).isGreaterThanOrEqualTo(1);
    assertThat(settledMs).isLessThanOrEqualTo(SETTLE_BOUND.toMillis());
    if (OrdersContract.CONFIRMED.equals(order.getString("status"))) {
      assertThat(kept).as("one capture for the confirmed order").isEqualTo(1);
      assertThat(charges).as("the resumed charge was the same charge").hasSize(1);
    } else {
      assertThat(order.getString("status")).isEqualTo(OrdersContract.CANCELLED);
      assertThat(kept).as("a cancelled order keeps no capture").isZero();
    }
    assertThat(report.violations()).as(report.toString()).isEmpty();
  }

  private static JsonObject tryGet(OrdersClient client, String userId, String orderId) {
    try {
      return await(client.get(userId, orderId), Duration.ofSeconds(10));
    } catch (AssertionError e) {
      // Until Hazelcast drops the dead member, a request may be routed to it and time out.
      return null;
    }
  }

  private static Row sagaRow(String orderId) {
    RowSet<Row> rows = await(db.preparedQuery("SELECT state, owner, resumes, step_runs FROM orders.sagas WHERE order_id = $1")
        .execute(Tuple.of(UUID.fromString(orderId))));
    return rows.iterator().next();
  }

  private static String paymentStatus(String orderId) {
    RowSet<Row> rows = await(db.preparedQuery("SELECT status FROM payments.payments WHERE order_id = $1")
        .execute(Tuple.of(UUID.fromString(orderId))));
    return rows.size() == 0 ? null : rows.iterator().next().getString(0);
  }

  private static void providerFaults(JsonObject knobs) {
    HttpResponse<String> response = http(HttpRequest.newBuilder(adminUri("/admin/faults"))
        .header("content-type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(knobs.encode())));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
  }

  private static List<JsonObject> providerCharges(String reference) {
    HttpResponse<String> response = http(HttpRequest.newBuilder(adminUri("/admin/charges?reference=" + reference)).GET());
    JsonArray items = new JsonObject(response.body()).getJsonArray("items");
    return items.stream().map(JsonObject.class::cast).toList();
  }

  private static URI adminUri(String path) {
    return URI.create("http://127.0.0.1:" + providerAdminPort + path);
  }

  private static HttpResponse<String> http(HttpRequest.Builder request) {
    try {
      return HTTP.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static <T> T await(Future<T> future) {
    return await(future, Duration.ofSeconds(60));
  }

  private static <T> T await(Future<T> future, Duration timeout) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError("expected success, got " + e.getCause(), e.getCause());
    } catch (Exception e) {
      throw new AssertionError("no result in " + timeout, e);
    }
  }

  /** Polls {@code probe} until it returns non-null, failing after {@code timeout}. */
  private static <T> T eventually(Duration timeout, Supplier<T> probe) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      T value = probe.get();
      if (value != null) {
        return value;
      }
      ShopProcess.pause(50);
    }
    throw new AssertionError("condition not met in " + timeout);
  }
}
