package dev.vertxshop.gateway;

import static dev.vertxshop.gateway.GatewayCatalogTest.assertError;
import static dev.vertxshop.gateway.GatewayNodes.authorized;
import static dev.vertxshop.gateway.GatewayNodes.get;
import static dev.vertxshop.gateway.GatewayNodes.pause;
import static dev.vertxshop.gateway.GatewayNodes.poll;
import static dev.vertxshop.gateway.GatewayNodes.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vertxshop.contracts.Money;
import dev.vertxshop.contracts.cart.Cart;
import dev.vertxshop.contracts.cart.CartContract;
import dev.vertxshop.contracts.notifications.NotificationPage;
import dev.vertxshop.platform.bus.BusMessage;
import dev.vertxshop.contracts.notifications.NotificationsContract;
import dev.vertxshop.contracts.orders.OrdersContract;
import dev.vertxshop.contracts.users.UsersContract;
import dev.vertxshop.gateway.auth.JwtKeys;
import dev.vertxshop.platform.boot.ServiceContext;
import dev.vertxshop.platform.boot.ShopNode;
import dev.vertxshop.platform.boot.ShopService;
import dev.vertxshop.platform.errors.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The gateway alone on a node, with stand-ins at the users, cart, orders and notifications addresses that
 * record what the gateway sends and answer what a test needs (the JWKS a users service would publish, for
 * instance). They hold no service logic: the real services are exercised by the other gateway tests. A node per
 * test, because loading keys is what several tests are about.
 */
@DisplayName("Gateway token keys (loading, refresh, configured PEM) and what it sends downstream, with stand-in services")
@ExtendWith(VertxExtension.class)
class GatewayAuthTest {

  private static final TestTokens.Key K1 = TestTokens.Key.generate();
  private static final TestTokens.Key K2 = TestTokens.Key.generate();
  private static final TestTokens.Key K3 = TestTokens.Key.generate();
  private static final long REFRESH_MS = 1000;

  private ShopNode node;
  private GatewayService gateway;
  private WebClient client;
  private Vertx testVertx;
  private final AtomicReference<JsonObject> jwks = new AtomicReference<>(K1.jwks());
  private final AtomicInteger jwksCalls = new AtomicInteger();
  /** The last body each stand-in address received. */
  private final Map<String, JsonObject> received = new ConcurrentHashMap<>();

  @BeforeEach
  void setUp(Vertx vertx) {
    testVertx = vertx;
    client = WebClient.create(vertx);
  }

  private Future<Void> startNode(Map<String, String> overrides) {
    gateway = new GatewayService();
    Map<String, String> vars = new HashMap<>(Map.of(
        "SHOP_GATEWAY_JWKS_RETRY", "200ms",
        "SHOP_GATEWAY_JWKS_REFRESH_INTERVAL", REFRESH_MS + "ms",
        "SHOP_GATEWAY_DEADLINE", "1s"));
    vars.putAll(overrides);
    return GatewayNodes.start(GatewayNodes.gatewayOnlyEnv(vars), gateway).map(started -> {
      node = started;
      return null;
    });
  }

  @AfterEach
  void tearDown(VertxTestContext ctx) {
    if (node == null) {
      ctx.completeNow();
      return;
    }
    node.stop().onComplete(ctx.succeedingThenComplete());
  }

  private Future<Void> standIn(String address, Consumer<Message<Object>> behaviour) {
    return node.vertx().eventBus().consumer(address, message -> {
      // Typed requests arrive as their record (one JVM): compared as the JSON they are on the wire.
      received.put(address, message.body() instanceof BusMessage typed ? typed.toJson() : (JsonObject) message.body());
      behaviour.accept(message);
    }).completion();
  }

  private Future<Void> jwksStandIn() {
    return standIn(UsersContract.JWKS.address(), message -> {
      jwksCalls.incrementAndGet();
      message.reply(jwks.get());
    });
  }

