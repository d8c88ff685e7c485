package dev.vertxshop.contracts.cart;

import dev.vertxshop.platform.bus.Route;

/**
 * The cart service's published contract: one route per address (address, request record, reply record). Every
 * request names the {@code userId} whose cart it acts on (the gateway takes it from the verified token, never from
 * the client), and every address answers the {@link Cart} after the request; the records of this package are the
 * messages' format (their {@code toJson} is the JSON on the wire, their {@code fromJson} the strict reader both
 * sides use: an unknown field, a wrong type, a missing field or a value out of range is BAD_REQUEST naming the
 * field). Money is {@link dev.vertxshop.contracts.Money}.
 *
 * <p>Prices, names and {@code available} are the catalog's current ones; a line whose product no longer exists is
 * dropped from the view. A line may hold up to {@link #MAX_QUANTITY} units whatever the stock (the checkout's
 * reservation is what checks it), and a cart up to {@link #MAX_LINES} lines. Every address fails UNAVAILABLE when
 * the catalog cannot price the cart (a cart is never answered without prices; writes ask the catalog before they
 * change anything, so an outage refuses them unmade).
 *
 * <p>When an order is confirmed ({@code OrderConfirmed} on the orders topic), the cart service takes the ordered
 * quantities out of the user's cart (a line reaching 0 goes); units added after the checkout stay.
 */
public final class CartContract {

  private CartContract() {
  }

  /** {@link GetCart} → {@link Cart} (empty if none). */
  public static final Route<GetCart, Cart> GET = Route.idempotent("cart.get", GetCart.class, GetCart::fromJson,
      Cart.class, Cart::fromJson);

  /**
   * {@link AddItem} → {@link Cart}; adds to an existing line. Fails NOT_FOUND (product), BAD_REQUEST (also when the
   * line would exceed 99 units, or the product would be a 51st line).
   *
   * <p>With an {@code idempotencyKey} (chosen by the client per add), the add is made at most once per user and key:
   * the same key with the same product and quantity again answers the first answer and changes nothing, even while
   * the first is still running (it waits for it); the same key with another product or quantity fails UNPROCESSABLE
   * and changes nothing. A key is kept for the cart's key retention, then forgotten. An add that failed stored no
   * key: trying it again is a new attempt. Without a key an add is not idempotent: the route is never re-sent, and
   * {@link CartClient} re-sends a keyed add only.
   */
  public static final Route<AddItem, Cart> ADD_ITEM = Route.once("cart.item.add", AddItem.class, AddItem::fromJson,
      Cart.class, Cart::fromJson);

  /** {@link #ADD_ITEM} for an add under an idempotency key, which may be re-sent when its destination is lost. */
  public static final Route<AddItem, Cart> ADD_ITEM_KEYED = Route.idempotent(ADD_ITEM.address(), AddItem.class,
      AddItem::fromJson, Cart.class, Cart::fromJson);

  /**
   * {@link SetItem} → {@link Cart}; sets the quantity (0 removes). Fails NOT_FOUND (product, for a quantity above
   * 0), BAD_REQUEST (also for a 51st line). Setting 0 for a product not in the cart changes nothing.
   */
  public static final Route<SetItem, Cart> SET_ITEM = Route.idempotent("cart.item.set", SetItem.class, SetItem::fromJson,
      Cart.class, Cart::fromJson);

  /** {@link RemoveItem} → {@link Cart}. Fails NOT_FOUND when the line is not in the cart. */
  public static final Route<RemoveItem, Cart> REMOVE_ITEM = Route.idempotent("cart.item.remove", RemoveItem.class,
      RemoveItem::fromJson, Cart.class, Cart::fromJson);

  public static final int MAX_QUANTITY = 99;
  /** Longest idempotency key of an add (the gateway's {@code Idempotency-Key} header, as for checkout). */
  public static final int MAX_KEY_LENGTH = 64;
  public static final int MAX_LINES = 50;
}
