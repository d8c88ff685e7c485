package dev.vertxshop.contracts.payments;

import dev.vertxshop.platform.bus.Bus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;

/** Typed event-bus client of the payments service. */
public final class PaymentsClient {

  private final Vertx vertx;
  private final Duration deadline;

  public PaymentsClient(Vertx vertx, Duration deadline) {
    this.vertx = vertx;
    this.deadline = deadline;
  }

  public Future<JsonObject> charge(String orderId, String userId, JsonObject amount) {
    return Bus.requestIdempotent(vertx, PaymentsContract.CHARGE,
        new JsonObject().put("orderId", orderId).put("userId", userId).put("amount", amount), deadline);
  }

  public Future<JsonObject> cancel(String orderId) {
    return Bus.requestIdempotent(vertx, PaymentsContract.CANCEL, new JsonObject().put("orderId", orderId), deadline);
  }

  public Future<JsonObject> get(String orderId) {
    return Bus.requestIdempotent(vertx, PaymentsContract.GET, new JsonObject().put("orderId", orderId), deadline);
  }
}
