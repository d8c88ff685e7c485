package dev.vertxshop.gateway;

import dev.vertxshop.gateway.auth.JwtKeys;
import dev.vertxshop.gateway.resilience.Breakers;
import dev.vertxshop.platform.boot.ServiceContext;
import dev.vertxshop.platform.boot.ShopService;
import dev.vertxshop.platform.config.Env;
import io.vertx.core.Future;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The gateway as a shop service: the public HTTP API in front of the other services' event-bus contracts. */
public final class GatewayService implements ShopService {

  /** Starts after every backend of the node, so that it never accepts requests it cannot serve yet. */
  public static final int START_ORDER = 1000;

  private static final Logger LOG = LoggerFactory.getLogger(GatewayService.class);
  /** How long orders waits for a saga before answering PENDING, unless configured otherwise there. */
  private static final Duration ORDERS_DEFAULT_REPLY_BUDGET = Duration.ofSeconds(5);

  private volatile int port = -1;

  @Override
  public String name() {
    return "gateway";
  }

  @Override
  public int startOrder() {
    return START_ORDER;
  }

  @Override
  public Future<Void> start(ServiceContext context) {
    GatewayConfig config;
    try {
      config = GatewayConfig.from(context.env());
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    if (config.adminToken().isEmpty()) {
      LOG.warn("{} is not set: admin writes (POST, PUT /api/products) are refused with 403", Env.var("ADMIN_TOKEN"));
    }
    if (config.checkoutDeadline().compareTo(ORDERS_DEFAULT_REPLY_BUDGET) <= 0) {
      LOG.warn("{} is {} ms, not above the orders service's default reply budget ({} ms): slow checkouts will answer 504 "
          + "instead of 202", Env.var("GATEWAY_CHECKOUT_DEADLINE"), config.checkoutDeadline().toMillis(),
          ORDERS_DEFAULT_REPLY_BUDGET.toMillis());
    }
    if (config.trustForwarded()) {
      LOG.info("{}=true: sign-in takes the client address from X-Forwarded-For (first hop)", Env.var("GATEWAY_TRUST_FORWARDED"));
    }
    // One set of breakers for all HTTP instances: a downstream is unwell for the whole gateway, not per event loop.
    Breakers breakers = new Breakers(config, context.meterRegistry());
    return context.deploy(() -> breakers, 1)
        // The keys' owner before the HTTP instances, which ask it for the keys as they start.
        .compose(id -> context.deploy(() -> new JwtKeys(config, context.meterRegistry()), 1))
        .compose(id -> context.deploy(() -> new GatewayVerticle(config, breakers, this::bound), config.instances()))
        .onSuccess(id -> LOG.info("gateway listening on {}:{} with {} instances ({})", config.host(), port,
            config.instances(), config))
        .mapEmpty();
  }

  /** The port the HTTP server is bound to (useful when configured as 0); only meaningful once started. */
  public int port() {
    if (port < 0) {
      throw new IllegalStateException("the gateway has not started");
    }
    return port;
  }

  private void bound(int actualPort) {
    port = actualPort;
  }
}
