package dev.vertxshop.orders;

import dev.vertxshop.contracts.orders.OrdersContract;
import dev.vertxshop.platform.boot.ServiceContext;
import dev.vertxshop.platform.boot.ShopService;
import dev.vertxshop.platform.kafka.OutboxRelayVerticle;
import dev.vertxshop.platform.kafka.Topics;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.util.List;
import java.util.UUID;

/**
 * The orders service: orders and the checkout saga behind {@code orders.*}, order events on Kafka, and
 * the upkeep of its schema (old idempotency keys, the count of orders needing attention).
 */
public final class OrdersService implements ShopService {

  /** Service name, schema name and the outbox relay's key. */
  public static final String NAME = "orders";

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
    // After the catalog, cart and payments it calls (a resumed saga calls them at once); before the gateway.
    return 50;
  }

  @Override
  public Future<Void> start(ServiceContext context) {
    OrdersConfig config;
    try {
      config = OrdersConfig.from(context.env());
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    Pool pool = context.pool();
    // One saga owner per node start: a restarted replica never mistakes its predecessor's leases for its own.
    String owner = NAME + "-" + UUID.randomUUID();
    SagaMetrics metrics = SagaMetrics.on(context.meterRegistry());
    return Topics.ensure(context.vertx(), context.kafka(), List.of(Topics.events(OrdersContract.EVENTS_TOPIC, context.kafka())))
        // The saga owner first: checkouts hand their sagas to it. It stops last, after the API.
        .compose(v -> context.deploy(() -> new SagaVerticle(pool, config, metrics, owner), 1))
        .compose(id -> context.deploy(() -> new OrdersApiVerticle(pool, config, owner), config.instances()))
        .compose(id -> context.deploy(() -> new OutboxRelayVerticle(NAME, pool, context.kafka(),
            config.outbox()), 1))
        .compose(id -> context.deploy(() -> new HousekeepingVerticle(pool, config, metrics), 1))
        .mapEmpty();
  }
}