  /** Stand-ins for every address a signed-in route calls, answering an object with the user id they were given. */
  private Future<Void> echoStandIns() {
    List<Future<Void>> all = new ArrayList<>();
    for (String address : List.of(CartContract.GET.address(), CartContract.ADD_ITEM.address(), CartContract.SET_ITEM.address(),
        CartContract.REMOVE_ITEM.address())) {
      // The cart's routes are typed: the gateway reads their replies as a Cart, here the empty cart of the user asked for.
      all.add(standIn(address, message -> message.reply(Cart.empty(UUID.fromString(received.get(address).getString("userId")), Money.EUR))));
    }
    for (String address : List.of(OrdersContract.LIST.address(), OrdersContract.GET.address(), OrdersContract.CHECKOUT.address(), UsersContract.GET.address())) {
      all.add(standIn(address, message -> message.reply(new JsonObject()
          .put("id", UUID.randomUUID().toString())
          .put("status", OrdersContract.CONFIRMED)
          .put("echo", message.body() instanceof BusMessage typed ? typed.toJson() : message.body()))));
    }
    all.add(standIn(NotificationsContract.LIST.address(), message -> message.reply(new NotificationPage(List.of(), 1, 20, 0))));
    return Future.all(all).mapEmpty();
  }

  private Future<HttpResponse<Buffer>> getCart(String token) {
    return authorized(client, gateway, HttpMethod.GET, "/api/cart", token).send();
  }

