package dev.vertxshop.contracts.orders;

/**
 * The orders service's published contract: checkout (the saga it orchestrates) and the orders of a user.
 *
 * <p>An order is {@code {"id" (UUID), "userId", "status": "PENDING"|"CONFIRMED"|"CANCELLED",
 * "lines": [{"productId", "name", "quantity", "unitPrice": money, "lineTotal": money}], "total": money,
 * "cancelReason"? ("OUT_OF_STOCK"|"PAYMENT_DECLINED"|"PAYMENT_UNAVAILABLE"|"PRODUCT_UNAVAILABLE"|...),
 * "cancelMessage"?, "paymentId"?, "createdAt", "updatedAt"}}. Prices are the snapshot taken at checkout.
 */
public final class OrdersContract {

  private OrdersContract() {
  }

  /**
   * {@code {"userId", "idempotencyKey" (1..64 printable chars)}} → order. Checks out the user's cart.
   * The same key for the same user returns the same order, never a second one, also when concurrent.
   * The reply comes when the saga ended, or with status PENDING if it is still running after the
   * service's reply budget (it then finishes by itself). Fails BAD_REQUEST (empty cart), CONFLICT (the
   * key was used with another cart content is NOT an error: the first order is returned).
   */
  public static final String CHECKOUT = "orders.checkout";
  /** {@code {"userId", "orderId"}} → order. Fails NOT_FOUND, also for another user's order. */
  public static final String GET = "orders.get";
  /** {@code {"userId", "page" (from 1), "size" (1..100)}} → {@code {"items": [order], "page", "size", "total"}}, newest first. */
  public static final String LIST = "orders.list";

  /** Order events, key = order id; data = the order. */
  public static final String EVENTS_TOPIC = "shop.orders.events";
  public static final String ORDER_PLACED = "OrderPlaced";
  public static final String ORDER_CONFIRMED = "OrderConfirmed";
  public static final String ORDER_CANCELLED = "OrderCancelled";

  public static final String PENDING = "PENDING";
  public static final String CONFIRMED = "CONFIRMED";
  public static final String CANCELLED = "CANCELLED";
}
