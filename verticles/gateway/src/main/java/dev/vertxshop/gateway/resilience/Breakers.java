package dev.vertxshop.gateway.resilience;

import dev.vertxshop.gateway.GatewayConfig;
import dev.vertxshop.platform.resilience.MeteredBreaker;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Owns the gateway's circuit breakers, one per downstream service, shared by every HTTP instance.
 * Deployed before the HTTP verticles and undeployed after them, so that the breakers and their gauges
 * live exactly as long as the gateway.
 *
 * <p>Each is a {@link MeteredBreaker}: its state and failure count are gauges
 * ({@code shop_circuit_breaker_state{name}}, {@code shop_circuit_breaker_failures{name}}) in the node's
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
  private final GatewayConfig config;
  private final List<MeteredBreaker> breakers = new ArrayList<>();
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
    breakers.forEach(MeteredBreaker::close);
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
    // The event-bus deadline normally fails first (a clean 504); the breaker's timeout only bounds a
    // request whose future would never complete.
    MeteredBreaker breaker = MeteredBreaker.create(vertx, name, new MeteredBreaker.Settings(config.breakerMaxFailures(),
        config.breakerWindow(), config.breakerReset(), GatewayConfig.breakerTimeout(longestDeadline)),
        Downstream::unwell, registry);
    breakers.add(breaker);
    return new Downstream(name, breaker.breaker());
  }
}
