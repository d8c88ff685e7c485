package dev.vertxshop.gateway.resilience;

import dev.vertxshop.gateway.GatewayConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the gateway's circuit breakers, one per downstream service, shared by every HTTP instance.
 * Deployed before the HTTP verticles and undeployed after them, so that the breakers and their gauges
 * live exactly as long as the gateway.
 *
 * <p>Metrics: {@code shop_circuit_breaker_state{name}} (0 closed, 1 half-open, 2 open) and
 * {@code shop_circuit_breaker_failures{name}} (failures counted in the current window), in the node's
 * Prometheus registry.
 */
public final class Breakers extends VerticleBase {

  public static final String CATALOG = "catalog";
  public static final String USERS = "users";
  public static final String CART = "cart";
  public static final String ORDERS = "orders";
  public static final String NOTIFICATIONS = "notifications";
  public static final String SEARCH = "search";
  /** Every downstream, in the order their breakers are created. */
  public static final List<String> NAMES = List.of(CATALOG, USERS, CART, ORDERS, NOTIFICATIONS, SEARCH);
  static final String STATE_METRIC = "shop.circuit.breaker.state";
  static final String FAILURES_METRIC = "shop.circuit.breaker.failures";

  private static final Logger LOG = LoggerFactory.getLogger(Breakers.class);

  private final GatewayConfig config;
  private final List<CircuitBreaker> breakers = new ArrayList<>();
  private final List<Meter> meters = new ArrayList<>();
  private final MeterRegistry registry;
  private volatile Downstream catalog;
  private volatile Downstream users;
  private volatile Downstream cart;
  private volatile Downstream orders;
  private volatile Downstream notifications;
  private volatile Downstream search;

  public Breakers(GatewayConfig config, MeterRegistry registry) {
    this.config = config;
    this.registry = registry;
  }

  @Override
  public Future<?> start() {
    catalog = downstream(CATALOG, config.deadline());
    users = downstream(USERS, config.deadline());
    cart = downstream(CART, config.deadline());
    // One breaker for orders, so its timeout has to let the longest call, a checkout, finish.
    orders = downstream(ORDERS, config.checkoutDeadline().compareTo(config.deadline()) > 0
        ? config.checkoutDeadline() : config.deadline());
    notifications = downstream(NOTIFICATIONS, config.deadline());
    search = downstream(SEARCH, config.deadline());
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    if (registry != null) {
      meters.forEach(registry::remove);
    }
    breakers.forEach(CircuitBreaker::close);
    return Future.succeededFuture();
  }

  /** The catalog service behind its breaker; available once this verticle has started. */
  public Downstream catalog() {
    return started(catalog);
  }

  /** The users service behind its breaker. */
  public Downstream users() {
    return started(users);
  }

  /** The cart service behind its breaker. */
  public Downstream cart() {
    return started(cart);
  }

  /** The orders service behind its breaker; its timeout allows for the checkout deadline. */
  public Downstream orders() {
    return started(orders);
  }

  /** The notifications service behind its breaker. */
  public Downstream notifications() {
    return started(notifications);
  }

  /** The search service behind its breaker. */
  public Downstream search() {
    return started(search);
  }

  private static Downstream started(Downstream downstream) {
    if (downstream == null) {
      throw new IllegalStateException("breakers not started");
    }
    return downstream;
  }

  private Downstream downstream(String name, Duration longestDeadline) {
    CircuitBreakerOptions options = new CircuitBreakerOptions()
        .setMaxFailures(config.breakerMaxFailures())
        .setFailuresRollingWindow(config.breakerWindow().toMillis())
        .setResetTimeout(config.breakerReset().toMillis())
        // The event-bus deadline normally fails first (a clean 504); this only bounds a request
        // whose future would never complete.
        .setTimeout(GatewayConfig.breakerTimeout(longestDeadline).toMillis())
        .setMaxRetries(0)
        .setFallbackOnFailure(false)
        // No periodic event-bus notifications: state is in the logs and in the registry.
        .setNotificationAddress(null);
    CircuitBreaker breaker = CircuitBreaker.create(name, vertx, options)
        .failurePolicy(Downstream::unwell)
        .openHandler(v -> LOG.warn("circuit breaker {} opened after {} failures; calls fail fast for {} ms", name,
            config.breakerMaxFailures(), config.breakerReset().toMillis()))
        .halfOpenHandler(v -> LOG.info("circuit breaker {} half-open: letting one call through", name))
        .closeHandler(v -> LOG.info("circuit breaker {} closed", name));
    breakers.add(breaker);
    if (registry != null) {
      meters.add(Gauge.builder(STATE_METRIC, breaker, b -> stateValue(b.state()))
          .description("Circuit breaker state: 0 closed, 1 half-open, 2 open")
          .tag("name", name)
          .strongReference(true)
          .register(registry));
      meters.add(Gauge.builder(FAILURES_METRIC, breaker, CircuitBreaker::failureCount)
          .description("Failures counted by the circuit breaker in its rolling window")
          .tag("name", name)
          .strongReference(true)
          .register(registry));
    }
    return new Downstream(name, breaker);
  }

  static int stateValue(CircuitBreakerState state) {
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
