package dev.vertxshop.platform.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("MeteredBreaker: a named breaker with its state as gauges")
class MeteredBreakerTest {

  private static final MeteredBreaker.Settings SETTINGS =
      new MeteredBreaker.Settings(2, Duration.ofSeconds(10), Duration.ofMillis(300), Duration.ofMillis(200));

  private Vertx vertx;
  private SimpleMeterRegistry registry;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    registry = new SimpleMeterRegistry();
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private static <T> Future<T> failWith(RuntimeException e) {
    return Future.failedFuture(e);
  }

  private double gauge(String metric) {
    return registry.get(metric).tag("name", "downstream").gauge().value();
  }

  private Throwable failureOf(Future<?> call) throws Exception {
    return call.toCompletionStage().toCompletableFuture().handle((ok, failure) -> failure).get(5, TimeUnit.SECONDS);
  }

  @Test
  @DisplayName("only unwell outcomes count; it opens at the limit, fails fast while open, and the gauges follow")
  void opensOnUnwellOutcomesOnly() throws Exception {
    MeteredBreaker metered = MeteredBreaker.create(vertx, "downstream", SETTINGS,
        outcome -> outcome.failed() && outcome.cause() instanceof IllegalStateException, registry);

    failureOf(metered.breaker().execute(() -> failWith(new IllegalArgumentException("a healthy refusal"))));
    failureOf(metered.breaker().execute(() -> failWith(new IllegalArgumentException("another"))));
    assertThat(metered.breaker().state()).isEqualTo(CircuitBreakerState.CLOSED);
    assertThat(gauge(MeteredBreaker.FAILURES_METRIC)).isZero();

    failureOf(metered.breaker().execute(() -> failWith(new IllegalStateException("unwell"))));
    assertThat(gauge(MeteredBreaker.FAILURES_METRIC)).isEqualTo(1);
    failureOf(metered.breaker().execute(() -> failWith(new IllegalStateException("unwell again"))));
    assertThat(metered.breaker().state()).isEqualTo(CircuitBreakerState.OPEN);
    assertThat(gauge(MeteredBreaker.STATE_METRIC)).isEqualTo(2);

    boolean[] called = {false};
    Throwable fastFailure = failureOf(metered.breaker().execute(() -> {
      called[0] = true;
      return Future.succeededFuture();
    }));
    assertThat(fastFailure).isInstanceOf(OpenCircuitException.class);
    assertThat(called[0]).as("no call while open").isFalse();
  }

  @Test
  @DisplayName("a call whose future never completes fails at the timeout; none is set when the settings name none")
  void timeout() throws Exception {
    MeteredBreaker bounded = MeteredBreaker.create(vertx, "downstream", SETTINGS, Future::failed, registry);
    assertThat(failureOf(bounded.breaker().execute(() -> vertx.timer(5_000))))
        .isInstanceOf(io.vertx.circuitbreaker.TimeoutException.class);

    MeteredBreaker unbounded = MeteredBreaker.create(vertx, "unbounded",
        new MeteredBreaker.Settings(2, Duration.ofSeconds(10), Duration.ofMillis(300), null), Future::failed, null);
    assertThat(failureOf(unbounded.breaker().execute(() -> vertx.timer(400)))).as("a slow call succeeds").isNull();
  }

  @Test
  @DisplayName("close removes its gauges from the registry")
  void closeRemovesGauges() {
    MeteredBreaker metered = MeteredBreaker.create(vertx, "downstream", SETTINGS, Future::failed, registry);
    assertThat(registry.find(MeteredBreaker.STATE_METRIC).tag("name", "downstream").gauge()).isNotNull();
    metered.close();
    assertThat(registry.find(MeteredBreaker.STATE_METRIC).gauges()).isEmpty();
    assertThat(registry.find(MeteredBreaker.FAILURES_METRIC).gauges()).isEmpty();
  }

  @Test
  @DisplayName("the state gauge's values: 0 closed, 1 half-open, 2 open")
  void stateValues() {
    assertThat(MeteredBreaker.stateValue(CircuitBreakerState.CLOSED)).isZero();
    assertThat(MeteredBreaker.stateValue(CircuitBreakerState.HALF_OPEN)).isEqualTo(1);
    assertThat(MeteredBreaker.stateValue(CircuitBreakerState.OPEN)).isEqualTo(2);
  }
}
