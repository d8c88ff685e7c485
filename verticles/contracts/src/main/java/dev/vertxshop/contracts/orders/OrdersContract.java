package dev.vertxshop.contracts.orders;

import dev.vertxshop.platform.bus.Route;
import dev.vertxshop.platform.errors.ErrorCode;
import dev.vertxshop.platform.errors.ServiceException;
import io.vertx.core.json.JsonObject;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The orders service's published contract: checkout (the saga it orchestrates) and the orders of a user.
 *
 * <p>An order is {@code {"id" (UUID), "userId", "status": "PENDING"|"CONFIRMED"|"CANCELLED",
 * "lines": [{"productId", "name", "quantity", "unitPrice": money, "lineTotal": money}], "total": money,
 * "cancelReason"? (one of the {@code CANCEL_*} constants below), "cancelMessage"?, "paymentId"?, "createdAt",
 * "updatedAt"}}. Prices are the snapshot taken at checkout. A CANCELLED order has a cancelReason and
 * cancelMessage; a CONFIRMED one a paymentId. An order whose saga hit its limits while money may be taken
 * is {@link #NEEDS_ATTENTION} in the database and in {@link #ADMIN_LIST}; its owner keeps seeing it
 * PENDING (it is not decided yet), through {@link #CHECKOUT}, {@link #GET} and {@link #LIST} alike.
 */
public final class OrdersContract {

  private OrdersContract() {
  }

  /**
   * {@link Checkout} {@code {"userId", "idempotencyKey" (1..64 printable ASCII characters, no spaces)}} → order. Checks out
   * the user's cart. The same key for the same user returns the same order, never a second one, also when
   * concurrent; a key reused with another cart content is not an error: the first order is returned.
   * The reply comes when the saga ended (CONFIRMED or CANCELLED: a cancelled checkout is a reply, not a
   * failure), or with status PENDING if it is still running after the service's reply budget (it then
   * finishes by itself; a retry with the same key waits for it again). Fails BAD_REQUEST (invalid
   * request, empty cart), UNPROCESSABLE (cart in several currencies, zero total), UNAVAILABLE/TIMEOUT
   * (the cart could not be read; nothing was written), and CONFLICT when the user's cart is already in
   * an unsettled order placed under another key: nothing is written, and the failure's message names that
   * order ({@link #unsettledOrder}, read back with {@link #unsettledOrderId}). Once it is settled
   * (CONFIRMED or CANCELLED) a new key checks the cart out again.
   */
  public static final Route<Checkout, JsonObject> CHECKOUT = Route.idempotent("orders.checkout", Checkout.class,
      Checkout::fromJson, JsonObject.class, Route::jsonReply);
  /** {@link GetOrder} {@code {"userId", "orderId"}} → order. Fails NOT_FOUND, also for another user's order. */
  public static final Route<GetOrder, JsonObject> GET = Route.idempotent("orders.get", GetOrder.class, GetOrder::fromJson,
      JsonObject.class, Route::jsonReply);
  /** {@link ListOrders} {@code {"userId", "page" (from 1), "size" (1..100)}} → {@code {"items": [order], "page", "size", "total"}}, newest first. */
  public static final Route<ListOrders, JsonObject> LIST = Route.idempotent("orders.list", ListOrders.class,
      ListOrders::fromJson, JsonObject.class, Route::jsonReply);
  /**
   * For operators (the gateway's admin route): {@link AdminListOrders} {@code {"status" (PENDING|NEEDS_ATTENTION|CONFIRMED|CANCELLED),
   * "page"? (from 1), "size"? (1..100)}} → {@code {"items": [admin order], "page", "size", "total"}}, oldest
   * first. An admin order is the order with its real status plus {@code "saga": {"state", "stepRuns",
   * "resumes", "lastError"?, "attentionSince"?, "owner"?, "leaseUntil"?}}. Fails BAD_REQUEST.
   */
  public static final Route<AdminListOrders, JsonObject> ADMIN_LIST = Route.once("orders.admin.list", AdminListOrders.class,
      AdminListOrders::fromJson, JsonObject.class, Route::jsonReply);

  /** Longest idempotency key of a checkout (the gateway's {@code Idempotency-Key} header). */
  public static final int MAX_KEY_LENGTH = 64;
  public static final int MAX_PAGE_SIZE = 100;
  public static final int DEFAULT_PAGE_SIZE = 20;
  /** Deep OFFSET pages cost a scan each; nobody pages through 100k pages of their own orders. */
  public static final int MAX_PAGE = 100_000;

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
  /**
   * The checkout did not get past reserving or charging within its limits (runs of one step, age); it was
   * cancelled with its compensations (stock released, any capture refunded).
   */
  public static final String CANCEL_CHECKOUT_EXPIRED = "CHECKOUT_EXPIRED";

  public static final String PENDING = "PENDING";
  public static final String CONFIRMED = "CONFIRMED";
  public static final String CANCELLED = "CANCELLED";
  /**
   * Status of an order whose saga hit its limits in a step that may have taken money (committing the
   * stock after the capture, or compensating): shown to operators only; its owner sees PENDING.
   */
  public static final String NEEDS_ATTENTION = "NEEDS_ATTENTION";

  private static final String UNSETTLED_PREFIX = "the cart is already checked out in order ";
  private static final Pattern UNSETTLED = Pattern.compile(
      "^" + Pattern.quote(UNSETTLED_PREFIX) + "([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\\b");

  /**
   * The CONFLICT a checkout fails with while the user's cart is in the unsettled order {@code orderId}. The
   * event bus carries a code and a message only, so the order id travels in the message, in this form.
   */
  public static ServiceException unsettledOrder(String orderId) {
    return ServiceException.conflict(UNSETTLED_PREFIX + orderId + ", which is not settled yet; follow that order,"
        + " or check out again once it is confirmed or cancelled");
  }

  /** The unsettled order a checkout failure names ({@link #unsettledOrder}), if it is one. */
  public static Optional<String> unsettledOrderId(Throwable failure) {
    ServiceException error = ServiceException.from(failure);
    if (error.code() != ErrorCode.CONFLICT || error.getMessage() == null) {
      return Optional.empty();
    }
    Matcher matcher = UNSETTLED.matcher(error.getMessage());
    return matcher.find() ? Optional.of(matcher.group(1)) : Optional.empty();
  }
}
