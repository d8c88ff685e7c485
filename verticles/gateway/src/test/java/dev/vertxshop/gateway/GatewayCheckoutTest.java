package dev.vertxshop.gateway;

import static dev.vertxshop.gateway.GatewayCatalogTest.assertError;
import static dev.vertxshop.gateway.GatewayCatalogTest.message;
import static dev.vertxshop.gateway.GatewayNodes.authorized;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vertxshop.contracts.orders.OrdersContract;
import dev.vertxshop.platform.boot.ShopNode;
import dev.vertxshop.platform.bus.BusMessage;
import dev.vertxshop.platform.errors.ErrorCode;
import dev.vertxshop.platform.errors.ServiceException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Checkout's statuses, deadline and breaker, with a fault-injecting stand-in at the orders addresses (it answers
 * PENDING, late, declined, or not at all; it holds no orders logic). Tokens are signed with a key given to the
 * gateway as {@code SHOP_JWT_PUBLIC_KEY}, so no users service is needed.
 */
@DisplayName("Gateway checkout: 201/202, the longer checkout deadline, and which outcomes count against the orders breaker")
@ExtendWith(VertxExtension.class)
class GatewayCheckoutTest {

  private static final long DEADLINE_MS = 400;
  private static final long CHECKOUT_DEADLINE_MS = 1500;
  private static final int MAX_FAILURES = 3;
  private static final TestTokens.Key KEY = TestTokens.Key.generate();

  private ShopNode node;
  private GatewayService gateway;
  private WebClient client;
  private final AtomicInteger calls = new AtomicInteger();
  private final AtomicReference<Consumer<Message<Object>>> behaviour = new AtomicReference<>();

  /** A node per test: one test opens the breaker on purpose, and that must not leak into the others. */
  @BeforeEach
  void start(Vertx vertx, VertxTestContext ctx) {
    gateway = new GatewayService();
    client = WebClient.create(vertx);
    GatewayNodes.start(GatewayNodes.gatewayOnlyEnv(Map.of(
            "SHOP_JWT_PUBLIC_KEY", KEY.publicPem(),
            "SHOP_GATEWAY_DEADLINE", DEADLINE_MS + "ms",
            "SHOP_GATEWAY_CHECKOUT_DEADLINE", CHECKOUT_DEADLINE_MS + "ms",
            "SHOP_GATEWAY_BREAKER_MAX_FAILURES", String.valueOf(MAX_FAILURES),
            // Long enough that an opened breaker stays open for the rest of the test.
            "SHOP_GATEWAY_BREAKER_RESET", "1m")), gateway)
        .compose(started -> {
          node = started;
          List<Future<Void>> standIns = List.of(OrdersContract.CHECKOUT.address(), OrdersContract.LIST.address(), OrdersContract.ADMIN_LIST.address()).stream()
              .map(address -> node.vertx().eventBus().<Object>consumer(address, message -> {
                calls.incrementAndGet();
                behaviour.get().accept(message);
              }).completion()).toList();
          return Future.all(standIns);
        }).onComplete(ctx.succeedingThenComplete());
  }

  @AfterEach
  void stop(VertxTestContext ctx) {
    if (node == null) {
      ctx.completeNow();
      return;
    }
    node.stop().onComplete(ctx.succeedingThenComplete());
  }

  /** A request as the JSON it is on the wire: typed requests arrive as their record within one JVM. */
  private static JsonObject body(Message<Object> message) {
    return message.body() instanceof BusMessage typed ? typed.toJson() : (JsonObject) message.body();
  }

  private Consumer<Message<Object>> replyWith(String status, long afterMs) {
    return message -> {
      JsonObject order = new JsonObject().put("id", UUID.randomUUID().toString()).put("userId", body(message).getString("userId"))
          .put("status", status).put("idempotencyKey", body(message).getString("idempotencyKey"));
      if (afterMs <= 0) {
        message.reply(order);
      } else {
        node.vertx().setTimer(afterMs, id -> message.reply(order));
      }
    };
  }

  private Future<HttpResponse<Buffer>> checkout(String sub, String key) {
    return authorized(client, gateway, HttpMethod.POST, "/api/orders", KEY.token(sub)).putHeader("idempotency-key", key).send();
  }

