package dev.vertxshop.contracts.cart;

/**
 * The cart service's published contract. Every request names the {@code userId} whose cart it acts
 * on (the gateway takes it from the verified token, never from the client).
 *
 * <p>A cart is {@code {"userId", "lines": [{"productId", "name", "quantity", "unitPrice": money,
 * "lineTotal": money, "available" (units in stock now)}], "total": money, "itemCount", "updatedAt"}}
 * with current catalog prices; money is {@code {"amount": <integer minor units>, "currency"}}. A line
 * whose product no longer exists is dropped from the view.
 *
 * <p>Details: lines come in the order they were added; {@code itemCount} is the number of units (the
 * sum of the quantities); {@code updatedAt} is null for a user who never had a cart. A line may hold
 * up to {@link #MAX_QUANTITY} units whatever the stock ({@code available} shows the stock; the
 * checkout's reservation is what checks it), and a cart up to {@link #MAX_LINES} lines. Every address
 * fails BAD_REQUEST for a body that is not exactly its fields with the right types ({@code userId} and
 * {@code productId} canonical UUIDs, {@code quantity} an integer in range), and UNAVAILABLE when the
 * catalog cannot price the cart (a cart is never answered without prices; writes ask the catalog
 * before they change anything, so an outage refuses them unmade).
 * Every write answers the cart after the change.
 *
 * <p>When an order is confirmed ({@code OrderConfirmed} on the orders topic), the cart service takes
 * the ordered quantities out of the user's cart (a line reaching 0 goes); units added after the
 * checkout stay.
 */
public final class CartContract {

  private CartContract() {
  }

  /** {@code {"userId"}} → cart (empty if none). */
  public static final String GET = "cart.get";
  /**
   * {@code {"userId", "productId", "quantity" (1..99), "idempotencyKey"?}} → cart; adds to an existing line. Fails NOT_FOUND
   * (product), BAD_REQUEST (also when the line would exceed 99 units, or the product would be a 51st line).
   *
   * <p>With an {@code idempotencyKey} (1..{@value #MAX_KEY_LENGTH} visible ASCII characters, chosen by the client per add), the
   * add is made at most once per user and key: the same key with the same product and quantity again answers the first
   * answer and changes nothing, even while the first is still running (it waits for it); the same key with another product
   * or quantity fails UNPROCESSABLE and changes nothing. A key is kept for the cart's key retention, then forgotten. An add
   * that failed stored no key: trying it again is a new attempt.
   */
  public static final String ADD_ITEM = "cart.item.add";
  /**
   * {@code {"userId", "productId", "quantity" (0..99; 0 removes)}} → cart; sets the quantity. Fails NOT_FOUND (product, for a
   * quantity above 0), BAD_REQUEST (also for a 51st line). Setting 0 for a product not in the cart changes nothing.
   */
  public static final String SET_ITEM = "cart.item.set";
  /** {@code {"userId", "productId"}} → cart. Fails NOT_FOUND when the line is not in the cart. */
  public static final String REMOVE_ITEM = "cart.item.remove";

  public static final int MAX_QUANTITY = 99;
  /** Longest idempotency key of an add (the gateway's {@code Idempotency-Key} header, as for checkout). */
  public static final int MAX_KEY_LENGTH = 64;
  public static final int MAX_LINES = 50;
}
