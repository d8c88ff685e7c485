package dev.vertxshop.orders;

import dev.vertxshop.contracts.Money;
import dev.vertxshop.contracts.cart.Cart;
import dev.vertxshop.platform.errors.ErrorCode;
import dev.vertxshop.platform.errors.ServiceException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * What a checkout places from the cart: the lines with the prices the user saw, and their total. These are the
 * order's prices only until the stock is reserved: the saga then takes the catalog's prices recorded by the
 * reservation ({@code ReservedPrices}), which are the ones charged. The cart's reply has been read strictly by the
 * contract's {@link Cart} record already; what is checked here is what an order needs on top of it.
 */
record OrderDraft(String currency, long totalMinor, List<Line> lines) {

  /** One line as it goes into the order. */
  record Line(UUID productId, String name, int quantity, long unitPriceMinor) {
  }

  /** Lines of an empty cart: the caller turns this into "cart is empty". */
  boolean isEmpty() {
    return lines.isEmpty();
  }

  static OrderDraft fromCart(Cart cart) {
    List<Line> out = new ArrayList<>(cart.lines().size());
    String currency = null;
    long total = 0;
    for (Cart.Line line : cart.lines()) {
      Money price = line.unitPrice();
      if (currency == null) {
        currency = price.currency();
      } else if (!currency.equals(price.currency())) {
        throw new ServiceException(ErrorCode.UNPROCESSABLE, "the cart mixes currencies; an order has one");
      }
      try {
        // Computed, not copied from the cart's totals: the order's total is the sum of its own lines.
        total = Math.addExact(total, Math.multiplyExact(price.amount(), (long) line.quantity()));
      } catch (ArithmeticException e) {
        throw new ServiceException(ErrorCode.UNPROCESSABLE, "the cart total is too large");
      }
      out.add(new Line(line.productId(), line.name(), line.quantity(), price.amount()));
    }
    if (!out.isEmpty() && total == 0) {
      // Payments charges positive amounts only: such a checkout could only ever end cancelled.
      throw new ServiceException(ErrorCode.UNPROCESSABLE, "the order total is zero; there is nothing to pay");
    }
    return new OrderDraft(currency, total, List.copyOf(out));
  }
}
