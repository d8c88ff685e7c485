package dev.vertxshop.contracts.cart;

/**
 * The cart service's published contract. Every request names the {@code userId} whose cart it acts
 * on (the gateway takes it from the verified token, never from the client).
 *
 * <p>A cart is {@code {"userId", "lines": [{"productId", "name", "quantity", "unitPrice": money,
 * "lineTotal": money, "available" (units in stock now)}], "total": money, "itemCount", "updatedAt"}}
 * with current catalog prices; money is {@code {"amount": <integer minor units>, "currency"}}. A line
 * whose product no longer exists is dropped from the view.
 */
public final class CartContract {

  private CartContract() {
  }

  /** {@code {"userId"}} → cart (empty if none). */
  public static final String GET = "cart.get";
  /** {@code {"userId", "productId", "quantity" (1..99)}} → cart; adds to an existing line. Fails NOT_FOUND (product), BAD_REQUEST. */
  public static final String ADD_ITEM = "cart.item.add";
  /** {@code {"userId", "productId", "quantity" (0..99; 0 removes)}} → cart; sets the quantity. */
  public static final String SET_ITEM = "cart.item.set";
  /** {@code {"userId", "productId"}} → cart. Fails NOT_FOUND when the line is not in the cart. */
  public static final String REMOVE_ITEM = "cart.item.remove";

  public static final int MAX_QUANTITY = 99;
  public static final int MAX_LINES = 50;
}
