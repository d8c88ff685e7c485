package dev.vertxshop.gateway;

import static dev.vertxshop.gateway.GatewayCatalogTest.assertError;
import static dev.vertxshop.gateway.GatewayCatalogTest.message;
import static dev.vertxshop.gateway.GatewayNodes.BEARER;
import static dev.vertxshop.gateway.GatewayNodes.get;
import static dev.vertxshop.gateway.GatewayNodes.product;
import static dev.vertxshop.gateway.GatewayNodes.request;
import static dev.vertxshop.gateway.GatewayNodes.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vertxshop.contracts.Money;
import dev.vertxshop.contracts.catalog.CatalogContract;
import dev.vertxshop.contracts.catalog.GetProduct;
import dev.vertxshop.contracts.catalog.Product;
import dev.vertxshop.platform.bus.Route;
import dev.vertxshop.platform.boot.ShopNode;
import dev.vertxshop.platform.errors.ErrorCode;
import dev.vertxshop.platform.observability.Correlation;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The gateway alone on a node, in front of deliberately faulty stand-ins registered at the catalog's
 * addresses (fault injection: they answer late, fail, or not at all; they hold no catalog logic).
 */
@DisplayName("Gateway facing a missing, slow or failing catalog")
@ExtendWith(VertxExtension.class)
class GatewayFaultsTest {

  private static final long DEADLINE_MS = 300;
  private static final int MAX_FAILURES = 3;
  private static final long RESET_MS = 800;

  private ShopNode node;
  private GatewayService gateway;
  private WebClient client;
  private final AtomicInteger calls = new AtomicInteger();
  /** What the stand-in catalog does with each request it receives. */
  private final AtomicReference<Consumer<Message<Object>>> behaviour = new AtomicReference<>();

  @BeforeEach
  void start(Vertx vertx, VertxTestContext ctx) {
    client = WebClient.create(vertx);
    startNode(Map.of()).onComplete(ctx.succeedingThenComplete());
  }

  private Future<Void> startNode(Map<String, String> overrides) {
    gateway = new GatewayService();
    Map<String, String> vars = new HashMap<>(Map.of(
        "SHOP_GATEWAY_DEADLINE", DEADLINE_MS + "ms",
        "SHOP_GATEWAY_BREAKER_MAX_FAILURES", String.valueOf(MAX_FAILURES),
        "SHOP_GATEWAY_BREAKER_RESET", RESET_MS + "ms"));
    vars.putAll(overrides);
    return GatewayNodes.start(GatewayNodes.gatewayOnlyEnv(vars), gateway).map(started -> {
      node = started;
      return null;
    });
  }

  @AfterEach
  void stop(VertxTestContext ctx) {
    if (node == null) {
      ctx.completeNow();
      return;
    }
    node.stop().onComplete(ctx.succeedingThenComplete());
  }

  /** Registers the stand-in at {@code address} on the gateway's node; it counts calls and does what {@link #behaviour} says. */
  private Future<Void> standIn(Route<?, ?> route) {
    MessageConsumer<Object> consumer = node.vertx().eventBus().consumer(route.address(), message -> {
      calls.incrementAndGet();
      behaviour.get().accept(message);
    });
    return consumer.completion();
  }

  private static Consumer<Message<Object>> failWith(ErrorCode code) {
    return message -> message.fail(code.busCode(), "stand-in failure " + code.key());
  }

  /** Answers a product of the asked id (the request is the gateway's record: the stand-in is in its JVM). */
  private static Consumer<Message<Object>> answer() {
    return message -> {
      UUID id = message.body() instanceof GetProduct get ? get.id() : UUID.randomUUID();
      Instant now = Instant.now();
      message.reply(new Product(id, "GW-STAND-IN", "Stand-in", "", "office", Money.eur(100), 1, 1, now, now));
    };
  }

  private static Consumer<Message<Object>> silence() {
    return message -> {
      // Never answers: the gateway's deadline has to fire.
    };
  }

  private Future<HttpResponse<Buffer>> getProduct() {
    return get(client, gateway, "/api/products/" + UUID.randomUUID());
  }

