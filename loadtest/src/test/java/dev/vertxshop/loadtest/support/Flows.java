package dev.vertxshop.loadtest.support;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.feed;
import static io.gatling.javaapi.core.CoreDsl.jmesPath;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.pause;
import static io.gatling.javaapi.core.CoreDsl.percent;
import static io.gatling.javaapi.core.CoreDsl.stopLoadGeneratorIf;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;

/**
 * The building blocks of every simulation: what a visitor, a searcher and a shopper do, through the
 * public API only. Each request checks its status and the JSON it needs, and is counted on the
 * {@link Timeline}. A step that needs a value an earlier step failed to produce is skipped (and the
 * earlier failure is what the report shows), never sent with a hole in it.
 */
public final class Flows {

  static final java.util.List<String> ORDER_STATES = java.util.List.of("CONFIRMED", "CANCELLED", "PENDING");

  private final Settings settings;
  private final ShopData data;
  private final Iterator<Map<String, Object>> lists;
  private final Iterator<Map<String, Object>> searches;
  private final Iterator<Map<String, Object>> baskets;
  private UserPool pool;

  public Flows(Settings settings, ShopData data) {
    this.settings = settings;
    this.data = data;
    this.lists = data.listFeeder();
    this.searches = data.searchFeeder();
    this.baskets = data.basketFeeder();
  }

  /** The pool the cart and checkout flows lease their signed-in shoppers from. */
  public Flows withPool(UserPool pool) {
    this.pool = pool;
    return this;
  }

  public ShopData data() {
    return data;
  }

  /** The HTTP protocol every simulation uses. */
  public static HttpProtocolBuilder protocol(Settings settings) {
    HttpProtocolBuilder protocol = http.baseUrl(settings.baseUrl())
        .acceptHeader("application/json")
        .userAgentHeader("vertx-shop-loadtest/gatling")
        // Every arrival is a new visitor: no HTTP cache (the product ETags would turn reads into 304s).
        .disableCaching()
        .warmUp(settings.baseUrl() + "/api/categories");
    if (Boolean.getBoolean("shareConnections")) {
      protocol = protocol.shareConnections();
    }
    return protocol;
  }

  /** First step of every session: ends the run when the harness asks (see {@link StopSignal}). */
  public static ChainBuilder stopWhenAsked() {
    return exec(stopLoadGeneratorIf("the harness asked to stop", session -> StopSignal.requested()));
  }

  /** A visitor looks at the categories, a page of one, and one of its products. */
  public ChainBuilder browse() {
    return exec(feed(lists))
        .exec(counted(http("GET /api/categories").get("/api/categories")
            .check(status().is(200), jmesPath("items[0].id").exists())))
        .exec(think())
        .exec(counted(http("GET /api/products").get("/api/products?#{listQuery}")
            .check(status().is(200), jmesPath("total").ofInt().exists(),
                jsonPath("$.items[*].id").findRandom().optional().saveAs("viewedId"))))
        .doIf(session -> session.contains("viewedId")).then(
            exec(think())
                .exec(counted(http("GET /api/products/{id}").get("/api/products/#{viewedId}")
                    .check(status().is(200), jmesPath("id").isEL("#{viewedId}"), jmesPath("price.amount").ofLong().exists()))))
        .exec(session -> session.remove("viewedId"));
  }

  /** A searcher types words from the product names, sometimes narrowed, and opens a hit. */
  public ChainBuilder search() {
    return exec(feed(searches))
        .exec(counted(http("GET /api/search").get("/api/search?#{searchQuery}")
            .check(status().is(200), jmesPath("total").ofInt().exists(),
                jsonPath("$.items[*].id").findRandom().optional().saveAs("hitId"))))
        .doIf(session -> session.contains("hitId")).then(
            exec(think())
                .exec(counted(http("GET /api/products/{id}").get("/api/products/#{hitId}")
                    .check(status().is(200), jmesPath("id").isEL("#{hitId}")))))
        .exec(session -> session.remove("hitId"));
  }

  /** A signed-in shopper edits the cart: add, look, change the quantity, remove (the cart ends as it began). */
  public ChainBuilder cart() {
    requirePool();
    return exec(feed(pool.feeder()), feed(baskets))
        .exec(counted(authorized(http("GET /api/cart").get("/api/cart"))
            .check(status().is(200), jmesPath("total.amount").ofLong().exists())))
        .exec(think())
        .exec(counted(authorized(http("POST /api/cart/items").post("/api/cart/items"))
            .body(StringBody("{\"productId\":\"#{productId}\",\"quantity\":#{quantity}}")).asJson()
            .check(status().in(200, 201), jmesPath("itemCount").ofInt().gt(0))))
        .exec(think())
        .exec(counted(authorized(http("PUT /api/cart/items/{id}").put("/api/cart/items/#{productId}"))
            .body(StringBody("{\"quantity\":#{quantity2}}")).asJson()
            .check(status().is(200))))
        .exec(think())
        .exec(counted(authorized(http("DELETE /api/cart/items/{id}").delete("/api/cart/items/#{productId}"))
            .check(status().in(200, 204))))
        .exec(this::releaseShopper);
  }

