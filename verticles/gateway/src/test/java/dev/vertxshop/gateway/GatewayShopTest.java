package dev.vertxshop.gateway;

import static dev.vertxshop.gateway.GatewayCatalogTest.assertError;
import static dev.vertxshop.gateway.GatewayCatalogTest.message;
import static dev.vertxshop.gateway.GatewayNodes.BEARER;
import static dev.vertxshop.gateway.GatewayNodes.authorized;
import static dev.vertxshop.gateway.GatewayNodes.get;
import static dev.vertxshop.gateway.GatewayNodes.poll;
import static dev.vertxshop.gateway.GatewayNodes.send;
import static dev.vertxshop.gateway.GatewayNodes.signUp;
import static dev.vertxshop.gateway.GatewayNodes.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vertxshop.cart.CartService;
import dev.vertxshop.catalog.CatalogService;
import dev.vertxshop.gateway.GatewayNodes.Session;
import dev.vertxshop.notifications.NotificationsService;
import dev.vertxshop.orders.OrdersService;
import dev.vertxshop.payments.PaymentsService;
import dev.vertxshop.platform.boot.ShopNode;
import dev.vertxshop.platform.testing.ShopTestEnv;
import dev.vertxshop.provider.ProviderService;
import dev.vertxshop.search.SearchService;
import dev.vertxshop.users.UsersService;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The signed-in routes against the whole shop in one node: catalog, users, cart, search, orders, payments
 * (with the provider stand-in over loopback HTTP) and notifications, on the shared embedded PostgreSQL and
 * Kafka. Every test makes its own users and products, so tests share no data.
 */
