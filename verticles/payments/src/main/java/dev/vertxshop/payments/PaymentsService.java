package dev.vertxshop.payments;

import dev.vertxshop.contracts.payments.PaymentsContract;
import dev.vertxshop.platform.boot.ServiceContext;
import dev.vertxshop.platform.boot.ShopService;
import dev.vertxshop.platform.kafka.OutboxRelayVerticle;
import dev.vertxshop.platform.kafka.Topics;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The payments service: charges and refunds at the payment provider behind {@code payments.*}, payment events on Kafka. */
public final class PaymentsService implements ShopService {

  /** Service name, schema name and the outbox relay's key. */
  public static final String NAME = "payments";

  private static final Logger LOG = LoggerFactory.getLogger(PaymentsService.class);

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
    // Before orders, which charges through it as soon as it is up.
    return 40;
  }

  @Override
  public Future<Void> start(ServiceContext context) {
    PaymentsConfig config;
    try {
      config = PaymentsConfig.from(context.env());
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    Pool pool = context.pool();
    return Topics.ensure(context.vertx(), context.kafka(), List.of(Topics.events(PaymentsContract.EVENTS_TOPIC, context.kafka())))
        .compose(v -> context.deploy(() -> new PaymentsApiVerticle(pool, config, context.meterRegistry()), 1))
        .compose(id -> context.deploy(() -> new RefundSweeperVerticle(pool, config, context.meterRegistry()), 1))
        .compose(id -> context.deploy(() -> new OutboxRelayVerticle(NAME, pool, context.kafka(),
            config.outbox()), 1))
        .onSuccess(id -> LOG.info("payments: provider {}, {} ms per attempt, {} retries, breaker opens after {} failures; "
            + "a charge answers within {} ms at worst", config.providerUrl(), config.providerTimeout().toMillis(), config.retries(),
            config.breakerMaxFailures(), config.worstCaseCharge().toMillis()))
        .mapEmpty();
  }
}