  /** A signed-in shopper puts a product in the cart and checks out with an idempotency key. */
  public ChainBuilder checkout() {
    requirePool();
    return exec(feed(pool.feeder()), feed(baskets))
        .exec(placeOrder())
        .exec(this::releaseShopper);
  }

  /**
   * A newcomer's whole journey: register, sign in, look around, search, fill the cart with one or two
   * products, check out, and look at the orders.
   */
  public ChainBuilder shopper() {
    return exec(feed(ShopData.newcomerFeeder()), feed(baskets))
        .exec(counted(http("POST /api/users").post("/api/users")
            .body(StringBody("{\"email\":\"#{email}\",\"password\":\"#{password}\",\"name\":\"#{name}\"}"))
            .asJson()
            .check(status().is(201), jmesPath("id").exists())))
        .exec(counted(http("POST /api/auth/login").post("/api/auth/login")
            .body(StringBody("{\"email\":\"#{email}\",\"password\":\"#{password}\"}"))
            .asJson()
            .check(status().is(200), jmesPath("token").saveAs("token"))))
        .doIf(session -> session.contains("token")).then(
            exec(counted(authorized(http("GET /api/users/me").get("/api/users/me"))
                .check(status().is(200), jmesPath("email").isEL("#{email}"))))
                .exec(think())
                .exec(browse())
                .exec(think())
                .exec(search())
                .exec(think())
                .randomSwitch().on(
                    percent(40.0).then(
                        exec(counted(authorized(http("POST /api/cart/items").post("/api/cart/items"))
                            .body(StringBody("{\"productId\":\"#{secondProductId}\",\"quantity\":1}")).asJson()
                            .check(status().in(200, 201))))))
                .exec(placeOrder())
                .exec(think())
                .exec(counted(authorized(http("GET /api/orders").get("/api/orders"))
                    .check(status().is(200), jmesPath("items").exists()))));
  }

  /** Sets one line of the cart to a known quantity, then checks out (the order takes every line). */
  private ChainBuilder placeOrder() {
    return exec(counted(authorized(http("PUT /api/cart/items/{id}").put("/api/cart/items/#{productId}"))
            .body(StringBody("{\"quantity\":#{quantity}}")).asJson()
            .check(status().is(200), jmesPath("itemCount").ofInt().gt(0))))
        .exec(think())
        .exec(counted(authorized(http("POST /api/orders").post("/api/orders"))
            .header("Idempotency-Key", "#{orderKey}")
            // 409: this shopper's cart is in an order that has not settled yet (a pending checkout of an
            // earlier session); the shop names that order, which the shopper then follows like its own.
            .check(status().in(201, 202, 409))
            .checkIf((response, session) -> response.status().code() != 409).then(jmesPath("id").saveAs("orderId"),
                jmesPath("status").in(ORDER_STATES).saveAs("orderStatus"))
            .checkIf((response, session) -> response.status().code() == 409).then(jmesPath("orderId").saveAs("orderId"),
                jmesPath("error").is("conflict").saveAs("orderConflict"))))
        .exec(session -> {
          if (session.contains("orderConflict")) {
            Timeline.count("order conflict: cart in an unsettled order");
          }
          return session.remove("orderConflict");
        })
        .exec(session -> {
          if (session.contains("orderStatus")) {
            Timeline.count("order " + session.getString("orderStatus"));
          }
          return session.remove("orderStatus");
        })
        .doIf(session -> session.contains("orderId")).then(
            exec(think())
                .exec(counted(authorized(http("GET /api/orders/{id}").get("/api/orders/#{orderId}"))
                    .check(status().is(200), jmesPath("id").isEL("#{orderId}"))))
                // Some shoppers look at what the shop told them (order and payment notifications).
                .randomSwitch().on(
                    percent(30.0).then(
                        exec(counted(authorized(http("GET /api/notifications").get("/api/notifications"))
                            .check(status().is(200), jmesPath("items").exists()))))))
        .exec(session -> session.remove("orderId"));
  }

  private io.gatling.javaapi.core.Session releaseShopper(io.gatling.javaapi.core.Session session) {
    pool.release(session.getString("email"), session.getBoolean("leased"));
    return session;
  }

  private static HttpRequestActionBuilder authorized(HttpRequestActionBuilder request) {
    return request.header("Authorization", "Bearer #{token}");
  }

  /**
   * The request, then its outcome on the timeline. The status is saved whatever it is (a check that only
   * extracts never fails), so that a failed request is counted by its status, or as "none" when no
   * response came (refused, reset, timed out).
   */
  static ChainBuilder counted(HttpRequestActionBuilder request) {
    return exec(request.check(status().saveAs(Timeline.STATUS))).exec(Timeline::record);
  }

  private ChainBuilder think() {
    Duration max = settings.think();
    return max.isZero() ? exec(session -> session) : pause(Duration.ZERO, max);
  }

  private void requirePool() {
    if (pool == null) {
      throw new IllegalStateException("the cart and checkout flows need a user pool (withPool)");
    }
  }
}
