package dev.vertxshop.gateway.orders;

import dev.vertxshop.contracts.orders.OrdersClient;
import dev.vertxshop.contracts.orders.OrdersContract;
import dev.vertxshop.gateway.auth.Authenticator;
import dev.vertxshop.gateway.http.FailureHandler;
import dev.vertxshop.gateway.http.Responses;
import dev.vertxshop.gateway.http.Validated;
import dev.vertxshop.gateway.resilience.Downstream;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.openapi.validation.RequestParameter;
import java.time.Duration;
import java.util.Map;

/**
 * Checkout, the signed-in user's orders, and the operators' list of orders by status. A checkout that ended
 * (CONFIRMED or CANCELLED) created an order: 201; one still running after the orders service's reply budget
 * is accepted: 202, and its status can be followed at {@code Location}. The same {@code Idempotency-Key}
 * again gives the same order; another key while the cart is in an unsettled order is a 409 naming that
 * order ({@code "orderId"} in the error body, and {@code Location}).
 */
public final class OrdersApi {

  public static final String ORDERS_PATH = "/api/orders/";
  public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

  private final Downstream orders;
  private final OrdersClient client;
  private final Duration checkoutDeadline;

  public OrdersApi(Downstream orders, OrdersClient client, Duration checkoutDeadline) {
    this.orders = orders;
    this.client = client;
    this.checkoutDeadline = checkoutDeadline;
  }

  public void checkout(RoutingContext ctx) {
    String userId = Authenticator.userId(ctx);
    // The document requires the header and checks its form; only its presence is left to read.
    String key = ctx.request().getHeader(IDEMPOTENCY_KEY);
    orders.call(() -> client.checkout(userId, key, checkoutDeadline)).onComplete(order -> {
      ctx.response().putHeader(HttpHeaders.LOCATION, ORDERS_PATH + order.getString("id"));
      Responses.json(ctx, OrdersContract.PENDING.equals(order.getString("status")) ? 202 : 201, order);
    }, failure -> {
      OrdersContract.unsettledOrderId(failure).ifPresent(orderId -> {
        ctx.put(FailureHandler.DETAILS, new JsonObject().put("orderId", orderId));
        ctx.response().putHeader(HttpHeaders.LOCATION, ORDERS_PATH + orderId);
      });
      ctx.fail(failure);
    });
  }

  /** Operators: orders of every user in one status (NEEDS_ATTENTION unless asked otherwise), oldest first. */
  public void adminList(RoutingContext ctx) {
    Map<String, RequestParameter> query = Validated.query(ctx);
    String status = Validated.string(query, "status", OrdersContract.NEEDS_ATTENTION);
    int page = Validated.integer(query, "page", 1);
    int size = Validated.integer(query, "size", 20);
    orders.call(() -> client.adminList(status, page, size)).onComplete(list -> Responses.json(ctx, 200, list), ctx::fail);
  }

  public void list(RoutingContext ctx) {
    String userId = Authenticator.userId(ctx);
    Map<String, RequestParameter> query = Validated.query(ctx);
    int page = Validated.integer(query, "page", 1);
    int size = Validated.integer(query, "size", 20);
    orders.call(() -> client.list(userId, page, size)).onComplete(list -> Responses.json(ctx, 200, list), ctx::fail);
  }

  public void get(RoutingContext ctx) {
    String userId = Authenticator.userId(ctx);
    String orderId = Validated.path(ctx, "id");
    orders.call(() -> client.get(userId, orderId)).onComplete(order -> Responses.json(ctx, 200, order), ctx::fail);
  }
}
