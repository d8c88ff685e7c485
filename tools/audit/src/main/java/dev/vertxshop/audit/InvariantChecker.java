package dev.vertxshop.audit;

import dev.vertxshop.platform.config.ConfigException;
import dev.vertxshop.platform.config.DatabaseConfig;
import dev.vertxshop.platform.config.Env;
import dev.vertxshop.platform.db.Databases;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Checks, once the system is quiet, the promise of the checkout saga: every order is CONFIRMED with its
 * stock sold and exactly one capture, or CANCELLED with its stock back and no capture; nothing in
 * between.
 *
 * <p>Reads the shop database with qualified names ({@code orders.*}, {@code catalog.*},
 * {@code payments.*}: the role needs read access to those three schemas) and the payment provider's
 * admin API ({@code /admin/stats}, {@code /admin/charges}). Rules:
 * <ul>
 *   <li>{@code no-pending-order}, {@code saga-finished}: no order PENDING, no saga still running;</li>
 *   <li>{@code confirmed-reservation-committed}, {@code confirmed-units-reserved}, {@code confirmed-payment-captured},
 *       {@code confirmed-one-capture}: a CONFIRMED order has its reservation COMMITTED with its units, its
 *       payment CAPTURED and exactly one unrefunded capture at the provider for its reference (the order
 *       id), of its total;</li>
 *   <li>{@code cancelled-stock-released}, {@code cancelled-payment-not-captured}, {@code cancelled-no-capture}: a
 *       CANCELLED order's reservation is RELEASED or absent, its payment is not CAPTURED, and the
 *       provider holds no unrefunded capture for it;</li>
 *   <li>{@code captured-payment-confirmed-or-refunded}: every CAPTURED payment belongs to a CONFIRMED order,
 *       or its charge has a completed refund at the provider (whatever the order's status, or no order);</li>
 *   <li>{@code provider-net-captured}: what the provider kept equals the sum of CONFIRMED totals;</li>
 *   <li>{@code stock-non-negative}, {@code no-held-reservation}: no stock below zero, no units held;</li>
 *   <li>{@code stock-ledger-balanced}: every product's stock is the sum of its stock ledger's deltas (the catalog's
 *       {@code stock_movements}), so every level is explained by its movements;</li>
 *   <li>{@code stock-conserved} (against a {@link StockSnapshot}): per product, the units gone from stock
 *       are the units of reservations committed since the snapshot, net of what the ledger shows moved
 *       otherwise since then (admin adjustments and updates).</li>
 * </ul>
 * A check against a {@link Baseline} audits only checkouts made since it, and the provider's totals
 * since it; {@link #check()} audits the whole history. Neither waits for the system to be quiet: see
 * {@link #awaitQuiet}.
 */
public final class InvariantChecker {

  /** The read-only role the shop's database set-up creates for audits ({@code pg_read_all_data}, read-only transactions). */
  public static final String AUDIT_ROLE = "shop_auditor";

  private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(10);
  private static final long QUIET_POLL_MS = 100;

  private final Vertx vertx;
  private final Pool pool;
  private final URI providerAdmin;
  private final HttpClientAgent http;

  /**
   * @param pool               any pool on the shop database whose role can read the three schemas
   * @param providerAdminUrl   the provider's admin base URL, e.g. {@code http://127.0.0.1:8091}
   */
  public InvariantChecker(Vertx vertx, Pool pool, String providerAdminUrl) {
    this.vertx = vertx;
    this.pool = pool;
    this.providerAdmin = URI.create(providerAdminUrl.endsWith("/") ? providerAdminUrl : providerAdminUrl + "/");
    this.http = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout((int) HTTP_TIMEOUT.toMillis()));
  }

  /** Closes the checker's HTTP client (not the pool, which the caller owns). */
  public Future<Void> close() {
    return http.close();
  }

  /** Stock per product, now; take it while nothing is checking out. */
  public Future<StockSnapshot> snapshotStock() {
    return now().compose(now -> pool.query(AuditQueries.STOCK).execute().map(rows -> {
      Map<UUID, Integer> stock = new HashMap<>();
      rows.forEach(row -> stock.put(row.getUUID("id"), row.getInteger("stock")));
      return new StockSnapshot(now, stock);
    }));
  }

  /** The provider's totals, now. */
  public Future<ProviderStats> providerStats() {
    return getJson("admin/stats").map(ProviderStats::fromJson);
  }

  /** Window start, stock and the provider's totals, now: the state a run is later checked against. */
  public Future<Baseline> baseline() {
    return snapshotStock().compose(stock -> providerStats().map(provider -> new Baseline(stock.takenAt(), stock, provider)));
  }

  /** Every rule over the whole history (no stock comparison: there is no snapshot). */
  public Future<InvariantReport> check() {
    return check(Baseline.everything());
  }

  /** Every rule over the checkouts made since {@code baseline}, the provider's totals since it, and stock against its snapshot. */
  public Future<InvariantReport> check(Baseline baseline) {
    Objects.requireNonNull(baseline, "baseline");
    OffsetDateTime since = OffsetDateTime.ofInstant(baseline.takenAt(), ZoneOffset.UTC);
    Tuple window = Tuple.of(since);
    List<Violation> violations = new ArrayList<>();
    Map<String, Long> byStatus = new HashMap<>();
    long[] confirmedTotal = new long[1];

    Future<Instant> checkedAt = now();
    Future<RowSet<Row>> counts = pool.preparedQuery(AuditQueries.ORDER_COUNTS).execute(window);
    Future<RowSet<Row>> pending = pool.preparedQuery(AuditQueries.PENDING_ORDERS).execute(window);
    Future<RowSet<Row>> running = pool.preparedQuery(AuditQueries.UNFINISHED_SAGAS).execute(window);
    Future<RowSet<Row>> decided = pool.preparedQuery(AuditQueries.DECIDED_ORDERS).execute(window);
    Future<RowSet<Row>> units = pool.preparedQuery(AuditQueries.CONFIRMED_UNITS_MISMATCH).execute(window);
    Future<RowSet<Row>> negative = pool.query(AuditQueries.NEGATIVE_STOCK).execute();
    Future<RowSet<Row>> held = pool.preparedQuery(AuditQueries.HELD_RESERVATIONS).execute(window);
    Future<RowSet<Row>> unbalanced = pool.query(AuditQueries.LEDGER_MISMATCH).execute();
    Future<Map<UUID, Long>> otherMoves = baseline.stock() == null
        ? Future.succeededFuture(Map.of())
        : pool.preparedQuery(AuditQueries.OTHER_MOVES_SINCE).execute(window).map(InvariantChecker::unitsByProduct);
    Future<RowSet<Row>> capturedElsewhere = pool.preparedQuery(AuditQueries.CAPTURED_NOT_CONFIRMED).execute(window);
    Future<Map<String, List<JsonObject>>> charges = providerCharges();
    Future<ProviderStats> stats = providerStats();
    Future<Map<UUID, Long>> committed = baseline.stock() == null
        ? Future.succeededFuture(Map.of())
        : pool.preparedQuery(AuditQueries.COMMITTED_UNITS_SINCE).execute(window).map(InvariantChecker::unitsByProduct);
    Future<Map<UUID, Integer>> stockNow = baseline.stock() == null
        ? Future.succeededFuture(Map.of())
        : pool.query(AuditQueries.STOCK).execute().map(rows -> {
          Map<UUID, Integer> stock = new HashMap<>();
          rows.forEach(row -> stock.put(row.getUUID("id"), row.getInteger("stock")));
          return stock;
        });

    return Future.all(List.of(checkedAt, counts, pending, running, decided, units, negative, held, capturedElsewhere, charges, stats,
            committed, stockNow, unbalanced, otherMoves))
        .map(all -> {
          for (Row row : counts.result()) {
            String status = row.getString("status");
            byStatus.put(status, row.getLong("orders"));
            if (status.equals("CONFIRMED")) {
              confirmedTotal[0] = row.getLong("amount");
            }
          }
          pending.result().forEach(row -> violations.add(new Violation("no-pending-order", id(row, "id"),
              "the order is still PENDING")));
          running.result().forEach(row -> violations.add(new Violation("saga-finished", id(row, "order_id"),
              "the saga is still " + row.getString("state"))));
          for (Row row : decided.result()) {
            checkDecided(row, charges.result(), violations);
          }
          units.result().forEach(row -> violations.add(new Violation("confirmed-units-reserved", id(row, "id"),
              "product " + row.getUUID("product_id") + ": the order has " + row.getInteger("quantity")
                  + " units, the reservation " + row.getInteger("reserved"))));
          negative.result().forEach(row -> violations.add(new Violation("stock-non-negative", null,
              "product " + row.getUUID("id") + " has stock " + row.getInteger("stock"))));
          held.result().forEach(row -> violations.add(new Violation("no-held-reservation", id(row, "order_id"),
              "its reservation still holds units")));
          unbalanced.result().forEach(row -> violations.add(new Violation("stock-ledger-balanced", null,
              "product " + row.getUUID("id") + " has stock " + row.getInteger("stock") + " but its ledger sums to "
                  + row.getLong("ledger"))));
          for (Row row : capturedElsewhere.result()) {
            checkCapturedPayment(row, charges.result(), violations);
          }
          ProviderStats delta = stats.result().minus(baseline.provider());
          if (delta.netCapturedAmount() != confirmedTotal[0]) {
            violations.add(new Violation("provider-net-captured", null, "the provider kept " + delta.netCapturedAmount()
                + " (captured " + delta.capturedAmount() + ", refunded " + delta.refundedAmount()
                + ") but CONFIRMED orders total " + confirmedTotal[0]));
          }
          if (baseline.stock() != null) {
            checkStock(baseline.stock(), stockNow.result(), committed.result(), otherMoves.result(), violations);
          }
          return new InvariantReport(checkedAt.result(), baseline.takenAt(), byStatus, confirmedTotal[0],
              delta.netCapturedAmount(), delta.captures(), violations);
        });
  }

  /**
   * Completes once no order placed since {@code baseline} is PENDING and no saga of one is running,
   * or fails after {@code timeout}. Polls; never sleeps blindly.
   */
  public Future<Void> awaitQuiet(Baseline baseline, Duration timeout) {
    Promise<Void> quiet = Promise.promise();
    long deadline = System.nanoTime() + timeout.toNanos();
    pollQuiet(Tuple.of(OffsetDateTime.ofInstant(baseline.takenAt(), ZoneOffset.UTC)), deadline, quiet);
    return quiet.future();
  }

  private void pollQuiet(Tuple window, long deadline, Promise<Void> quiet) {
    Future.all(pool.preparedQuery(AuditQueries.PENDING_ORDERS).execute(window), pool.preparedQuery(AuditQueries.UNFINISHED_SAGAS).execute(window))
        .onComplete(done -> {
          if (done.succeeded() && done.result().<RowSet<Row>>resultAt(0).size() == 0
              && done.result().<RowSet<Row>>resultAt(1).size() == 0) {
            quiet.complete();
          } else if (System.nanoTime() > deadline) {
            quiet.fail(new IllegalStateException("the system did not become quiet in time"
                + (done.failed() ? ": " + done.cause().getMessage() : "")));
          } else {
            vertx.setTimer(QUIET_POLL_MS, id -> pollQuiet(window, deadline, quiet));
          }
        });
  }

  private static void checkDecided(Row row, Map<String, List<JsonObject>> charges, List<Violation> violations) {
    String orderId = id(row, "id");
    String status = row.getString("status");
    String reservation = row.getString("reservation");
    String payment = row.getString("payment");
    long total = row.getLong("total_minor");
    List<JsonObject> kept = charges.getOrDefault(orderId, List.of()).stream()
        .filter(c -> "captured".equals(c.getString("status")) && !c.getBoolean("refunded", false))
        .toList();
    if (status.equals("CONFIRMED")) {
      if (!"COMMITTED".equals(reservation)) {
        violations.add(new Violation("confirmed-reservation-committed", orderId, "its reservation is " + reservation));
      }
      if (!"CAPTURED".equals(payment)) {
        violations.add(new Violation("confirmed-payment-captured", orderId, "its payment is " + payment));
      }
      if (kept.size() != 1) {
        violations.add(new Violation("confirmed-one-capture", orderId,
            "the provider holds " + kept.size() + " unrefunded captures for it, not 1"));
      } else if (kept.get(0).getLong("amount", -1L) != total
          || !row.getString("currency").equals(kept.get(0).getString("currency"))) {
        violations.add(new Violation("confirmed-one-capture", orderId, "the capture is " + kept.get(0).getValue("amount")
            + " " + kept.get(0).getString("currency") + ", the order's total " + total + " " + row.getString("currency")));
      }
    } else {
      if (reservation != null && !"RELEASED".equals(reservation)) {
        violations.add(new Violation("cancelled-stock-released", orderId, "its reservation is " + reservation));
      }
      if ("CAPTURED".equals(payment)) {
        violations.add(new Violation("cancelled-payment-not-captured", orderId, "its payment is CAPTURED"));
      }
      if (!kept.isEmpty()) {
        violations.add(new Violation("cancelled-no-capture", orderId,
            "the provider holds " + kept.size() + " unrefunded captures for it"));
      }
    }
  }

  /**
   * A CAPTURED payment whose order is not CONFIRMED is money taken for nothing, unless its capture was
   * refunded at the provider (a refund completed there, not recorded yet in the row).
   */
  private static void checkCapturedPayment(Row row, Map<String, List<JsonObject>> charges, List<Violation> violations) {
    String orderId = id(row, "order_id");
    String chargeId = row.getString("provider_charge_id");
    boolean refunded = charges.getOrDefault(orderId, List.of()).stream()
        .anyMatch(c -> c.getString("id", "").equals(chargeId) && c.getBoolean("refunded", false));
    if (!refunded) {
      String order = row.getString("order_status");
      violations.add(new Violation("captured-payment-confirmed-or-refunded", orderId, "its payment is CAPTURED (charge "
          + chargeId + ", not refunded) but " + (order == null ? "there is no such order" : "the order is " + order)));
    }
  }

  private static void checkStock(StockSnapshot before, Map<UUID, Integer> after, Map<UUID, Long> committed,
      Map<UUID, Long> otherMoves, List<Violation> violations) {
    before.stock().forEach((product, stockBefore) -> {
      Integer stockAfter = after.get(product);
      if (stockAfter == null) {
        violations.add(new Violation("stock-conserved", null, "product " + product + " disappeared"));
        return;
      }
      long sold = committed.getOrDefault(product, 0L);
      long moved = otherMoves.getOrDefault(product, 0L);
      if (stockBefore + moved - stockAfter != sold) {
        violations.add(new Violation("stock-conserved", null, "product " + product + ": stock went from " + stockBefore
            + " to " + stockAfter + " with " + moved + " moved by adjustments and updates, but committed reservations took "
            + sold));
      }
    });
  }

  private static Map<UUID, Long> unitsByProduct(RowSet<Row> rows) {
    Map<UUID, Long> units = new HashMap<>();
    rows.forEach(row -> units.put(row.getUUID("product_id"), row.getLong("units")));
    return units;
  }

  /** Every charge the provider knows, by reference (the order id). */
  private Future<Map<String, List<JsonObject>>> providerCharges() {
    return getJson("admin/charges").map(body -> {
      JsonArray items = body.getJsonArray("items");
      if (items == null) {
        throw new IllegalStateException("provider charges without 'items'");
      }
      Map<String, List<JsonObject>> byReference = new HashMap<>();
      for (int i = 0; i < items.size(); i++) {
        JsonObject charge = items.getJsonObject(i);
        byReference.computeIfAbsent(charge.getString("reference"), r -> new ArrayList<>()).add(charge);
      }
      return byReference;
    });
  }

  private Future<JsonObject> getJson(String path) {
    RequestOptions request = new RequestOptions()
        .setMethod(HttpMethod.GET)
        .setAbsoluteURI(providerAdmin.resolve(path).toString())
        .setIdleTimeout(HTTP_TIMEOUT.toMillis());
    return http.request(request)
        .compose(req -> req.send())
        .compose(response -> response.body().map(body -> {
          if (response.statusCode() != 200) {
            throw new IllegalStateException("provider " + path + " answered " + response.statusCode() + ": " + body);
          }
          return body.toJsonObject();
        }));
  }

  private Future<Instant> now() {
    return pool.query(AuditQueries.NOW).execute().map(rows -> rows.iterator().next().getOffsetDateTime(0).toInstant());
  }

  private static String id(Row row, String column) {
    return row.getUUID(column).toString();
  }

  /**
   * Checks the whole history of a shop and prints the report as JSON on stdout. Exit status: 0 when every
   * invariant holds, 1 on any violation, 2 when the check could not run. Reads {@code SHOP_DB_*} (a role
   * that can read the orders, catalog and payments schemas; the user defaults to {@link #AUDIT_ROLE}), {@code SHOP_AUDIT_PROVIDER_ADMIN_URL}
   * (default {@code http://127.0.0.1:8091}) and {@code SHOP_AUDIT_TIMEOUT} (default 60s).
   */
  public static void main(String[] args) {
    System.exit(run(Env.system(), System.out, System.err));
  }

  /** {@link #main} without the exit: the report goes to {@code out}, why it could not run to {@code err}; returns the status. */
  public static int run(Env env, PrintStream out, PrintStream err) {
    Vertx vertx = null;
    try {
      DatabaseConfig database = database(env);
      String adminUrl = providerAdminUrl(env);
      Duration timeout = env.duration("AUDIT_TIMEOUT", Duration.ofSeconds(60), Duration.ofSeconds(1), Duration.ofMinutes(30));
      vertx = Vertx.vertx();
      // The schema only sets the search path; every audit statement names its schema.
      Pool pool = Databases.pool(vertx, database, "orders");
      InvariantChecker checker = new InvariantChecker(vertx, pool, adminUrl);
      InvariantReport report = checker.check().toCompletionStage().toCompletableFuture()
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      out.println(report.toJson().encodePrettily());
      return report.ok() ? 0 : 1;
    } catch (ConfigException e) {
      err.println("invalid configuration: " + e.getMessage());
      return 2;
    } catch (Exception e) {
      Throwable cause = e instanceof java.util.concurrent.ExecutionException && e.getCause() != null ? e.getCause() : e;
      err.println("the check could not run: " + cause);
      return 2;
    } finally {
      if (vertx != null) {
        try {
          vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (Exception ignored) {
          // The status is decided; a slow close changes nothing about it.
        }
      }
    }
  }

  /**
   * Where the audit reads: {@code SHOP_DB_*} as the services read it, but as the read-only
   * {@link #AUDIT_ROLE} unless {@code SHOP_DB_USER} names another role.
   */
  static DatabaseConfig database(Env env) {
    return DatabaseConfig.from(env.isSet("DB_USER") ? env : env.with(Map.of(Env.var("DB_USER"), AUDIT_ROLE)));
  }

  static String providerAdminUrl(Env env) {
    String url = env.string("AUDIT_PROVIDER_ADMIN_URL", "http://127.0.0.1:8091");
    try {
      URI uri = URI.create(url);
      if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
        throw new IllegalArgumentException();
      }
    } catch (IllegalArgumentException e) {
      throw new ConfigException(Env.var("AUDIT_PROVIDER_ADMIN_URL"), "'" + url + "' is not an http(s) URL with a host");
    }
    return url;
  }
}
