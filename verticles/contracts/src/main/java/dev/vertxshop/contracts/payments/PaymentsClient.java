package dev.vertxshop.contracts.payments;

import dev.vertxshop.platform.bus.Bus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;

/** Typed event-bus client of the payments service. */
public final class PaymentsClient {

  private final Vertx vertx;
  private final Duration deadline;

  public PaymentsClient(Vertx vertx, Duration deadline) {
    this.vertx = vertx;
    this.deadline = deadline;
  }

  public Future<Payment> charge(Charge charge) {
    return Bus.call(vertx, PaymentsContract.CHARGE, charge, deadline);
  }

  public Future<PaymentCancelled> cancel(PaymentOf order) {
    return Bus.call(vertx, PaymentsContract.CANCEL, order, deadline);
  }

  public Future<Payment> get(PaymentOf order) {
    return Bus.call(vertx, PaymentsContract.GET, order, deadline);
  }
}
