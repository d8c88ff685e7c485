package dev.vertxshop.notifications;

import dev.vertxshop.contracts.orders.OrdersContract;
import dev.vertxshop.contracts.payments.PaymentsContract;
import dev.vertxshop.platform.boot.ServiceContext;
import dev.vertxshop.platform.boot.ShopService;
import dev.vertxshop.platform.kafka.EventConsumerVerticle;
import dev.vertxshop.platform.kafka.Inbox;
import dev.vertxshop.platform.kafka.InboxPruneVerticle;
import dev.vertxshop.platform.kafka.Topics;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.util.List;

/** The notifications service: one notification per user-visible order or payment event, behind {@code notifications.*}. */
public final class NotificationsService implements ShopService {

  /** Service name, schema name and inbox consumer name. */
  public static final String NAME = "notifications";
  /** The Kafka consumer group: every replica shares the partitions of both topics. */
  public static final String GROUP = "notifications";
  /** The topics consumed. */
  public static final List<String> TOPICS = List.of(OrdersContract.EVENTS_TOPIC, PaymentsContract.EVENTS_TOPIC);

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
  public Future<Void> start(ServiceContext context) {
    NotificationsConfig config;
    try {
      config = NotificationsConfig.from(context.env());
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    Pool pool = context.pool();
    NotificationStore store = new NotificationStore(pool);
    EventNotifier notifier = new EventNotifier(pool);
    // The producers create these topics too; whoever starts first must not subscribe to nothing.
    Future<?> chain = Topics.ensure(context.vertx(), context.kafka(),
            TOPICS.stream().map(topic -> Topics.events(topic, context.kafka())).toList())
        .compose(v -> context.deploy(() -> new NotificationsApiVerticle(store), config.instances()));
    // Separate deployments, not instances of one: each consumer then gets its own Kafka client id.
    for (int i = 0; i < config.consumers(); i++) {
      chain = chain.compose(v -> context.deploy(
          () -> new EventConsumerVerticle(context.kafka(), GROUP, TOPICS, notifier::handle), 1));
    }
    return chain.compose(v -> context.deploy(() -> new InboxPruneVerticle(pool, NAME, Inbox.retention(context.env())), 1))
        .mapEmpty();
  }
}
