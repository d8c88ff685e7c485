package dev.vertxshop.contracts.cart;

import dev.vertxshop.platform.errors.ServiceException;
import dev.vertxshop.platform.json.Fields;
import java.util.UUID;
import java.util.regex.Pattern;

/** The rules the cart's requests share, so that the readers and the records' constructors say the same words. */
final class CartFields {

  /** Visible ASCII, as for checkout: keys travel in an HTTP header and in logs, where spaces and control characters only hurt. */
  private static final Pattern KEY_TEXT = Pattern.compile("[\\x21-\\x7E]+");

  private CartFields() {
  }

  static UUID required(UUID id, String field) {
    return Fields.required(id, field);
  }

  /** A quantity in {@code [min, MAX_QUANTITY]}, with the reader's words. */
  static int quantity(int quantity, int min) {
    if (quantity < min || quantity > CartContract.MAX_QUANTITY) {
      throw ServiceException.badRequest("'quantity' must be an integer between " + min + " and " + CartContract.MAX_QUANTITY);
    }
    return quantity;
  }

  static int readQuantity(Fields f, int min) {
    return (int) f.integer("quantity", min, CartContract.MAX_QUANTITY);
  }

  /** An idempotency key: null for none; otherwise 1..{@value CartContract#MAX_KEY_LENGTH} visible ASCII characters. */
  static String key(String key) {
    if (key == null) {
      return null;
    }
    if (key.isEmpty() || key.length() > CartContract.MAX_KEY_LENGTH) {
      throw ServiceException.badRequest("'idempotencyKey' must be 1 to " + CartContract.MAX_KEY_LENGTH + " characters");
    }
    if (!KEY_TEXT.matcher(key).matches()) {
      throw ServiceException.badRequest("'idempotencyKey' must be printable ASCII without spaces");
    }
    return key;
  }
}
