package dev.vertxshop.gateway;

import dev.vertxshop.gateway.resilience.Breakers;
import dev.vertxshop.platform.boot.ServiceContext;
import dev.vertxshop.platform.boot.ShopService;
import dev.vertxshop.platform.config.Env;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The gateway as a shop service: the public HTTP API in front of the other services' event-bus contracts. */
public final class GatewayService implements ShopService {

  /** Starts after every backend of the node, so that it never accepts requests it cannot serve yet. */
  public static final int START_ORDER = 1000;

  private static final Logger LOG = LoggerFactory.getLogger(GatewayService.class);

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
    // One set of breakers for all HTTP instances: a downstream is unwell for the whole gateway, not per event loop.
    Breakers breakers = new Breakers(config, context.meterRegistry());
    return context.deploy(() -> breakers, 1)
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
