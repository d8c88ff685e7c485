package dev.vertxshop.contracts.cart;

import dev.vertxshop.platform.bus.Bus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;

/**
 * Typed event-bus client of the cart service; every call has a deadline and fails with a ServiceException. Reads,
 * sets, removes and keyed adds are re-sent when a destination is lost; an add without a key never is (a retry could
 * add the units twice).
 */
public final class CartClient {

  private final Vertx vertx;
  private final Duration deadline;

  public CartClient(Vertx vertx, Duration deadline) {
    this.vertx = vertx;
    this.deadline = deadline;
  }

  public Future<Cart> get(GetCart request) {
    return Bus.call(vertx, CartContract.GET, request, deadline);
  }

  /** An add; with an idempotency key it is made at most once, so it may be re-sent ({@link Bus#requestIdempotent}). */
  public Future<Cart> addItem(AddItem request) {
    if (request.idempotencyKey() == null) {
      return Bus.call(vertx, CartContract.ADD_ITEM, request, deadline);
    }
    return Bus.call(vertx, CartContract.ADD_ITEM_KEYED, request, deadline);
  }

  public Future<Cart> setItem(SetItem request) {
    return Bus.call(vertx, CartContract.SET_ITEM, request, deadline);
  }

  public Future<Cart> removeItem(RemoveItem request) {
    return Bus.call(vertx, CartContract.REMOVE_ITEM, request, deadline);
  }
}
