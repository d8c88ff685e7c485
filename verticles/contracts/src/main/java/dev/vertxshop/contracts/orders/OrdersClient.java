package dev.vertxshop.contracts.orders;

import dev.vertxshop.platform.bus.Bus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;

/** Typed event-bus client of the orders service. */
public final class OrdersClient {

  private final Vertx vertx;
  private final Duration deadline;

  public OrdersClient(Vertx vertx, Duration deadline) {
    this.vertx = vertx;
    this.deadline = deadline;
  }

  /** Checkout takes a saga: give it a deadline longer than the other calls. */
  public Future<JsonObject> checkout(String userId, String idempotencyKey, Duration checkoutDeadline) {
    return Bus.requestIdempotent(vertx, OrdersContract.CHECKOUT,
        new JsonObject().put("userId", userId).put("idempotencyKey", idempotencyKey), checkoutDeadline);
  }

  public Future<JsonObject> get(String userId, String orderId) {
    return Bus.requestIdempotent(vertx, OrdersContract.GET, new JsonObject().put("userId", userId).put("orderId", orderId), deadline);
  }

  public Future<JsonObject> list(String userId, int page, int size) {
    return Bus.requestIdempotent(vertx, OrdersContract.LIST,
        new JsonObject().put("userId", userId).put("page", page).put("size", size), deadline);
  }

  /** Orders of every user in one status, oldest first, with their saga: for operators only. */
  public Future<JsonObject> adminList(String status, int page, int size) {
    return Bus.request(vertx, OrdersContract.ADMIN_LIST,
        new JsonObject().put("status", status).put("page", page).put("size", size), deadline);
  }
}