  @Test
  @DisplayName("before the users service answers, protected routes are 503 (others work); the keys then load in the background")
  void keysLoadLate(VertxTestContext ctx) {
    String sub = UUID.randomUUID().toString();
    String token = K1.token(sub);
    startNode(Map.of())
        .compose(v -> getCart(token))
        .compose(early -> {
          assertError(early, 503, "unavailable");
          assertThat(early.getHeader("retry-after")).isNotBlank();
          return get(client, gateway, "/api/openapi.json");
        }).compose(document -> {
          assertThat(document.statusCode()).isEqualTo(200);
          // Still no token at all is a 401, keys or not.
          return getCart(null);
        }).compose(anonymous -> {
          assertError(anonymous, 401, "unauthorized");
          return jwksStandIn().compose(v -> echoStandIns());
        }).compose(v -> poll(testVertx, () -> getCart(token), response -> response.statusCode() != 503, Duration.ofSeconds(10)))
        .map(loaded -> {
          assertThat(loaded.statusCode()).as(loaded.bodyAsString()).isEqualTo(200);
          assertThat(received.get(CartContract.GET.address())).isEqualTo(new JsonObject().put("userId", sub));
          assertThat(jwksCalls.get()).isPositive();
          return null;
        }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("a token with an unknown kid makes the gateway fetch the JWKS again, at most once per refresh interval")
  void refreshOnUnknownKid(VertxTestContext ctx) {
    String sub = UUID.randomUUID().toString();
    jwksStandInFirst()
        .compose(v -> poll(testVertx, () -> getCart(K1.token(sub)), response -> response.statusCode() == 200, Duration.ofSeconds(10)))
        .compose(loaded -> {
          // The users service gets a second key (as after a restart with a generated key).
          jwks.set(new JsonObject().put("keys", new JsonArray().add(K1.jwk()).add(K2.jwk())));
          return pause(testVertx, REFRESH_MS + 200);
        }).compose(v -> {
          int before = jwksCalls.get();
          return getCart(K2.token(sub)).map(response -> {
            assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
            assertThat(jwksCalls.get()).as("one fetch for the new kid").isEqualTo(before + 1);
            return before + 1;
          });
        }).compose(afterRefresh -> {
          // Made-up kids right after a refresh: refused, and no new fetch for them.
          List<Future<HttpResponse<Buffer>>> attempts = new ArrayList<>();
          for (int i = 0; i < 5; i++) {
            attempts.add(getCart(K3.sign(K3.header().put("kid", "made-up-" + i), TestTokens.claims(sub))));
          }
          return Future.all(attempts).map(all -> {
            for (int i = 0; i < all.size(); i++) {
              assertError(all.resultAt(i), 401, "unauthorized");
            }
            assertThat(jwksCalls.get()).as("rate-limited").isLessThanOrEqualTo(afterRefresh + 1);
            return null;
          });
        }).onComplete(ctx.succeedingThenComplete());
  }

  private Future<Void> jwksStandInFirst() {
    return startNode(Map.of()).compose(v -> jwksStandIn()).compose(v -> echoStandIns());
  }

  @Test
  @DisplayName("with SHOP_JWT_PUBLIC_KEY the gateway verifies at once without ever asking users.jwks; other keys are refused")
  void configuredKey(VertxTestContext ctx) {
    String sub = UUID.randomUUID().toString();
    jwks.set(K2.jwks());
    startNode(Map.of("SHOP_JWT_PUBLIC_KEY", K1.publicPem()))
        .compose(v -> jwksStandIn())
        .compose(v -> echoStandIns())
        .compose(v -> getCart(K1.token(sub)))
        .compose(ok -> {
          assertThat(ok.statusCode()).as(ok.bodyAsString()).isEqualTo(200);
          return getCart(K2.token(sub));
        }).map(other -> {
          assertError(other, 401, "unauthorized");
          assertThat(jwksCalls.get()).isZero();
          return null;
        }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("with SHOP_JWT_PUBLIC_KEY, HTTP instances whose start-up answer from the keys' owner was lost still verify: they ask again before a 503")
  void lostKeysAnswerHeals(VertxTestContext ctx) {
    String sub = UUID.randomUUID().toString();
    AtomicInteger lost = new AtomicInteger();
    // Started just before the gateway: the answers to the HTTP instances' first question for the keys never
    // arrive, as when the keys' owner's event loop is busy past the deadline while the instances start. With a
    // configured key no change notice ever follows.
    ShopService lossy = new ShopService() {
      @Override
      public String name() {
        return "lossy-keys-answers";
      }

      @Override
      public int startOrder() {
        return GatewayService.START_ORDER - 1;
      }

      @Override
      public Future<Void> start(ServiceContext context) {
        context.vertx().eventBus().addInboundInterceptor(delivery -> {
          if (JwtKeys.CURRENT.equals(delivery.message().address()) && lost.get() < 2) {
            lost.incrementAndGet();
            return;
          }
          delivery.next();
        });
        return Future.succeededFuture();
      }
    };
    gateway = new GatewayService();
    GatewayNodes.start(GatewayNodes.gatewayOnlyEnv(Map.of("SHOP_JWT_PUBLIC_KEY", K1.publicPem(),
            "SHOP_GATEWAY_DEADLINE", "500ms")), lossy, gateway)
        .compose(started -> {
          node = started;
          assertThat(lost.get()).as("both HTTP instances lost their answer").isEqualTo(2);
          return echoStandIns();
        })
        // Two requests per instance at least (connections are spread over both).
        .compose(v -> Future.all(List.of(getCart(K1.token(sub)), getCart(K1.token(sub)), getCart(K1.token(sub)),
            getCart(K1.token(sub)))))
        .map(all -> {
          for (int i = 0; i < all.size(); i++) {
            HttpResponse<Buffer> response = all.resultAt(i);
            assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
          }
          return null;
        }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("every signed-in route sends the token's sub as the user id, whatever the query says")
  void userIdFromToken(VertxTestContext ctx) {
    String sub = UUID.randomUUID().toString();
    String other = UUID.randomUUID().toString();
    String token = K1.token(sub);
    String productId = UUID.randomUUID().toString();
    JsonObject item = new JsonObject().put("productId", productId).put("quantity", 2);
    jwksStandInFirst()
        .compose(v -> poll(testVertx, () -> getCart(token), response -> response.statusCode() == 200, Duration.ofSeconds(10)))
        .compose(v -> authorized(client, gateway, HttpMethod.GET, "/api/cart?userId=" + other, token).send())
        .compose(v -> authorized(client, gateway, HttpMethod.POST, "/api/cart/items", token).sendJsonObject(item))
        .compose(v -> authorized(client, gateway, HttpMethod.PUT, "/api/cart/items/" + productId, token)
            .sendJsonObject(new JsonObject().put("quantity", 3)))
        .compose(v -> authorized(client, gateway, HttpMethod.DELETE, "/api/cart/items/" + productId, token).send())
        .compose(v -> authorized(client, gateway, HttpMethod.GET, "/api/orders?userId=" + other, token).send())
        .compose(v -> authorized(client, gateway, HttpMethod.GET, "/api/orders/" + productId, token).send())
        .compose(v -> authorized(client, gateway, HttpMethod.POST, "/api/orders", token).putHeader("idempotency-key", "key-1").send())
        .compose(v -> authorized(client, gateway, HttpMethod.GET, "/api/notifications?userId=" + other, token).send())
        .compose(v -> authorized(client, gateway, HttpMethod.GET, "/api/users/me", token).send())
        .map(last -> {
          assertThat(last.statusCode()).isEqualTo(200);
          assertThat(received.get(CartContract.GET.address())).isEqualTo(new JsonObject().put("userId", sub));
          assertThat(received.get(CartContract.ADD_ITEM.address())).isEqualTo(item.copy().put("userId", sub));
          assertThat(received.get(CartContract.SET_ITEM.address()))
              .isEqualTo(new JsonObject().put("userId", sub).put("productId", productId).put("quantity", 3));
          assertThat(received.get(CartContract.REMOVE_ITEM.address())).isEqualTo(new JsonObject().put("userId", sub).put("productId", productId));
          assertThat(received.get(OrdersContract.LIST.address())).isEqualTo(new JsonObject().put("userId", sub).put("page", 1).put("size", 20));
          assertThat(received.get(OrdersContract.GET.address())).isEqualTo(new JsonObject().put("userId", sub).put("orderId", productId));
          assertThat(received.get(OrdersContract.CHECKOUT.address())).isEqualTo(new JsonObject().put("userId", sub).put("idempotencyKey", "key-1"));
          assertThat(received.get(NotificationsContract.LIST.address())).isEqualTo(new JsonObject().put("userId", sub).put("page", 1).put("size", 20));
          assertThat(received.get(UsersContract.GET.address())).isEqualTo(new JsonObject().put("id", sub));
          return null;
        }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("sign-in sends the connection's address; X-Forwarded-For is ignored unless SHOP_GATEWAY_TRUST_FORWARDED")
  void clientAddress(VertxTestContext ctx) {
    JsonObject credentials = new JsonObject().put("email", "someone@example.com").put("password", "whatever1");
    startNode(Map.of())
        .compose(v -> standIn(UsersContract.LOGIN.address(), message -> message.reply(new JsonObject().put("token", "t"))))
        .compose(v -> request(client, gateway, HttpMethod.POST, "/api/auth/login")
            .putHeader("x-forwarded-for", "203.0.113.9").sendJsonObject(credentials))
        .map(response -> {
          assertThat(response.statusCode()).isEqualTo(200);
          assertThat(received.get(UsersContract.LOGIN.address()))
              .isEqualTo(credentials.copy().put("clientAddress", "127.0.0.1"));
          return null;
        }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("a throttled sign-in is 429 with the users service's wait as Retry-After; the failure does not open the breaker")
  void throttled(VertxTestContext ctx) {
    JsonObject credentials = new JsonObject().put("email", "someone@example.com").put("password", "whatever1");
    startNode(Map.of("SHOP_GATEWAY_BREAKER_MAX_FAILURES", "2"))
        .compose(v -> standIn(UsersContract.LOGIN.address(), message -> message.fail(ErrorCode.TOO_MANY_REQUESTS.busCode(),
            "too many failed sign-in attempts; try again in 42 s")))
        .compose(v -> request(client, gateway, HttpMethod.POST, "/api/auth/login").sendJsonObject(credentials))
        .compose(first -> {
          assertError(first, 429, "too_many_requests");
          assertThat(first.getHeader("retry-after")).isEqualTo("42");
          return request(client, gateway, HttpMethod.POST, "/api/auth/login").sendJsonObject(credentials);
        }).compose(second -> request(client, gateway, HttpMethod.POST, "/api/auth/login").sendJsonObject(credentials))
        .map(third -> {
          assertError(third, 429, "too_many_requests");
          return null;
        }).onComplete(ctx.succeedingThenComplete());
  }
}
