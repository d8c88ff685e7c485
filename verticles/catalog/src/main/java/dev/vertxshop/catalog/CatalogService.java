package dev.vertxshop.catalog;

import dev.vertxshop.contracts.catalog.CatalogContract;
import dev.vertxshop.platform.boot.ServiceContext;
import dev.vertxshop.platform.boot.ShopService;
import dev.vertxshop.platform.kafka.OutboxRelayVerticle;
import dev.vertxshop.platform.kafka.Topics;
import io.vertx.core.Future;
import io.vertx.kafka.admin.NewTopic;
import io.vertx.sqlclient.Pool;
import java.util.List;

/** The catalog service: products, categories and stock behind {@code catalog.*}, product events on Kafka. */
public final class CatalogService implements ShopService {

  /** Service name, schema name and the outbox relay's key. */
  public static final String NAME = "catalog";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean usesDatabase() {
    return true;
  }

  @Override
  public boolean usesKafka() {
    return true;
  }

  @Override
  public int startOrder() {
    // Early: orders, cart and the gateway call the catalog as soon as they are up.
    return 10;
  }

  @Override
  public Future<Void> start(ServiceContext context) {
    CatalogConfig config;
    try {
      config = CatalogConfig.from(context.env());
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    Pool pool = context.pool();
    NewTopic products = Topics.compacted(CatalogContract.PRODUCTS_TOPIC, context.kafka());
    return Topics.ensure(context.vertx(), context.kafka(), List.of(products))
        // Seed before serving so that no caller ever sees a half-filled demo catalog.
        .compose(v -> config.seedDemo() ? DemoSeed.seed(pool).mapEmpty() : Future.succeededFuture())
        .compose(v -> context.deploy(() -> new CatalogApiVerticle(pool), config.instances()))
        .compose(id -> context.deploy(() -> new OutboxRelayVerticle(NAME, pool, context.kafka(),
            config.outbox()), 1))
        .mapEmpty();
  }
}
