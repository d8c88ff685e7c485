package dev.vertxshop.orders;

import dev.vertxshop.contracts.payments.PaymentsContract;
import dev.vertxshop.platform.bus.Bus;
import dev.vertxshop.platform.errors.ErrorCode;
import dev.vertxshop.platform.errors.ServiceException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
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

  /** What the probe answers to one request. */
  interface Behaviour extends Function<Message<JsonObject>, Future<?>> {
  }

  private final Map<String, AtomicInteger> charges = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> cancels = new ConcurrentHashMap<>();
  private final AtomicReference<Behaviour> onCharge = new AtomicReference<>(declined());
  private final AtomicReference<Behaviour> onCancel = new AtomicReference<>(nothingCaptured());
  private List<MessageConsumer<JsonObject>> consumers;

  /** Serves {@code payments.charge} and {@code payments.cancel} on {@code vertx}'s event bus. */
  Future<Void> start(Vertx vertx) {
    consumers = List.of(
        Bus.<JsonObject>serve(vertx, PaymentsContract.CHARGE, message -> {
          charges.computeIfAbsent(message.body().getString("orderId"), id -> new AtomicInteger()).incrementAndGet();
          return onCharge.get().apply(message);
        }),
        Bus.<JsonObject>serve(vertx, PaymentsContract.CANCEL, message -> {
          cancels.computeIfAbsent(message.body().getString("orderId"), id -> new AtomicInteger()).incrementAndGet();
          return onCancel.get().apply(message);
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
    return message -> Future.failedFuture(new ServiceException(ErrorCode.PAYMENT_DECLINED, "probe: declined"));
  }

  static Behaviour failing(ErrorCode code, String text) {
    return message -> Future.failedFuture(new ServiceException(code, text));
  }

  static Behaviour captured() {
    return message -> Future.succeededFuture(new JsonObject()
        .put("id", UUID.randomUUID().toString())
        .put("orderId", message.body().getString("orderId"))
        .put("status", PaymentsContract.CAPTURED));
  }

  static Behaviour nothingCaptured() {
    return message -> Future.succeededFuture(new JsonObject()
        .put("orderId", message.body().getString("orderId"))
        .put("status", PaymentsContract.NONE));
  }
}
