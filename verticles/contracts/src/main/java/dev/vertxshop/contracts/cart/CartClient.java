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

  /** An add without a key: not idempotent, so never re-sent (a retry could add the units twice). */
  public Future<JsonObject> addItem(String userId, String productId, int quantity) {
    return addItem(userId, productId, quantity, null);
  }

  /**
   * An add under {@code idempotencyKey} (null: none). With a key the add is made at most once, so the request may be
   * re-sent when its destination is lost ({@link Bus#requestIdempotent}).
   */
  public Future<JsonObject> addItem(String userId, String productId, int quantity, String idempotencyKey) {
    JsonObject body = new JsonObject().put("userId", userId).put("productId", productId).put("quantity", quantity);
    if (idempotencyKey == null) {
      return Bus.request(vertx, CartContract.ADD_ITEM, body, deadline);
    }
    return Bus.requestIdempotent(vertx, CartContract.ADD_ITEM, body.put("idempotencyKey", idempotencyKey), deadline);
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
