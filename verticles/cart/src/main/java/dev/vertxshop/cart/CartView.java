package dev.vertxshop.cart;

import dev.vertxshop.contracts.Money;
import dev.vertxshop.contracts.catalog.CatalogContract;
import dev.vertxshop.contracts.catalog.Product;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.UUID;

/**
 * The contract's cart JSON: stored lines priced with the catalog's current products. Lines whose
 * product the catalog no longer has are left out (their rows stay, in case the product comes back).
 */
final class CartView {

  private CartView() {
  }

  /**
   * Builds the view. Amounts are exact: a total that does not fit a long fails (ArithmeticException)
   * rather than wrapping around; with the catalog's price ceiling it cannot happen.
   */
  static JsonObject of(CartState cart, Map<UUID, Product> products) {
    JsonArray lines = new JsonArray();
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
      lines.add(new JsonObject()
          .put("productId", line.productId().toString())
          .put("name", product.name())
          .put("quantity", line.quantity())
          .put("unitPrice", unit.toJson())
          .put("lineTotal", lineTotal.toJson())
          .put("available", product.stock()));
    }
    return new JsonObject()
        .put("userId", cart.userId().toString())
        .put("lines", lines)
        .put("total", total.toJson())
        .put("itemCount", items)
        .put("updatedAt", cart.updatedAt() == null ? null : cart.updatedAt().toString());
  }
}
