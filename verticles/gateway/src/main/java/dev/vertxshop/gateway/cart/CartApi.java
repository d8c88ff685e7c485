package dev.vertxshop.gateway.cart;

import dev.vertxshop.contracts.cart.CartClient;
import dev.vertxshop.gateway.auth.Authenticator;
import dev.vertxshop.gateway.http.Responses;
import dev.vertxshop.gateway.http.Validated;
import dev.vertxshop.gateway.orders.OrdersApi;
import dev.vertxshop.gateway.resilience.Downstream;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * The signed-in user's cart; the cart acted on is always the token's user's, whatever the request says. An add may
 * carry an {@code Idempotency-Key}: the same key again answers the first answer, with another body it is a 422.
 */
public final class CartApi {

  private final Downstream cart;
  private final CartClient client;

  public CartApi(Downstream cart, CartClient client) {
    this.cart = cart;
    this.client = client;
  }

  public void get(RoutingContext ctx) {
    String userId = Authenticator.userId(ctx);
    cart.call(() -> client.get(userId)).onComplete(view -> Responses.json(ctx, 200, view), ctx::fail);
  }

  public void addItem(RoutingContext ctx) {
    String userId = Authenticator.userId(ctx);
    JsonObject body = Validated.body(ctx);
    // The document checks the key's form when there is one; it is optional here (an add without it is made every time).
    String key = ctx.request().getHeader(OrdersApi.IDEMPOTENCY_KEY);
    cart.call(() -> client.addItem(userId, body.getString("productId"), body.getInteger("quantity"), key))
        .onComplete(view -> Responses.json(ctx, 200, view), ctx::fail);
  }

  public void setItem(RoutingContext ctx) {
    String userId = Authenticator.userId(ctx);
    String productId = Validated.path(ctx, "productId");
    int quantity = Validated.body(ctx).getInteger("quantity");
    cart.call(() -> client.setItem(userId, productId, quantity))
        .onComplete(view -> Responses.json(ctx, 200, view), ctx::fail);
  }

  public void removeItem(RoutingContext ctx) {
    String userId = Authenticator.userId(ctx);
    String productId = Validated.path(ctx, "productId");
    cart.call(() -> client.removeItem(userId, productId))
        .onComplete(view -> Responses.json(ctx, 200, view), ctx::fail);
  }
}
