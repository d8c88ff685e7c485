package dev.vertxshop.cart;

import dev.vertxshop.contracts.Money;
import dev.vertxshop.contracts.cart.Cart;
import dev.vertxshop.contracts.catalog.CatalogContract;
import dev.vertxshop.contracts.catalog.Product;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The contract's {@link Cart}: stored lines priced with the catalog's current products. Lines whose
 * product the catalog no longer has are left out (their rows stay, in case the product comes back).
 */
final class CartView {

  private CartView() {
  }

  /**
   * Builds the view. Amounts are exact: a total that does not fit a long fails (ArithmeticException)
   * rather than wrapping around; with the catalog's price ceiling it cannot happen.
   */
  static Cart of(CartState cart, Map<UUID, Product> products) {
    List<Cart.Line> lines = new ArrayList<>(cart.lines().size());
    Money total = Money.eur(0);
    int items = 0;
    for (CartState.Line line : cart.lines()) {
      Product product = products.get(line.productId());
      if (product == null) {
        continue;
      }
      Money unit = product.price();
      if (!CatalogContract.CURRENCY.equals(unit.currency())) {
        // One currency per shop: a total over mixed currencies would be meaningless, so refuse to make one.
        throw new IllegalStateException("product " + line.productId() + " is priced in " + unit.currency());
      }
      Money lineTotal = unit.times(line.quantity());
      total = total.plus(lineTotal);
      items += line.quantity();
      lines.add(new Cart.Line(line.productId(), product.name(), line.quantity(), unit, lineTotal, product.stock()));
    }
    return new Cart(cart.userId(), lines, total, items, cart.updatedAt());
  }
}
