package dev.vertxshop.payments;

import dev.vertxshop.contracts.payments.Charge;
import dev.vertxshop.contracts.payments.Payment;
import dev.vertxshop.contracts.payments.PaymentCancelled;
import dev.vertxshop.contracts.payments.PaymentOf;
import dev.vertxshop.contracts.payments.PaymentsClient;
import dev.vertxshop.platform.json.Fields;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;

/**
 * The typed client as the tests call it: ids as text and the money object as JSON in, each reply as the JSON
 * its record writes, so that the tests assert on the wire format while every call goes through the records.
 */
final class TypedCalls {

  private final PaymentsClient client;

  TypedCalls(io.vertx.core.Vertx vertx, Duration deadline) {
    this.client = new PaymentsClient(vertx, deadline);
  }

  Future<JsonObject> charge(String orderId, String userId, JsonObject amount) {
    Charge charge;
    try {
      charge = Charge.fromJson(new JsonObject().put("orderId", orderId).put("userId", userId).put("amount", amount));
    } catch (RuntimeException refused) {
      return Future.failedFuture(refused);
    }
    return client.charge(charge).map(Payment::toJson);
  }

  Future<JsonObject> cancel(String orderId) {
    return client.cancel(new PaymentOf(Fields.uuid(orderId, "orderId"))).map(PaymentCancelled::toJson);
  }

  Future<JsonObject> get(String orderId) {
    return client.get(new PaymentOf(Fields.uuid(orderId, "orderId"))).map(Payment::toJson);
  }
}
