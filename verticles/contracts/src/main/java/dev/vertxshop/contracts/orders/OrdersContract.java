package dev.vertxshop.contracts.orders;

/**
 * The orders service's published contract: checkout (the saga it orchestrates) and the orders of a user.
 *
 * <p>An order is {@code {"id" (UUID), "userId", "status": "PENDING"|"CONFIRMED"|"CANCELLED",
 * "lines": [{"productId", "name", "quantity", "unitPrice": money, "lineTotal": money}], "total": money,
 * "cancelReason"? (one of the {@code CANCEL_*} constants below), "cancelMessage"?, "paymentId"?, "createdAt",
 * "updatedAt"}}. Prices are the snapshot taken at checkout. A CANCELLED order has a cancelReason and
 * cancelMessage; a CONFIRMED one a paymentId.
 */
public final class OrdersContract {

  private OrdersContract() {
  }

  /**
   * {@code {"userId", "idempotencyKey" (1..64 printable ASCII characters, no spaces)}} → order. Checks out
   * the user's cart. The same key for the same user returns the same order, never a second one, also when
   * concurrent; a key reused with another cart content is not an error: the first order is returned.
   * The reply comes when the saga ended (CONFIRMED or CANCELLED: a cancelled checkout is a reply, not a
   * failure), or with status PENDING if it is still running after the service's reply budget (it then
   * finishes by itself; a retry with the same key waits for it again). Fails BAD_REQUEST (invalid
   * request, empty cart), UNPROCESSABLE (cart in several currencies, zero total), UNAVAILABLE/TIMEOUT
   * (the cart could not be read; nothing was written).
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

  /** Cancel reasons. Not enough stock for a line. */
  public static final String CANCEL_OUT_OF_STOCK = "OUT_OF_STOCK";
  /** A product of the order no longer exists. */
  public static final String CANCEL_PRODUCT_UNAVAILABLE = "PRODUCT_UNAVAILABLE";
  /** The catalog did not answer the reservation, even after retries. */
  public static final String CANCEL_STOCK_UNAVAILABLE = "STOCK_UNAVAILABLE";
  /** The payment provider declined the charge. */
  public static final String CANCEL_PAYMENT_DECLINED = "PAYMENT_DECLINED";
  /** Payments or its provider was down (or its breaker open). */
  public static final String CANCEL_PAYMENT_UNAVAILABLE = "PAYMENT_UNAVAILABLE";
  /** The charge got no answer in time; the payment was cancelled so that nothing stays captured. */
  public static final String CANCEL_PAYMENT_TIMEOUT = "PAYMENT_TIMEOUT";
  /** Payments refused the charge for another reason. */
  public static final String CANCEL_PAYMENT_FAILED = "PAYMENT_FAILED";
  /** The catalog refused to commit the reserved units; the payment was refunded. */
  public static final String CANCEL_RESERVATION_LOST = "RESERVATION_LOST";

  public static final String PENDING = "PENDING";
  public static final String CONFIRMED = "CONFIRMED";
  public static final String CANCELLED = "CANCELLED";
}
