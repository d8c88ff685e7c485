package dev.vertxshop.cart;

import dev.vertxshop.contracts.orders.OrdersContract;
import dev.vertxshop.platform.boot.ServiceContext;
import dev.vertxshop.platform.boot.ShopService;
import dev.vertxshop.platform.kafka.EventConsumerVerticle;
import dev.vertxshop.platform.kafka.Inbox;
import dev.vertxshop.platform.kafka.InboxPruneVerticle;
import dev.vertxshop.platform.kafka.Topics;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.util.List;

/**
 * The cart service: per-user carts behind {@code cart.*}, cleared of checked-out units by order events, and the upkeep
 * of its idempotency keys.
 */
public final class CartService implements ShopService {

  /** Service name and schema name. */
  public static final String NAME = "cart";

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
    // After the catalog, which prices every cart; before orders and the gateway, which call the cart.
    return 20;
  }

  @Override
  public Future<Void> start(ServiceContext context) {
    CartConfig config;
    try {
      config = CartConfig.from(context.env());
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    Pool pool = context.pool();
    CartMetrics metrics = CartMetrics.on(context.meterRegistry());
    // The topic is the orders service's, but the consumer must subscribe before orders ever published.
    return Topics.ensure(context.vertx(), context.kafka(), List.of(Topics.events(OrdersContract.EVENTS_TOPIC, context.kafka())))
        .compose(v -> context.deploy(() -> new CartApiVerticle(pool, config.catalogTimeout(), metrics), config.instances()))
        .compose(id -> context.deploy(() -> new EventConsumerVerticle(context.kafka(), CheckoutClearing.CONSUMER,
            List.of(OrdersContract.EVENTS_TOPIC), new CheckoutClearing(pool)::handle), 1))
        .compose(id -> context.deploy(() -> new InboxPruneVerticle(pool, NAME, Inbox.retention(context.env())), 1))
        .compose(id -> context.deploy(() -> new KeyPruneVerticle(pool, config.keyRetention(), config.keyPruneInterval(), metrics), 1))
        .mapEmpty();
  }
}
