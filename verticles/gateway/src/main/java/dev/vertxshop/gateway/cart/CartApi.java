package dev.vertxshop.gateway.cart;

import dev.vertxshop.contracts.cart.AddItem;
import dev.vertxshop.contracts.cart.CartClient;
import dev.vertxshop.contracts.cart.GetCart;
import dev.vertxshop.contracts.cart.RemoveItem;
import dev.vertxshop.contracts.cart.SetItem;
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
 * Each request is read into the cart contract's record with the record's own reader (a request the cart would
 * refuse never crosses the bus, and is refused with the cart's words); the answer is the {@code Cart} as the cart
 * writes it.
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
    GetCart request = Validated.read(ctx, () -> GetCart.fromJson(new JsonObject().put("userId", userId)));
    if (request != null) {
      cart.call(() -> client.get(request)).onComplete(view -> Responses.json(ctx, 200, view.toJson()), ctx::fail);
    }
  }

  public void addItem(RoutingContext ctx) {
    String userId = Authenticator.userId(ctx);
    JsonObject body = Validated.body(ctx);
    // The document checks the key's form when there is one; it is optional here (an add without it is made every time).
    String key = ctx.request().getHeader(OrdersApi.IDEMPOTENCY_KEY);
    AddItem request = Validated.read(ctx, () -> AddItem.fromJson(new JsonObject().put("userId", userId)
        .put("productId", body.getValue("productId")).put("quantity", body.getValue("quantity")).put("idempotencyKey", key)));
    if (request != null) {
      cart.call(() -> client.addItem(request)).onComplete(view -> Responses.json(ctx, 200, view.toJson()), ctx::fail);
    }
  }

  public void setItem(RoutingContext ctx) {
    String userId = Authenticator.userId(ctx);
    String productId = Validated.path(ctx, "productId");
    Object quantity = Validated.body(ctx).getValue("quantity");
    SetItem request = Validated.read(ctx, () -> SetItem.fromJson(new JsonObject().put("userId", userId).put("productId", productId)
        .put("quantity", quantity)));
    if (request != null) {
      cart.call(() -> client.setItem(request)).onComplete(view -> Responses.json(ctx, 200, view.toJson()), ctx::fail);
    }
  }

  public void removeItem(RoutingContext ctx) {
    String userId = Authenticator.userId(ctx);
    String productId = Validated.path(ctx, "productId");
    RemoveItem request = Validated.read(ctx, () -> RemoveItem.fromJson(new JsonObject().put("userId", userId).put("productId", productId)));
    if (request != null) {
      cart.call(() -> client.removeItem(request)).onComplete(view -> Responses.json(ctx, 200, view.toJson()), ctx::fail);
    }
  }

}
