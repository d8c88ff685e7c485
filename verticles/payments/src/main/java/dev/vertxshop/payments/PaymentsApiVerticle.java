package dev.vertxshop.payments;

import dev.vertxshop.contracts.payments.PaymentOf;
import dev.vertxshop.contracts.payments.PaymentsContract;
import dev.vertxshop.platform.bus.Bus;
import dev.vertxshop.platform.kafka.OutboxRelayVerticle;
import dev.vertxshop.platform.resilience.MeteredBreaker;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.sqlclient.Pool;
import dev.vertxshop.platform.errors.ServiceException;
import java.util.List;
import java.util.UUID;

/**
 * The payments event-bus API ({@code payments.*}). It owns the provider's HTTP client and circuit
 * breaker, so it is deployed once per node: a breaker's failure count is state, and splitting it over
 * several instances would let each see only part of the failures. One event loop is plenty, as the
 * work is waiting on PostgreSQL and the provider.
 */
public final class PaymentsApiVerticle extends VerticleBase {

  /** The provider's circuit breaker's name, in logs and in the metrics' {@code name} tag. */
  static final String BREAKER = "payment-provider";

  private final Pool pool;
  private final PaymentsConfig config;
  private final MeterRegistry registry;
  private MeteredBreaker breaker;
  private ProviderClient provider;

  /** {@code registry} receives the breaker's gauges (the node's registry; null: state only logged). */
  public PaymentsApiVerticle(Pool pool, PaymentsConfig config, MeterRegistry registry) {
    this.pool = pool;
    this.config = config;
    this.registry = registry;
  }

  @Override
  public Future<?> start() {
    // Each attempt carries its own deadline (ProviderClient), so the breaker adds none; retries are made
    // outside it, one breaker call each. Only provider faults count: a decline is the provider working.
    breaker = MeteredBreaker.create(vertx, BREAKER, new MeteredBreaker.Settings(config.breakerMaxFailures(),
        config.breakerWindow(), config.breakerResetTimeout(), null),
        result -> result.failed() && result.cause() instanceof ProviderFault, registry);
    provider = new ProviderClient(vertx, config, breaker.breaker());
    Payments payments = new Payments(new PaymentStore(pool, config, this::kickRelay), provider, registry);
    return Future.join(List.of(
        Bus.serve(vertx, PaymentsContract.CHARGE, payments::charge).completion(),
        Bus.serve(vertx, PaymentsContract.CANCEL, (PaymentOf order) -> payments.cancel(order.orderId())).completion(),
        Bus.serve(vertx, PaymentsContract.GET, (PaymentOf order) -> payments.get(order.orderId())).completion(),
        // The refund sweeper's tries: a cancel again, on this node, where the breaker sees every call.
        vertx.eventBus().<String>localConsumer(RefundSweeperVerticle.SETTLE_ADDRESS, message ->
            payments.cancel(UUID.fromString(message.body())).onComplete(cancelled -> message.reply(cancelled.toJson()), failure -> {
              ServiceException error = ServiceException.from(failure);
              message.fail(error.failureCode(), error.getMessage());
            })).completion()));
  }

  @Override
  public Future<?> stop() {
    // Consumers are unregistered by Vert.x on undeploy; the client and breaker are ours to close.
    provider.close();
    breaker.close();
    return Future.succeededFuture();
  }

  private void kickRelay() {
    OutboxRelayVerticle.kick(vertx, PaymentsService.NAME);
  }
}
