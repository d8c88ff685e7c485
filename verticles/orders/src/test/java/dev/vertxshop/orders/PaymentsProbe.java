package dev.vertxshop.orders;

import dev.vertxshop.contracts.payments.Charge;
import dev.vertxshop.contracts.payments.Payment;
import dev.vertxshop.contracts.payments.PaymentCancelled;
import dev.vertxshop.contracts.payments.PaymentOf;
import dev.vertxshop.contracts.payments.PaymentStatus;
import dev.vertxshop.contracts.payments.PaymentsContract;
import dev.vertxshop.platform.bus.Bus;
import dev.vertxshop.platform.bus.BusMessage;
import dev.vertxshop.platform.errors.ErrorCode;
import dev.vertxshop.platform.errors.ServiceException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * A real service at the payments addresses, in place of payments, whose answers a test chooses: the
 * ways a downstream misbehaves for good (an internal error every time, no answer) that the real
 * payments service cannot be made to show on demand. It counts the requests it got, per order.
 */
final class PaymentsProbe {

  /** What the probe answers to one request (a {@link Charge} or a {@link PaymentOf}), with the contract's records. */
  interface Behaviour extends Function<BusMessage, Future<?>> {
  }

  private final Map<String, AtomicInteger> charges = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> cancels = new ConcurrentHashMap<>();
  private final AtomicReference<Behaviour> onCharge = new AtomicReference<>(declined());
  private final AtomicReference<Behaviour> onCancel = new AtomicReference<>(nothingCaptured());
  private List<MessageConsumer<Object>> consumers;

  /** Serves {@code payments.charge} and {@code payments.cancel} on {@code vertx}'s event bus, reading as payments does. */
  @SuppressWarnings("unchecked")
  Future<Void> start(Vertx vertx) {
    consumers = List.of(
        Bus.serve(vertx, PaymentsContract.CHARGE, charge -> {
          charges.computeIfAbsent(charge.orderId().toString(), id -> new AtomicInteger()).incrementAndGet();
          return (Future<Payment>) onCharge.get().apply(charge);
        }),
        Bus.serve(vertx, PaymentsContract.CANCEL, order -> {
          cancels.computeIfAbsent(order.orderId().toString(), id -> new AtomicInteger()).incrementAndGet();
          return (Future<PaymentCancelled>) onCancel.get().apply(order);
        }));
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList()).mapEmpty();
  }

  void onCharge(Behaviour behaviour) {
    onCharge.set(behaviour);
  }

  void onCancel(Behaviour behaviour) {
    onCancel.set(behaviour);
  }

  int charges(String orderId) {
    AtomicInteger count = charges.get(orderId);
    return count == null ? 0 : count.get();
  }

  int cancels(String orderId) {
    AtomicInteger count = cancels.get(orderId);
    return count == null ? 0 : count.get();
  }

  static Behaviour declined() {
    return request -> Future.failedFuture(new ServiceException(ErrorCode.PAYMENT_DECLINED, "probe: declined"));
  }

  static Behaviour failing(ErrorCode code, String text) {
    return request -> Future.failedFuture(new ServiceException(code, text));
  }

  /** For charges: the charge captured. */
  static Behaviour captured() {
    return request -> {
      Charge charge = (Charge) request;
      Instant now = Instant.now();
      return Future.succeededFuture(new Payment(UUID.randomUUID(), charge.orderId(), charge.userId(), charge.amount(),
          PaymentStatus.CAPTURED, "probe-" + charge.orderId(), null, null, now, now));
    };
  }

  /** For cancels: nothing was captured. */
  static Behaviour nothingCaptured() {
    return request -> Future.succeededFuture(new PaymentCancelled(((PaymentOf) request).orderId(), PaymentCancelled.Outcome.NONE));
  }
}