@DisplayName("Gateway in front of the whole shop: search, cart, checkout, orders, notifications, and who may see what")
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class GatewayShopTest {

  private static final String CATEGORY = "office";
  private static final Duration ASYNC = Duration.ofSeconds(20);

  private static ShopNode node;
  private static GatewayService gateway;
  private static WebClient client;
  private static Vertx testVertx;

  @BeforeAll
  @Timeout(value = 4, timeUnit = TimeUnit.MINUTES)
  static void start(Vertx vertx, VertxTestContext ctx) {
    testVertx = vertx;
    gateway = new GatewayService();
    client = WebClient.create(vertx);
    int providerPort = GatewayNodes.freePort();
    Map<String, String> vars = new HashMap<>(GatewayNodes.cheapUsers());
    vars.put("SHOP_CATALOG_SEED_DEMO", "true");
    vars.put("SHOP_PROVIDER_HOST", "127.0.0.1");
    vars.put("SHOP_PROVIDER_PORT", String.valueOf(providerPort));
    vars.put("SHOP_PROVIDER_ADMIN_PORT", String.valueOf(GatewayNodes.freePort()));
    vars.put("SHOP_PAYMENTS_PROVIDER_URL", "http://127.0.0.1:" + providerPort);
    // The machine running the tests may be busy: generous deadlines, the default checkout budget.
    vars.put("SHOP_GATEWAY_DEADLINE", "5s");
    vars.put("SHOP_GATEWAY_CHECKOUT_DEADLINE", "15s");
    GatewayNodes.start(ShopTestEnv.shared(GatewayNodes.gatewayVars(vars)), new CatalogService(), new UsersService(),
            new CartService(), new ProviderService(), new PaymentsService(), new OrdersService(), new NotificationsService(),
            new SearchService(), gateway)
        .onComplete(ctx.succeeding(started -> {
          node = started;
          ctx.completeNow();
        }));
  }

  @AfterAll
  static void stop(VertxTestContext ctx) {
    if (node == null) {
      ctx.completeNow();
      return;
    }
    node.stop().onComplete(ctx.succeedingThenComplete());
  }

  // ---------------------------------------------------------------- fixtures

  private static Future<Session> user(String name) {
    return signUp(client, gateway, name, null);
  }

  /** A new product of the test's own, with {@code stock} units and a name containing {@code word}. */
  private static Future<JsonObject> product(String word, long price, int stock) {
    JsonObject fields = new JsonObject()
        .put("sku", "GWS-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE).toUpperCase())
        .put("name", "Gateway " + word + " lamp")
        .put("description", "made by the gateway's shop test")
        .put("category", CATEGORY)
        .put("price", new JsonObject().put("amount", price).put("currency", "EUR"))
        .put("stock", stock);
    return write(client, gateway, HttpMethod.POST, "/api/products", BEARER, fields.encode()).map(response -> {
      assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(201);
      return response.bodyAsJsonObject();
    });
  }

  private static String word() {
    return "zq" + Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);
  }

  private static Future<HttpResponse<Buffer>> call(HttpMethod method, String uri, Session session) {
    return authorized(client, gateway, method, uri, session == null ? null : session.token()).send();
  }

  private static Future<HttpResponse<Buffer>> call(HttpMethod method, String uri, Session session, JsonObject body) {
    return send(client, gateway, method, uri, session == null ? null : session.token(), body.encode());
  }

  private static Future<JsonObject> cart(Session session) {
    return call(HttpMethod.GET, "/api/cart", session).map(response -> {
      assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
      return response.bodyAsJsonObject();
    });
  }

  private static Future<JsonObject> add(Session session, String productId, int quantity) {
    return call(HttpMethod.POST, "/api/cart/items", session, new JsonObject().put("productId", productId).put("quantity", quantity))
        .map(response -> {
          assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
          return response.bodyAsJsonObject();
        });
  }

  private static Future<HttpResponse<Buffer>> checkout(Session session, String key) {
    var request = authorized(client, gateway, HttpMethod.POST, "/api/orders", session.token());
    if (key != null) {
      request.putHeader("idempotency-key", key);
    }
    return request.send();
  }

  private static int quantityOf(JsonObject cart, String productId) {
    for (Object line : cart.getJsonArray("lines")) {
      JsonObject json = (JsonObject) line;
      if (json.getString("productId").equals(productId)) {
        return json.getInteger("quantity");
      }
    }
    return 0;
  }

  private static List<String> ids(JsonArray items) {
    List<String> ids = new ArrayList<>();
    items.forEach(item -> ids.add(((JsonObject) item).getString("id")));
    return ids;
  }

  // ---------------------------------------------------------------- search

  @Test
  @DisplayName("GET /api/search finds a new product by a word of its name, with price bounds and facets; no token needed")
  void search(VertxTestContext ctx) {
    String word = word();
    product(word, 2500, 5).compose(created -> poll(testVertx,
            () -> get(client, gateway, "/api/search?q=" + word),
            response -> response.statusCode() == 200 && response.bodyAsJsonObject().getInteger("total") == 1, ASYNC)
        .compose(found -> {
          JsonObject page = found.bodyAsJsonObject();
          assertThat(ids(page.getJsonArray("items"))).containsExactly(created.getString("id"));
          assertThat(page.getJsonObject("facets").getJsonArray("category").getJsonObject(0).getString("value")).isEqualTo(CATEGORY);
          return get(client, gateway, "/api/search?q=" + word.toUpperCase() + "&category=" + CATEGORY
              + "&minPrice=2500&maxPrice=2500&sort=-price&page=1&size=5");
        }).compose(bounded -> {
          assertThat(bounded.statusCode()).isEqualTo(200);
          assertThat(bounded.bodyAsJsonObject().getInteger("total")).isEqualTo(1);
          return get(client, gateway, "/api/search?q=" + word + "&maxPrice=2499");
        }).map(cheaper -> {
          assertThat(cheaper.statusCode()).isEqualTo(200);
          assertThat(cheaper.bodyAsJsonObject().getInteger("total")).isZero();
          return null;
        })).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("invalid search parameters are 400s naming the parameter, the document's and the search service's own")
  void invalidSearch(VertxTestContext ctx) {
    Map<String, String> cases = new LinkedHashMap<>();
    cases.put("size=0", "size");
    cases.put("size=101", "size");
    cases.put("page=0", "page");
    cases.put("page=x", "page");
    cases.put("minPrice=-1", "minPrice");
    cases.put("maxPrice=1.5", "maxPrice");
    cases.put("sort=colour", "sort");
    cases.put("category=NOT%20A%20SLUG", "category");
    cases.put("q=" + "a".repeat(201), "q");
    cases.put("minPrice=10&maxPrice=5", "minPrice");
    cases.put("page=200&size=100", "page");
    List<Future<?>> checks = new ArrayList<>();
    cases.forEach((query, parameter) -> checks.add(get(client, gateway, "/api/search?" + query).map(response -> {
      assertError(response, 400, "bad_request");
      assertThat(message(response)).as(query).contains(parameter);
      return null;
    })));
    Future.all(checks).onComplete(ctx.succeedingThenComplete());
  }

  // ---------------------------------------------------------------- cart

  @Test
  @DisplayName("cart: add (200, added to the line), view, set a quantity, set 0, remove; each answers the cart")
  void cartRoundTrip(VertxTestContext ctx) {
    Future.all(user("Cart.Trip"), product(word(), 1999, 20), product(word(), 500, 20)).compose(all -> {
      Session session = all.resultAt(0);
      String p1 = all.<JsonObject>resultAt(1).getString("id");
      String p2 = all.<JsonObject>resultAt(2).getString("id");
      return cart(session).compose(empty -> {
        assertThat(empty.getJsonArray("lines")).isEmpty();
        assertThat(empty.getString("userId")).isEqualTo(session.userId());
        return add(session, p1, 2);
      }).compose(added -> {
        assertThat(quantityOf(added, p1)).isEqualTo(2);
        return add(session, p1, 1);
      }).compose(again -> {
        assertThat(quantityOf(again, p1)).isEqualTo(3);
        assertThat(again.getJsonObject("total")).isEqualTo(new JsonObject().put("amount", 3 * 1999).put("currency", "EUR"));
        return add(session, p2, 1);
      }).compose(two -> cart(session)).compose(viewed -> {
        assertThat(viewed.getInteger("itemCount")).isEqualTo(4);
        assertThat(viewed.getJsonObject("total").getLong("amount")).isEqualTo(3 * 1999 + 500);
        return call(HttpMethod.PUT, "/api/cart/items/" + p1, session, new JsonObject().put("quantity", 7));
      }).compose(set -> {
        assertThat(set.statusCode()).isEqualTo(200);
        assertThat(quantityOf(set.bodyAsJsonObject(), p1)).isEqualTo(7);
        return call(HttpMethod.PUT, "/api/cart/items/" + p1, session, new JsonObject().put("quantity", 0));
      }).compose(zero -> {
        assertThat(zero.statusCode()).isEqualTo(200);
        assertThat(quantityOf(zero.bodyAsJsonObject(), p1)).isZero();
        return call(HttpMethod.DELETE, "/api/cart/items/" + p2, session);
      }).compose(removed -> {
        assertThat(removed.statusCode()).isEqualTo(200);
        assertThat(removed.bodyAsJsonObject().getJsonArray("lines")).isEmpty();
        return call(HttpMethod.DELETE, "/api/cart/items/" + p2, session);
      }).compose(gone -> {
        assertError(gone, 404, "not_found");
        return call(HttpMethod.POST, "/api/cart/items", session,
            new JsonObject().put("productId", UUID.randomUUID().toString()).put("quantity", 1));
      }).compose(unknown -> {
        assertError(unknown, 404, "not_found");
        return call(HttpMethod.PUT, "/api/cart/items/" + UUID.randomUUID(), session, new JsonObject().put("quantity", 1));
      }).map(unknownSet -> {
        assertError(unknownSet, 404, "not_found");
        return null;
      });
    }).onComplete(ctx.succeedingThenComplete());
  }

  /** {@code POST /api/cart/items} with {@code Idempotency-Key: key}. */
  private static Future<HttpResponse<Buffer>> keyedAdd(Session session, String key, String productId, int quantity) {
    return authorized(client, gateway, HttpMethod.POST, "/api/cart/items", session.token())
        .putHeader("idempotency-key", key)
        .sendJsonObject(new JsonObject().put("productId", productId).put("quantity", quantity));
  }

  @Test
  @DisplayName("cart add with an Idempotency-Key: a replay answers the first cart and adds nothing, 10 at once add once, another body is 422, a bad key 400")
  void idempotentCartAdd(VertxTestContext ctx) {
    Future.all(user("Cart.Keyed"), product(word(), 700, 50), product(word(), 900, 50)).compose(all -> {
      Session session = all.resultAt(0);
      String p1 = all.<JsonObject>resultAt(1).getString("id");
      String p2 = all.<JsonObject>resultAt(2).getString("id");
      String key = "add-" + UUID.randomUUID();
      return keyedAdd(session, key, p1, 2).compose(first -> {
        assertThat(first.statusCode()).as(first.bodyAsString()).isEqualTo(200);
        return keyedAdd(session, key, p1, 2).map(replay -> {
          assertThat(replay.statusCode()).as(replay.bodyAsString()).isEqualTo(200);
          assertThat(replay.bodyAsJsonObject()).as("the first answer").isEqualTo(first.bodyAsJsonObject());
          return first.bodyAsJsonObject();
        });
      }).compose(first -> cart(session).map(now -> {
        assertThat(quantityOf(now, p1)).as("the replay added nothing").isEqualTo(2);
        assertThat(now).isEqualTo(first);
        return first;
      })).compose(first -> keyedAdd(session, key, p1, 3)).compose(otherQuantity -> {
        assertError(otherQuantity, 422, "unprocessable");
        assertThat(message(otherQuantity)).contains(key).contains("another request");
        return keyedAdd(session, key, p2, 2);
      }).compose(otherProduct -> {
        assertError(otherProduct, 422, "unprocessable");
        String racing = "race-" + UUID.randomUUID();
        List<Future<HttpResponse<Buffer>>> racers = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
          racers.add(keyedAdd(session, racing, p2, 4));
        }
        return Future.all(racers).map(done -> racers.stream().map(Future::result).toList());
      }).compose(racers -> {
        for (HttpResponse<Buffer> racer : racers) {
          assertThat(racer.statusCode()).as(racer.bodyAsString()).isEqualTo(200);
        }
        assertThat(racers.stream().map(HttpResponse::bodyAsJsonObject).distinct().toList()).as("one answer for all").hasSize(1);
        return cart(session);
      }).compose(afterRace -> {
        assertThat(quantityOf(afterRace, p1)).isEqualTo(2);
        assertThat(quantityOf(afterRace, p2)).as("ten adds under one key: one add").isEqualTo(4);
        return keyedAdd(session, "with space", p1, 1);
      }).compose(spaced -> {
        assertError(spaced, 400, "bad_request");
        assertThat(message(spaced)).containsIgnoringCase("idempotency-key");
        return keyedAdd(session, "k".repeat(65), p1, 1);
      }).compose(tooLong -> {
        assertError(tooLong, 400, "bad_request");
        return cart(session);
      }).map(last -> {
        assertThat(quantityOf(last, p1)).as("refused keys changed nothing").isEqualTo(2);
        assertThat(quantityOf(last, p2)).isEqualTo(4);
        return null;
      });
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("invalid cart requests are 400s naming the problem and change nothing; a userId in the body is refused")
  void invalidCartRequests(VertxTestContext ctx) {
    Future.all(user("Cart.Bad"), user("Cart.Victim"), product(word(), 300, 20)).compose(all -> {
      Session session = all.resultAt(0);
      Session victim = all.resultAt(1);
      String productId = all.<JsonObject>resultAt(2).getString("id");
      JsonObject valid = new JsonObject().put("productId", productId).put("quantity", 1);
      List<Case> cases = List.of(
          new Case("quantity", () -> call(HttpMethod.POST, "/api/cart/items", session, valid.copy().put("quantity", 0))),
          new Case("quantity", () -> call(HttpMethod.POST, "/api/cart/items", session, valid.copy().put("quantity", 100))),
          new Case("quantity", () -> call(HttpMethod.POST, "/api/cart/items", session, valid.copy().put("quantity", 1.5))),
          new Case("quantity", () -> call(HttpMethod.POST, "/api/cart/items", session, valid.copy().put("quantity", "2"))),
          new Case("productId", () -> call(HttpMethod.POST, "/api/cart/items", session, valid.copy().put("productId", "abc"))),
          new Case("missing required field 'productId'", () -> call(HttpMethod.POST, "/api/cart/items", session,
              new JsonObject().put("quantity", 1))),
          new Case("unknown field 'userId'", () -> call(HttpMethod.POST, "/api/cart/items", session,
              valid.copy().put("userId", victim.userId()))),
          new Case("not valid JSON", () -> send(client, gateway, HttpMethod.POST, "/api/cart/items", session.token(), "{")),
          new Case("quantity", () -> call(HttpMethod.PUT, "/api/cart/items/" + productId, session,
              new JsonObject().put("quantity", -1))),
          new Case("unknown field 'productId'", () -> call(HttpMethod.PUT, "/api/cart/items/" + productId, session,
              new JsonObject().put("quantity", 1).put("productId", productId))),
          new Case("path parameter productId", () -> call(HttpMethod.PUT, "/api/cart/items/not-a-uuid", session,
              new JsonObject().put("quantity", 1))),
          new Case("path parameter productId", () -> call(HttpMethod.DELETE, "/api/cart/items/not-a-uuid", session)));
      Future<Void> chain = Future.succeededFuture();
      for (Case c : cases) {
        chain = chain.compose(v -> c.call().get()).map(response -> {
          assertError(response, 400, "bad_request");
          assertThat(message(response)).contains(c.expected());
          return null;
        });
      }
      return chain.compose(v -> Future.all(cart(session), cart(victim))).map(carts -> {
        assertThat(carts.<JsonObject>resultAt(0).getJsonArray("lines")).as("nothing written").isEmpty();
        assertThat(carts.<JsonObject>resultAt(1).getJsonArray("lines")).as("nothing written").isEmpty();
        return null;
      });
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("user A's cart operations only ever touch A's cart: B's cart is untouched, B cannot remove A's lines")
  void cartsAreSeparate(VertxTestContext ctx) {
    Future.all(user("Cart.A"), user("Cart.B"), product(word(), 700, 20)).compose(all -> {
      Session a = all.resultAt(0);
      Session b = all.resultAt(1);
      String productId = all.<JsonObject>resultAt(2).getString("id");
      return add(a, productId, 2)
          .compose(v -> cart(b)).compose(bCart -> {
            assertThat(bCart.getJsonArray("lines")).isEmpty();
            assertThat(bCart.getString("userId")).isEqualTo(b.userId());
            return call(HttpMethod.DELETE, "/api/cart/items/" + productId, b);
          }).compose(bRemove -> {
            assertError(bRemove, 404, "not_found");
            return call(HttpMethod.PUT, "/api/cart/items/" + productId, b, new JsonObject().put("quantity", 5));
          }).compose(bSet -> {
            assertThat(bSet.statusCode()).isEqualTo(200);
            assertThat(quantityOf(bSet.bodyAsJsonObject(), productId)).isEqualTo(5);
            return cart(a);
          }).map(aCart -> {
            assertThat(aCart.getString("userId")).isEqualTo(a.userId());
            assertThat(quantityOf(aCart, productId)).as("A's line untouched by B").isEqualTo(2);
            return null;
          });
    }).onComplete(ctx.succeedingThenComplete());
  }

  /** One request expected to be refused, and a part of the expected message. */
  private record Case(String expected, Supplier<Future<HttpResponse<Buffer>>> call) {
  }

  // ---------------------------------------------------------------- orders and notifications

  @Test
  @DisplayName("checkout: 201 CONFIRMED with Location; the same key again gives the same order; listed, readable; notified; cart emptied")
  void checkoutConfirmed(VertxTestContext ctx) {
    String key = UUID.randomUUID().toString();
    Future.all(user("Order.Ok"), product(word(), 1250, 10)).compose(all -> {
      Session session = all.resultAt(0);
      String productId = all.<JsonObject>resultAt(1).getString("id");
      return add(session, productId, 2).compose(v -> checkout(session, key)).compose(first -> {
        assertThat(first.statusCode()).as(first.bodyAsString()).isEqualTo(201);
        JsonObject order = first.bodyAsJsonObject();
        assertThat(order.getString("status")).isEqualTo("CONFIRMED");
        assertThat(order.getString("userId")).isEqualTo(session.userId());
        assertThat(order.getJsonObject("total")).isEqualTo(new JsonObject().put("amount", 2500).put("currency", "EUR"));
        assertThat(first.getHeader("location")).isEqualTo("/api/orders/" + order.getString("id"));
        return checkout(session, key).compose(second -> {
          assertThat(second.statusCode()).isEqualTo(201);
          assertThat(second.bodyAsJsonObject()).as("the same order, not a second one").isEqualTo(order);
          return call(HttpMethod.GET, "/api/orders", session);
        }).compose(list -> {
          assertThat(list.statusCode()).isEqualTo(200);
          assertThat(list.bodyAsJsonObject().getInteger("total")).isEqualTo(1);
          assertThat(ids(list.bodyAsJsonObject().getJsonArray("items"))).containsExactly(order.getString("id"));
          return call(HttpMethod.GET, first.getHeader("location"), session);
        }).compose(read -> {
          assertThat(read.statusCode()).isEqualTo(200);
          assertThat(read.bodyAsJsonObject().getString("id")).isEqualTo(order.getString("id"));
          assertThat(read.bodyAsJsonObject().getString("status")).isEqualTo("CONFIRMED");
          return poll(testVertx, () -> call(HttpMethod.GET, "/api/notifications", session),
              response -> response.statusCode() == 200 && hasNotification(response.bodyAsJsonObject(), "OrderConfirmed",
                  order.getString("id")), ASYNC);
        }).compose(notified -> {
          for (Object item : notified.bodyAsJsonObject().getJsonArray("items")) {
            assertThat(((JsonObject) item).getString("userId")).isEqualTo(session.userId());
          }
          return poll(testVertx, () -> cart(session), cart -> cart.getJsonArray("lines").isEmpty(), ASYNC);
        }).map(emptied -> null);
      });
    }).onComplete(ctx.succeedingThenComplete());
  }

  private static boolean hasNotification(JsonObject page, String type, String orderId) {
    for (Object item : page.getJsonArray("items")) {
      JsonObject notification = (JsonObject) item;
      if (type.equals(notification.getString("type")) && orderId.equals(notification.getString("orderId"))) {
        return true;
      }
    }
    return false;
  }

  @Test
  @DisplayName("checkout of more than the stock: 201 CANCELLED with cancelReason OUT_OF_STOCK (a cancelled order is still created)")
  void checkoutCancelled(VertxTestContext ctx) {
    Future.all(user("Order.Short"), product(word(), 900, 1)).compose(all -> {
      Session session = all.resultAt(0);
      return add(session, all.<JsonObject>resultAt(1).getString("id"), 2)
          .compose(v -> checkout(session, "cancel-" + UUID.randomUUID()));
    }).map(response -> {
      assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(201);
      JsonObject order = response.bodyAsJsonObject();
      assertThat(order.getString("status")).isEqualTo("CANCELLED");
      assertThat(order.getString("cancelReason")).isEqualTo("OUT_OF_STOCK");
      assertThat(response.getHeader("location")).isEqualTo("/api/orders/" + order.getString("id"));
      return null;
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("checkout without Idempotency-Key, with a malformed one, or of an empty cart is 400, and creates no order")
  void invalidCheckouts(VertxTestContext ctx) {
    Future.all(user("Order.Bad"), product(word(), 100, 10)).compose(all -> {
      Session session = all.resultAt(0);
      return checkout(session, "empty-" + UUID.randomUUID()).compose(emptyCart -> {
        assertError(emptyCart, 400, "bad_request");
        assertThat(message(emptyCart)).contains("empty");
        return add(session, all.<JsonObject>resultAt(1).getString("id"), 1);
      }).compose(v -> checkout(session, null)).compose(missing -> {
        assertError(missing, 400, "bad_request");
        assertThat(message(missing)).isEqualTo("the Idempotency-Key header is required");
        return checkout(session, "k".repeat(65));
      }).compose(tooLong -> {
        assertError(tooLong, 400, "bad_request");
        assertThat(message(tooLong)).contains("Idempotency-Key");
        return checkout(session, "has space");
      }).compose(spaced -> {
        assertError(spaced, 400, "bad_request");
        return call(HttpMethod.GET, "/api/orders", session);
      }).map(list -> {
        assertThat(list.bodyAsJsonObject().getInteger("total")).as("no order created").isZero();
        return null;
      });
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("user B cannot see A's orders (404 for A's order id, not in B's list) nor A's notifications")
  void ordersAreSeparate(VertxTestContext ctx) {
    Future.all(user("Order.A"), user("Order.B"), product(word(), 400, 10)).compose(all -> {
      Session a = all.resultAt(0);
      Session b = all.resultAt(1);
      return add(a, all.<JsonObject>resultAt(2).getString("id"), 1)
          .compose(v -> checkout(a, UUID.randomUUID().toString()))
          .compose(placed -> {
            assertThat(placed.statusCode()).isEqualTo(201);
            String orderId = placed.bodyAsJsonObject().getString("id");
            return call(HttpMethod.GET, "/api/orders/" + orderId, b).compose(other -> {
              assertError(other, 404, "not_found");
              return call(HttpMethod.GET, "/api/orders", b);
            }).compose(bList -> {
              assertThat(bList.bodyAsJsonObject().getInteger("total")).isZero();
              // A's notification arrives; B's list stays empty of it.
              return poll(testVertx, () -> call(HttpMethod.GET, "/api/notifications", a),
                  response -> hasNotification(response.bodyAsJsonObject(), "OrderConfirmed", orderId), ASYNC);
            }).compose(aNotified -> call(HttpMethod.GET, "/api/notifications", b)).map(bNotifications -> {
              assertThat(bNotifications.statusCode()).isEqualTo(200);
              assertThat(bNotifications.bodyAsJsonObject().getInteger("total")).isZero();
              return null;
            });
          });
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("orders and notifications: unknown order 404, malformed id and paging out of range 400")
  void ordersAndNotificationsValidation(VertxTestContext ctx) {
    user("Order.Paging").compose(session -> {
      Map<String, Integer> cases = new LinkedHashMap<>();
      cases.put("/api/orders/" + UUID.randomUUID(), 404);
      cases.put("/api/orders/not-a-uuid", 400);
      cases.put("/api/orders?page=0", 400);
      cases.put("/api/orders?size=101", 400);
      cases.put("/api/orders?size=abc", 400);
      cases.put("/api/notifications?page=0", 400);
      cases.put("/api/notifications?size=0", 400);
      cases.put("/api/notifications?page=100001", 400);
      List<Future<?>> checks = new ArrayList<>();
      cases.forEach((uri, status) -> checks.add(call(HttpMethod.GET, uri, session).map(response -> {
        assertError(response, status, status == 404 ? "not_found" : "bad_request");
        return null;
      })));
      checks.add(call(HttpMethod.GET, "/api/orders?page=2&size=5", session).map(response -> {
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.bodyAsJsonObject().getInteger("page")).isEqualTo(2);
        assertThat(response.bodyAsJsonObject().getInteger("size")).isEqualTo(5);
        return null;
      }));
      checks.add(call(HttpMethod.GET, "/api/notifications?size=3", session).map(response -> {
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.bodyAsJsonObject().getInteger("size")).isEqualTo(3);
        return null;
      }));
      return Future.all(checks);
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("every signed-in route without a token is 401 with WWW-Authenticate: Bearer, and none writes anything")
  void everyProtectedRouteNeedsAToken(VertxTestContext ctx) {
    String someId = UUID.randomUUID().toString();
    Map<String, Supplier<Future<HttpResponse<Buffer>>>> routes = new LinkedHashMap<>();
    routes.put("GET /api/users/me", () -> call(HttpMethod.GET, "/api/users/me", null));
    routes.put("GET /api/cart", () -> call(HttpMethod.GET, "/api/cart", null));
    routes.put("POST /api/cart/items", () -> call(HttpMethod.POST, "/api/cart/items", null,
        new JsonObject().put("productId", someId).put("quantity", 1)));
    routes.put("PUT /api/cart/items/{id}", () -> call(HttpMethod.PUT, "/api/cart/items/" + someId, null, new JsonObject().put("quantity", 1)));
    routes.put("DELETE /api/cart/items/{id}", () -> call(HttpMethod.DELETE, "/api/cart/items/" + someId, null));
    routes.put("POST /api/orders", () -> authorized(client, gateway, HttpMethod.POST, "/api/orders", null)
        .putHeader("idempotency-key", "k1").send());
    routes.put("GET /api/orders", () -> call(HttpMethod.GET, "/api/orders", null));
    routes.put("GET /api/orders/{id}", () -> call(HttpMethod.GET, "/api/orders/" + someId, null));
    routes.put("GET /api/notifications", () -> call(HttpMethod.GET, "/api/notifications", null));
    List<Future<?>> checks = new ArrayList<>();
    routes.forEach((route, call) -> checks.add(call.get().map(response -> {
      assertThat(response.statusCode()).as(route).isEqualTo(401);
      assertError(response, 401, "unauthorized");
      assertThat(response.getHeader("www-authenticate")).as(route).startsWith("Bearer");
      return null;
    })));
    Future.all(checks).onComplete(ctx.succeedingThenComplete());
  }
}
