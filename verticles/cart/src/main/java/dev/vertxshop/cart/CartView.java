package dev.vertxshop.cart;

import dev.vertxshop.contracts.catalog.CatalogContract;
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
  static JsonObject of(CartState cart, Map<UUID, JsonObject> products) {
    JsonArray lines = new JsonArray();
    long total = 0;
    int items = 0;
    for (CartState.Line line : cart.lines()) {
      JsonObject product = products.get(line.productId());
      if (product == null) {
        continue;
      }
      JsonObject price = product.getJsonObject("price");
      String currency = price.getString("currency");
      if (!CatalogContract.CURRENCY.equals(currency)) {
        // One currency per shop: a total over mixed currencies would be meaningless, so refuse to make one.
        throw new IllegalStateException("product " + line.productId() + " is priced in " + currency);
      }
      long unit = price.getLong("amount");
      long lineTotal = Math.multiplyExact(unit, (long) line.quantity());
      total = Math.addExact(total, lineTotal);
      items += line.quantity();
      lines.add(new JsonObject()
          .put("productId", line.productId().toString())
          .put("name", product.getString("name"))
          .put("quantity", line.quantity())
          .put("unitPrice", money(unit))
          .put("lineTotal", money(lineTotal))
          .put("available", product.getInteger("stock")));
    }
    return new JsonObject()
        .put("userId", cart.userId().toString())
        .put("lines", lines)
        .put("total", money(total))
        .put("itemCount", items)
        .put("updatedAt", cart.updatedAt() == null ? null : cart.updatedAt().toString());
  }

  private static JsonObject money(long amount) {
    return new JsonObject().put("amount", amount).put("currency", CatalogContract.CURRENCY);
  }
}