  @Test
  @DisplayName("no catalog on the bus: 503 unavailable with Retry-After")
  void noCatalog(VertxTestContext ctx) {
    getProduct().map(response -> {
      assertError(response, 503, "unavailable");
      assertThat(message(response)).contains("catalog");
      assertThat(response.getHeader("retry-after")).isEqualTo("1");
      return null;
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("a catalog that does not answer within the deadline: 504 timeout, after about the deadline")
  void deadline(VertxTestContext ctx) {
    behaviour.set(silence());
    long[] started = new long[1];
    standIn(CatalogContract.GET_PRODUCT).compose(v -> {
      started[0] = System.nanoTime();
      return getProduct();
    }).map(response -> {
      long elapsedMs = (System.nanoTime() - started[0]) / 1_000_000;
      assertError(response, 504, "timeout");
      assertThat(message(response)).contains("catalog");
      assertThat(elapsedMs).isBetween(DEADLINE_MS - 50, DEADLINE_MS + 1_500);
      assertThat(calls.get()).isEqualTo(1);
      return null;
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("the breaker opens after N internal failures, then answers 503 without calling, and closes again once healthy")
  void breakerOpensAndCloses(VertxTestContext ctx) {
    behaviour.set(failWith(ErrorCode.INTERNAL));
    Future<Void> chain = standIn(CatalogContract.GET_PRODUCT);
    for (int i = 0; i < MAX_FAILURES; i++) {
      chain = chain.compose(v -> getProduct()).map(response -> {
        assertError(response, 500, "internal");
        assertThat(message(response)).isEqualTo("internal error");
        return null;
      });
    }
    chain.compose(v -> breakerMetric()).compose(state -> {
      assertThat(state).isEqualTo(2.0);
      long started = System.nanoTime();
      return getProduct().map(response -> {
        assertError(response, 503, "unavailable");
        assertThat(message(response)).contains("circuit open");
        assertThat(calls.get()).as("calls reaching the catalog").isEqualTo(MAX_FAILURES);
        assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(DEADLINE_MS);
        return null;
      });
    }).compose(v -> {
      // The catalog recovers; after the reset timeout one trial call goes through and closes the breaker.
      behaviour.set(answer());
      return sleep(RESET_MS + 300);
    }).compose(v -> getProduct()).compose(response -> {
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(calls.get()).isEqualTo(MAX_FAILURES + 1);
      return getProduct();
    }).compose(response -> {
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(calls.get()).isEqualTo(MAX_FAILURES + 2);
      return breakerMetric();
    }).map(state -> {
      assertThat(state).isEqualTo(0.0);
      return null;
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("timeouts count as failures: after N, the breaker fails fast")
  void timeoutsOpenTheBreaker(VertxTestContext ctx) {
    behaviour.set(silence());
    Future<Void> chain = standIn(CatalogContract.GET_PRODUCT);
    for (int i = 0; i < MAX_FAILURES; i++) {
      chain = chain.compose(v -> getProduct()).map(response -> {
        assertError(response, 504, "timeout");
        return null;
      });
    }
    chain.compose(v -> getProduct()).map(response -> {
      assertError(response, 503, "unavailable");
      assertThat(calls.get()).isEqualTo(MAX_FAILURES);
      return null;
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("a half-open trial that fails opens the breaker again")
  void failedTrialReopens(VertxTestContext ctx) {
    behaviour.set(failWith(ErrorCode.UNAVAILABLE));
    Future<Void> chain = standIn(CatalogContract.GET_PRODUCT);
    for (int i = 0; i < MAX_FAILURES; i++) {
      chain = chain.compose(v -> getProduct()).mapEmpty();
    }
    chain.compose(v -> sleep(RESET_MS + 300))
        .compose(v -> getProduct())
        .compose(trial -> {
          assertError(trial, 503, "unavailable");
          assertThat(calls.get()).isEqualTo(MAX_FAILURES + 1);
          return getProduct();
        }).map(response -> {
          assertError(response, 503, "unavailable");
          assertThat(message(response)).contains("circuit open");
          assertThat(calls.get()).isEqualTo(MAX_FAILURES + 1);
          return null;
        }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("client errors (404, 409, 400) do not count: the breaker stays closed")
  void clientErrorsDoNotCount(VertxTestContext ctx) {
    List<ErrorCode> answers = List.of(ErrorCode.NOT_FOUND, ErrorCode.CONFLICT, ErrorCode.BAD_REQUEST);
    AtomicInteger next = new AtomicInteger();
    behaviour.set(message -> failWith(answers.get(next.getAndIncrement() % answers.size())).accept(message));
    int requests = 3 * MAX_FAILURES;
    Future<Void> chain = standIn(CatalogContract.GET_PRODUCT);
    for (int i = 0; i < requests; i++) {
      ErrorCode expected = answers.get(i % answers.size());
      chain = chain.compose(v -> getProduct()).map(response -> {
        assertError(response, expected.httpStatus(), expected.key());
        assertThat(message(response)).isEqualTo("stand-in failure " + expected.key());
        return null;
      });
    }
    chain.compose(v -> breakerMetric()).map(state -> {
      assertThat(calls.get()).isEqualTo(requests);
      assertThat(state).isEqualTo(0.0);
      return null;
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("the correlation id reaches the catalog over the event bus and comes back in the response")
  void correlationAcrossTheBus(VertxTestContext ctx) {
    List<String> seen = new CopyOnWriteArrayList<>();
    behaviour.set(message -> {
      seen.add(message.headers().get(Correlation.HEADER));
      answer().accept(message);
    });
    standIn(CatalogContract.GET_PRODUCT)
        .compose(v -> request(client, gateway, HttpMethod.GET, "/api/products/" + UUID.randomUUID())
            .putHeader("x-correlation-id", "corr-across-bus-1").send())
        .map(response -> {
          assertThat(response.statusCode()).isEqualTo(200);
          assertThat(response.getHeader("x-correlation-id")).isEqualTo("corr-across-bus-1");
          assertThat(seen).containsExactly("corr-across-bus-1");
          return null;
        }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("an in-flight request completes while the node stops gracefully")
  void gracefulStop(Vertx vertx, VertxTestContext ctx) {
    Promise<Void> received = Promise.promise();
    behaviour.set(message -> {
      vertx.runOnContext(v -> received.tryComplete());
      node.vertx().setTimer(DEADLINE_MS / 2, id -> answer().accept(message));
    });
    // The chain runs on the test's Vert.x: futures of the node's Vert.x cannot report after it closed.
    standIn(CatalogContract.GET_PRODUCT).onComplete(ctx.succeeding(registered -> vertx.runOnContext(v -> {
      Future<HttpResponse<Buffer>> inFlight = getProduct();
      received.future().compose(r -> {
        Future<Void> stopped = node.stop();
        return inFlight.map(response -> {
          assertThat(response.statusCode()).isEqualTo(200);
          return null;
        }).compose(x -> stopped);
      }).onComplete(ctx.succeedingThenComplete());
    })));
  }

  @Test
  @DisplayName("without SHOP_ADMIN_TOKEN, admin writes are 403 and never reach the catalog")
  void adminDisabled(VertxTestContext ctx) {
    behaviour.set(answer());
    node.stop()
        .compose(v -> startNode(Map.of("SHOP_ADMIN_TOKEN", "")))
        .compose(v -> standIn(CatalogContract.CREATE_PRODUCT))
        .compose(v -> write(client, gateway, HttpMethod.POST, "/api/products", BEARER, product("GW-FORBIDDEN", "office").encode()))
        .map(response -> {
          assertError(response, 403, "forbidden");
          assertThat(calls.get()).isZero();
          return null;
        }).onComplete(ctx.succeedingThenComplete());
  }

  /** The catalog breaker's state gauge as scraped from the node's {@code /metrics} (0 closed, 1 half-open, 2 open). */
  private Future<Double> breakerMetric() {
    return client.get(node.opsPort(), "127.0.0.1", "/metrics").send().map(response -> {
      for (String line : response.bodyAsString().split("\n")) {
        if (line.startsWith("shop_circuit_breaker_state{") && line.contains("name=\"catalog\"")) {
          return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
      }
      throw new AssertionError("no shop_circuit_breaker_state for catalog in /metrics");
    });
  }

  private Future<Void> sleep(long ms) {
    Promise<Void> slept = Promise.promise();
    node.vertx().setTimer(ms, id -> slept.complete());
    return slept.future();
  }
}
