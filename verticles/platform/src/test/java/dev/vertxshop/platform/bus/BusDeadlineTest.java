package dev.vertxshop.platform.bus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vertxshop.platform.errors.ErrorCode;
import dev.vertxshop.platform.errors.ServiceException;
import dev.vertxshop.platform.observability.NodeMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Bus: the caller's deadline travels with the request, and late work is refused")
class BusDeadlineTest {

  private static final String ADDRESS = "test.deadline";

  private Vertx vertx;
  private SimpleMeterRegistry registry;
  private final AtomicInteger carriedOut = new AtomicInteger();

  /** One consumer on one event loop: a "stall" request holds that loop, as a long GC pause or a starved CPU would. */
  private final class Server extends VerticleBase {
    @Override
    public Future<?> start() {
      return Bus.<JsonObject>serve(vertx, ADDRESS, message -> {
        if (message.body().getBoolean("stall", false)) {
          long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(message.body().getLong("ms"));
          while (System.nanoTime() < until) {
            Thread.onSpinWait();
          }
          return Future.succeededFuture("stalled");
        }
        carriedOut.incrementAndGet();
        return Future.succeededFuture("done");
      }).completion();
    }
  }

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    registry = new SimpleMeterRegistry();
    NodeMetrics.install(vertx, registry);
    vertx.deployVerticle(new Server()).await(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  @DisplayName("a request that reaches its handler after the caller's deadline is not carried out, and is counted")
  void lateRequestRefused() throws Exception {
    Future<Object> stall = Bus.request(vertx, ADDRESS, new JsonObject().put("stall", true).put("ms", 1_500), Duration.ofSeconds(10));
    // Queued behind the stall: delivered about 1.3 s after its 200 ms deadline.
    Future<Object> late = Bus.request(vertx, ADDRESS, new JsonObject(), Duration.ofMillis(200));

    Throwable failure = late.toCompletionStage().toCompletableFuture().handle((ok, error) -> error).get(10, TimeUnit.SECONDS);
    assertThat(ServiceException.from(failure).code()).isEqualTo(ErrorCode.TIMEOUT);
    assertThat(stall.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS)).isEqualTo("stalled");

    // The stalled loop has now seen the late request; an in-time request behind it is carried out.
    assertThat(Bus.request(vertx, ADDRESS, new JsonObject(), Duration.ofSeconds(5))
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS)).isEqualTo("done");
    assertThat(carriedOut).hasValue(1);
    assertThat(registry.get("shop.bus.expired").tag("address", ADDRESS).counter().count()).isEqualTo(1.0);
  }

  @Test
  @DisplayName("a late request is refused with DEADLINE_EXCEEDED, which callers treat as a timeout")
  void refusalCode() throws Exception {
    Future<Object> stall = Bus.request(vertx, ADDRESS, new JsonObject().put("stall", true).put("ms", 600), Duration.ofSeconds(10));
    // Sent by hand to see the refusal itself: the deadline header says it expired already, the timeout waits longer.
    Future<Object> refused = vertx.eventBus().request(ADDRESS, new JsonObject(), new io.vertx.core.eventbus.DeliveryOptions()
            .setSendTimeout(5_000).addHeader(Bus.DEADLINE_HEADER, Long.toString(System.currentTimeMillis() + 100)))
        .map(io.vertx.core.eventbus.Message::body);
    Throwable failure = refused.toCompletionStage().toCompletableFuture().handle((ok, error) -> error).get(10, TimeUnit.SECONDS);
    ServiceException error = ServiceException.from(failure);
    assertThat(error.code()).isEqualTo(ErrorCode.DEADLINE_EXCEEDED);
    assertThat(error.code().isTimeout()).isTrue();
    assertThat(error.code().httpStatus()).isEqualTo(504);
    assertThat(stall.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS)).isEqualTo("stalled");
    assertThat(carriedOut).hasValue(0);
  }
}
