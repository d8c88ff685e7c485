package dev.vertxshop.cart;

import dev.vertxshop.contracts.cart.CartContract;
import dev.vertxshop.platform.bus.Bus;
import dev.vertxshop.platform.bus.BusMessage;
import dev.vertxshop.platform.bus.Route;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;

/**
 * The cart's routes spoken in plain JSON, as a client without the contract's records sends them (another language,
 * a hand-written tool): requests are JSON documents, replies come back as JSON. The cart's tests of behaviour and
 * refusals use it, so that they exercise the handlers' strict readers on the wire format; {@link CartContractTest}
 * covers the typed client.
 */
final class CartJsonClient {

  private final Vertx vertx;
  private final Duration deadline;

  CartJsonClient(Vertx vertx, Duration deadline) {
    this.vertx = vertx;
    this.deadline = deadline;
  }

  Future<JsonObject> get(String userId) {
    return send(CartContract.GET, new JsonObject().put("userId", userId));
  }

  Future<JsonObject> addItem(String userId, String productId, int quantity) {
    return addItem(userId, productId, quantity, null);
  }

  Future<JsonObject> addItem(String userId, String productId, int quantity, String idempotencyKey) {
    JsonObject body = new JsonObject().put("userId", userId).put("productId", productId).put("quantity", quantity);
    if (idempotencyKey == null) {
      return send(CartContract.ADD_ITEM, body);
    }
    return send(CartContract.ADD_ITEM_KEYED, body.put("idempotencyKey", idempotencyKey));
  }

  Future<JsonObject> setItem(String userId, String productId, int quantity) {
    return send(CartContract.SET_ITEM, new JsonObject().put("userId", userId).put("productId", productId).put("quantity", quantity));
  }

  Future<JsonObject> removeItem(String userId, String productId) {
    return send(CartContract.REMOVE_ITEM, new JsonObject().put("userId", userId).put("productId", productId));
  }

  /** {@code body} as it is to the route's address; the reply as JSON (within one JVM it arrives as the cart's record). */
  Future<JsonObject> send(Route<?, ?> route, Object body) {
    Future<Object> reply = route.idempotent()
        ? Bus.requestIdempotent(vertx, route.address(), body, deadline)
        : Bus.request(vertx, route.address(), body, deadline);
    return reply.map(CartJsonClient::json);
  }

  static JsonObject json(Object reply) {
    return reply instanceof BusMessage message ? message.toJson() : (JsonObject) reply;
  }
}
