package dev.vertxshop.provider;

import dev.vertxshop.platform.boot.ServiceContext;
import dev.vertxshop.platform.boot.ShopService;
import io.vertx.core.Future;

/**
 * The payment provider stand-in as a shop service, so that it gets the node's health, metrics and
 * graceful stop. No database, no Kafka: it plays an external system reached over HTTP only.
 */
public final class ProviderService implements ShopService {

  public static final String NAME = "payment-provider";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int startOrder() {
    // Before payments, so that a node running both never has payments calling a port not yet open.
    return 5;
  }

  @Override
  public Future<Void> start(ServiceContext context) {
    ProviderConfig config;
    try {
      config = ProviderConfig.from(context.env());
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    // Exactly one instance: its books and knobs live in that verticle (see ProviderVerticle).
    return context.deploy(() -> new ProviderVerticle(config), 1).mapEmpty();
  }
}
