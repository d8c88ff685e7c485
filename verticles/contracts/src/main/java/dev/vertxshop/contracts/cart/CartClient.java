package dev.vertxshop.contracts.cart;

import dev.vertxshop.platform.bus.Bus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;

/** Typed event-bus client of the cart service. */
public final class CartClient {

  private final Vertx vertx;
  private final Duration deadline;

  public CartClient(Vertx vertx, Duration deadline) {
    this.vertx = vertx;
    this.deadline = deadline;
  }

  public Future<JsonObject> get(String userId) {
    return Bus.requestIdempotent(vertx, CartContract.GET, new JsonObject().put("userId", userId), deadline);
  }

  public Future<JsonObject> addItem(String userId, String productId, int quantity) {
    return Bus.request(vertx, CartContract.ADD_ITEM,
        new JsonObject().put("userId", userId).put("productId", productId).put("quantity", quantity), deadline);
  }

  public Future<JsonObject> setItem(String userId, String productId, int quantity) {
    return Bus.requestIdempotent(vertx, CartContract.SET_ITEM,
        new JsonObject().put("userId", userId).put("productId", productId).put("quantity", quantity), deadline);
  }

  public Future<JsonObject> removeItem(String userId, String productId) {
    return Bus.requestIdempotent(vertx, CartContract.REMOVE_ITEM,
        new JsonObject().put("userId", userId).put("productId", productId), deadline);
  }
}