  /** The breaker state of {@code name} on the node's {@code /metrics} (0 closed, 1 half-open, 2 open). */
  private Future<Double> breakerState(String name) {
    return client.get(node.opsPort(), "127.0.0.1", "/metrics").send().map(response -> {
      for (String line : response.bodyAsString().split("\n")) {
        if (line.startsWith("shop_circuit_breaker_state{") && line.contains("name=\"" + name + "\"")) {
          return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
      }
      throw new AssertionError("no shop_circuit_breaker_state for " + name);
    });
  }

  @Test
  @DisplayName("an ended checkout (CONFIRMED or CANCELLED) is 201, a PENDING one 202, both with Location; the key is passed as sent")
  void statuses(VertxTestContext ctx) {
    String sub = UUID.randomUUID().toString();
    String key = "key:" + UUID.randomUUID() + "/~!";
    behaviour.set(replyWith(OrdersContract.CONFIRMED, 0));
    checkout(sub, key).compose(confirmed -> {
      assertThat(confirmed.statusCode()).isEqualTo(201);
      JsonObject order = confirmed.bodyAsJsonObject();
      assertThat(order.getString("idempotencyKey")).isEqualTo(key);
      assertThat(order.getString("userId")).isEqualTo(sub);
      assertThat(confirmed.getHeader("location")).isEqualTo("/api/orders/" + order.getString("id"));
      behaviour.set(replyWith(OrdersContract.CANCELLED, 0));
      return checkout(sub, key);
    }).compose(cancelled -> {
      assertThat(cancelled.statusCode()).isEqualTo(201);
      behaviour.set(replyWith(OrdersContract.PENDING, 0));
      return checkout(sub, key);
    }).map(pending -> {
      assertThat(pending.statusCode()).isEqualTo(202);
      assertThat(pending.getHeader("location")).isEqualTo("/api/orders/" + pending.bodyAsJsonObject().getString("id"));
      return null;
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("without Idempotency-Key, or with one that is empty, too long or has spaces: 400, and orders is never called")
  void keyRequired(VertxTestContext ctx) {
    behaviour.set(replyWith(OrdersContract.CONFIRMED, 0));
    String token = KEY.token(UUID.randomUUID().toString());
    authorized(client, gateway, HttpMethod.POST, "/api/orders", token).send().compose(missing -> {
      assertError(missing, 400, "bad_request");
      assertThat(message(missing)).isEqualTo("the Idempotency-Key header is required");
      return Future.all(List.of("", "k".repeat(65), "two words", "caf\u00e9").stream()
          .map(key -> authorized(client, gateway, HttpMethod.POST, "/api/orders", token).putHeader("idempotency-key", key).send()
              .map(response -> {
                assertError(response, 400, "bad_request");
                return null;
              })).toList());
    }).compose(v -> checkout(UUID.randomUUID().toString(), "k".repeat(64))).map(longest -> {
      assertThat(longest.statusCode()).isEqualTo(201);
      assertThat(calls.get()).as("only the valid key reached orders").isEqualTo(1);
      return null;
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("checkout waits up to SHOP_GATEWAY_CHECKOUT_DEADLINE, other orders calls only SHOP_GATEWAY_DEADLINE")
  void longerDeadline(VertxTestContext ctx) {
    String sub = UUID.randomUUID().toString();
    long late = (DEADLINE_MS + CHECKOUT_DEADLINE_MS) / 2;
    behaviour.set(replyWith(OrdersContract.CONFIRMED, late));
    checkout(sub, "late-1").compose(slow -> {
      assertThat(slow.statusCode()).as(slow.bodyAsString()).isEqualTo(201);
      return authorized(client, gateway, HttpMethod.GET, "/api/orders", KEY.token(sub)).send();
    }).map(list -> {
      assertError(list, 504, "timeout");
      assertThat(message(list)).contains("orders");
      return null;
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("a checkout that never answers is 504 after the checkout deadline")
  void noAnswer(VertxTestContext ctx) {
    behaviour.set(message -> {
      // Never answers.
    });
    long started = System.nanoTime();
    checkout(UUID.randomUUID().toString(), "silent-1").map(response -> {
      long elapsedMs = (System.nanoTime() - started) / 1_000_000;
      assertError(response, 504, "timeout");
      assertThat(elapsedMs).isBetween(CHECKOUT_DEADLINE_MS - 50, CHECKOUT_DEADLINE_MS + 3_000);
      return null;
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("PAYMENT_DECLINED (402) and other 4xx answers never open the orders breaker")
  void clientOutcomesDoNotCount(VertxTestContext ctx) {
    List<ErrorCode> answers = List.of(ErrorCode.PAYMENT_DECLINED, ErrorCode.BAD_REQUEST, ErrorCode.UNPROCESSABLE,
        ErrorCode.CONFLICT, ErrorCode.TOO_MANY_REQUESTS);
    AtomicInteger next = new AtomicInteger();
    behaviour.set(message -> {
      ErrorCode code = answers.get(next.getAndIncrement() % answers.size());
      message.fail(code.busCode(), "stand-in " + code.key());
    });
    int requests = 2 * answers.size();
    Future<Void> chain = Future.succeededFuture();
    for (int i = 0; i < requests; i++) {
      ErrorCode expected = answers.get(i % answers.size());
      chain = chain.compose(v -> checkout(UUID.randomUUID().toString(), "declined")).map(response -> {
        assertError(response, expected.httpStatus(), expected.key());
        return null;
      });
    }
    chain.compose(v -> breakerState("orders")).map(state -> {
      assertThat(calls.get()).isEqualTo(requests);
      assertThat(state).isEqualTo(0.0);
      return null;
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("a cart already in an unsettled order: 409 with the order's id in the body and in Location, not counted by the breaker")
  void unsettledOrderConflict(VertxTestContext ctx) {
    String pending = UUID.randomUUID().toString();
    behaviour.set(message -> {
      ServiceException conflict = OrdersContract.unsettledOrder(pending);
      message.fail(conflict.failureCode(), conflict.getMessage());
    });
    Future<Void> chain = Future.succeededFuture();
    for (int i = 0; i < MAX_FAILURES + 1; i++) {
      chain = chain.compose(v -> checkout(UUID.randomUUID().toString(), "another-key")).map(response -> {
        assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(409);
        assertThat(response.getHeader("content-type")).isEqualTo("application/json; charset=utf-8");
        JsonObject body = response.bodyAsJsonObject();
        assertThat(body.fieldNames()).containsExactlyInAnyOrder("error", "message", "orderId");
        assertThat(body.getString("error")).isEqualTo("conflict");
        assertThat(body.getString("orderId")).isEqualTo(pending);
        assertThat(body.getString("message")).contains(pending);
        assertThat(response.getHeader("location")).isEqualTo("/api/orders/" + pending);
        return null;
      });
    }
    chain.compose(v -> {
      // Any other conflict keeps the plain body and no Location.
      behaviour.set(message -> message.fail(ErrorCode.CONFLICT.busCode(), "the order " + pending + " conflicts"));
      return checkout(UUID.randomUUID().toString(), "other-conflict");
    }).compose(other -> {
      assertError(other, 409, "conflict");
      assertThat(other.getHeader("location")).isNull();
      return breakerState("orders");
    }).map(state -> {
      assertThat(state).isEqualTo(0.0);
      return null;
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("GET /api/admin/orders needs the admin token, defaults to NEEDS_ATTENTION, passes status and paging, refuses an unknown status")
  void adminOrders(VertxTestContext ctx) {
    List<JsonObject> received = new java.util.concurrent.CopyOnWriteArrayList<>();
    behaviour.set(message -> {
      received.add(body(message));
      message.reply(new JsonObject().put("items", new io.vertx.core.json.JsonArray()).put("page", body(message).getInteger("page"))
          .put("size", body(message).getInteger("size")).put("total", 0));
    });
    String userToken = KEY.token(UUID.randomUUID().toString());
    authorized(client, gateway, HttpMethod.GET, "/api/admin/orders", null).send().compose(anonymous -> {
      assertError(anonymous, 401, "unauthorized");
      return authorized(client, gateway, HttpMethod.GET, "/api/admin/orders", userToken).send();
    }).compose(user -> {
      assertError(user, 401, "unauthorized");
      return GatewayNodes.request(client, gateway, HttpMethod.GET, "/api/admin/orders").putHeader("authorization", GatewayNodes.BEARER).send();
    }).compose(defaults -> {
      assertThat(defaults.statusCode()).as(defaults.bodyAsString()).isEqualTo(200);
      assertThat(defaults.bodyAsJsonObject().getLong("total")).isZero();
      return GatewayNodes.request(client, gateway, HttpMethod.GET, "/api/admin/orders?status=PENDING&page=2&size=5")
          .putHeader("authorization", GatewayNodes.BEARER).send();
    }).compose(pending -> {
      assertThat(pending.statusCode()).isEqualTo(200);
      return GatewayNodes.request(client, gateway, HttpMethod.GET, "/api/admin/orders?status=LOST")
          .putHeader("authorization", GatewayNodes.BEARER).send();
    }).map(unknown -> {
      assertError(unknown, 400, "bad_request");
      assertThat(message(unknown)).contains("status");
      assertThat(received).containsExactly(
          new JsonObject().put("status", OrdersContract.NEEDS_ATTENTION).put("page", 1).put("size", 20),
          new JsonObject().put("status", OrdersContract.PENDING).put("page", 2).put("size", 5));
      return null;
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("internal failures open the orders breaker: then checkout fails fast with 503 without calling orders")
  void internalFailuresOpenTheBreaker(VertxTestContext ctx) {
    behaviour.set(message -> message.fail(ErrorCode.INTERNAL.busCode(), "boom"));
    Future<Void> chain = Future.succeededFuture();
    for (int i = 0; i < MAX_FAILURES; i++) {
      chain = chain.compose(v -> checkout(UUID.randomUUID().toString(), "boom")).map(response -> {
        assertError(response, 500, "internal");
        return null;
      });
    }
    chain.compose(v -> checkout(UUID.randomUUID().toString(), "after")).compose(response -> {
      assertError(response, 503, "unavailable");
      assertThat(message(response)).contains("orders");
      assertThat(calls.get()).isEqualTo(MAX_FAILURES);
      return breakerState("orders");
    }).map(state -> {
      assertThat(state).isEqualTo(2.0);
      return null;
    }).onComplete(ctx.succeedingThenComplete());
  }
}
