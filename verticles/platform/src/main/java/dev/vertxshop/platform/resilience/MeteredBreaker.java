package dev.vertxshop.platform.resilience;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A named circuit breaker as every service uses one: no retries and no fallback inside it (callers retry
 * outside, one breaker call per attempt, so every failed attempt counts), no periodic event-bus
 * notifications, its state changes logged, and its state exposed as gauges in the node's registry:
 * {@code shop_circuit_breaker_state{name}} (0 closed, 1 half-open, 2 open) and
 * {@code shop_circuit_breaker_failures{name}} (failures counted in the current window).
 */
public final class MeteredBreaker {

  public static final String STATE_METRIC = "shop.circuit.breaker.state";
  public static final String FAILURES_METRIC = "shop.circuit.breaker.failures";

  private static final Logger LOG = LoggerFactory.getLogger(MeteredBreaker.class);

  /**
   * When the breaker opens and for how long: {@code maxFailures} failures within {@code window} open it for
   * {@code reset}; {@code timeout} fails a call whose future has not completed by then (null: no timeout,
   * each call carries its own deadline).
   */
  public record Settings(int maxFailures, Duration window, Duration reset, Duration timeout) {
  }

  private final String name;
  private final CircuitBreaker breaker;
  private final MeterRegistry registry;
  private final List<Meter> meters;

  private MeteredBreaker(String name, CircuitBreaker breaker, MeterRegistry registry, List<Meter> meters) {
    this.name = name;
    this.breaker = breaker;
    this.registry = registry;
    this.meters = meters;
  }

  /**
   * Creates the breaker {@code name}; only outcomes for which {@code unwell} answers true count as failures
   * (a decline, a not found or a conflict is a healthy service answering). {@code registry}: the node's
   * metrics registry, or null to only log the state changes.
   */
  public static MeteredBreaker create(Vertx vertx, String name, Settings settings, Function<Future<?>, Boolean> unwell,
      MeterRegistry registry) {
    CircuitBreakerOptions options = new CircuitBreakerOptions()
        .setMaxFailures(settings.maxFailures())
        .setFailuresRollingWindow(settings.window().toMillis())
        .setResetTimeout(settings.reset().toMillis())
        .setTimeout(settings.timeout() == null ? -1 : settings.timeout().toMillis())
        .setMaxRetries(0)
        .setFallbackOnFailure(false)
        .setNotificationAddress(null);
    CircuitBreaker breaker = CircuitBreaker.create(name, vertx, options)
        .failurePolicy(unwell::apply)
        .openHandler(v -> LOG.warn("circuit breaker {} opened after {} failures: calls fail fast for {} ms", name,
            settings.maxFailures(), settings.reset().toMillis()))
        .halfOpenHandler(v -> LOG.info("circuit breaker {} half-open: letting one call through", name))
        .closeHandler(v -> LOG.info("circuit breaker {} closed", name));
    if (registry == null) {
      LOG.warn("no metrics registry: the state of circuit breaker {} is only logged", name);
      return new MeteredBreaker(name, breaker, null, List.of());
    }
    List<Meter> meters = List.of(
        Gauge.builder(STATE_METRIC, breaker, b -> stateValue(b.state()))
            .description("Circuit breaker state: 0 closed, 1 half-open, 2 open")
            .tag("name", name)
            .strongReference(true)
            .register(registry),
        Gauge.builder(FAILURES_METRIC, breaker, CircuitBreaker::failureCount)
            .description("Failures counted by the circuit breaker in its rolling window")
            .tag("name", name)
            .strongReference(true)
            .register(registry));
    return new MeteredBreaker(name, breaker, registry, meters);
  }

  public String name() {
    return name;
  }

  public CircuitBreaker breaker() {
    return breaker;
  }

  /** Removes the gauges from the registry and closes the breaker. */
  public void close() {
    if (registry != null) {
      meters.forEach(registry::remove);
    }
    breaker.close();
  }

  /** The gauge's value for a state: 0 closed, 1 half-open, 2 open. */
  public static int stateValue(CircuitBreakerState state) {
    switch (state) {
      case OPEN:
        return 2;
      case HALF_OPEN:
        return 1;
      default:
        return 0;
    }
  }
}
