package dev.vertxshop.contracts.orders;

import dev.vertxshop.platform.bus.Bus;
import dev.vertxshop.platform.json.Fields;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.UUID;

/**
 * Typed event-bus client of the orders service: the contract's records out, its replies back. The overloads
 * taking text build the record first: a value it refuses fails the future (BAD_REQUEST) and nothing is sent.
 */
public final class OrdersClient {

  private final Vertx vertx;
  private final Duration deadline;

  public OrdersClient(Vertx vertx, Duration deadline) {
    this.vertx = vertx;
    this.deadline = deadline;
  }

  /** Checkout takes a saga: give it a deadline longer than the other calls. */
  public Future<JsonObject> checkout(Checkout request, Duration checkoutDeadline) {
    return Bus.call(vertx, OrdersContract.CHECKOUT, request, checkoutDeadline);
  }

  public Future<JsonObject> checkout(String userId, String idempotencyKey, Duration checkoutDeadline) {
    return Bus.callWith(vertx, OrdersContract.CHECKOUT, () -> new Checkout(uuid(userId, "userId"), idempotencyKey), checkoutDeadline);
  }

  public Future<JsonObject> get(GetOrder request) {
    return Bus.call(vertx, OrdersContract.GET, request, deadline);
  }

  public Future<JsonObject> get(String userId, String orderId) {
    return Bus.callWith(vertx, OrdersContract.GET, () -> new GetOrder(uuid(userId, "userId"), uuid(orderId, "orderId")), deadline);
  }

  public Future<JsonObject> list(ListOrders request) {
    return Bus.call(vertx, OrdersContract.LIST, request, deadline);
  }

  public Future<JsonObject> list(String userId, int page, int size) {
    return Bus.callWith(vertx, OrdersContract.LIST, () -> new ListOrders(uuid(userId, "userId"), page, size), deadline);
  }

  /** Orders of every user in one status, oldest first, with their saga: for operators only. */
  public Future<JsonObject> adminList(AdminListOrders request) {
    return Bus.call(vertx, OrdersContract.ADMIN_LIST, request, deadline);
  }

  public Future<JsonObject> adminList(String status, int page, int size) {
    return Bus.callWith(vertx, OrdersContract.ADMIN_LIST, () -> new AdminListOrders(status, page, size), deadline);
  }

  private static UUID uuid(String text, String field) {
    return text == null ? null : Fields.uuid(text, field);
  }
}
