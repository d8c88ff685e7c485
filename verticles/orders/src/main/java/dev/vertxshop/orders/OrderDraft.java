package dev.vertxshop.orders;

import dev.vertxshop.platform.errors.ErrorCode;
import dev.vertxshop.platform.errors.ServiceException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * What a checkout snapshots from the cart view: the lines with the prices the user saw, and their total.
 * The cart is another service: its reply is checked like any input, so that a bad view fails the
 * checkout instead of writing a wrong order.
 */
record OrderDraft(String currency, long totalMinor, List<Line> lines) {

  /** One line as it goes into the order. */
  record Line(UUID productId, String name, int quantity, long unitPriceMinor) {
  }

  /** Lines of an empty cart: the caller turns this into "cart is empty". */
  boolean isEmpty() {
    return lines.isEmpty();
  }

  static OrderDraft fromCart(JsonObject cart) {
    JsonArray lines = cart == null ? null : cart.getJsonArray("lines");
    if (lines == null) {
      throw unusable("no lines");
    }
    List<Line> out = new ArrayList<>(lines.size());
    String currency = null;
    long total = 0;
    for (int i = 0; i < lines.size(); i++) {
      JsonObject line = lines.getJsonObject(i);
      if (line == null) {
        throw unusable("line " + i + " is not an object");
      }
      UUID productId = parseId(line.getString("productId"), i);
      String name = line.getString("name");
      Integer quantity = line.getInteger("quantity");
      JsonObject price = line.getJsonObject("unitPrice");
      if (name == null || quantity == null || quantity < 1 || price == null
          || !(price.getValue("amount") instanceof Number) || price.getString("currency") == null) {
        throw unusable("line " + i + " lacks a name, a positive quantity or a unit price");
      }
      long amount = price.getLong("amount");
      if (amount < 0) {
        throw unusable("line " + i + " has a negative price");
      }
      if (currency == null) {
        currency = price.getString("currency");
      } else if (!currency.equals(price.getString("currency"))) {
        throw new ServiceException(ErrorCode.UNPROCESSABLE, "the cart mixes currencies; an order has one");
      }
      try {
        total = Math.addExact(total, Math.multiplyExact(amount, quantity.longValue()));
      } catch (ArithmeticException e) {
        throw new ServiceException(ErrorCode.UNPROCESSABLE, "the cart total is too large");
      }
      out.add(new Line(productId, name, quantity, amount));
    }
    if (!out.isEmpty() && total == 0) {
      // Payments charges positive amounts only: such a checkout could only ever end cancelled.
      throw new ServiceException(ErrorCode.UNPROCESSABLE, "the order total is zero; there is nothing to pay");
    }
    return new OrderDraft(currency, total, List.copyOf(out));
  }

  private static UUID parseId(String text, int line) {
    try {
      return UUID.fromString(text);
    } catch (RuntimeException e) {
      throw unusable("line " + line + " has no product id");
    }
  }

  private static ServiceException unusable(String why) {
    return new ServiceException(ErrorCode.INTERNAL, "the cart answered an unusable view: " + why);
  }
}
