package dev.vertxshop.cart;

import dev.vertxshop.contracts.cart.CartContract;
import dev.vertxshop.platform.errors.ServiceException;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A validated cart request. The cart never trusts its caller: a wrong type, an unknown field, a
 * malformed id or an out-of-range quantity is a BAD_REQUEST naming the field, before anything is read
 * or written. {@code productId} is null for {@code cart.get}, {@code quantity} 0 when not asked for,
 * {@code idempotencyKey} null unless an add names one.
 */
record CartRequest(UUID userId, UUID productId, int quantity, String idempotencyKey) {

  /** Visible ASCII, as for checkout: keys travel in an HTTP header and in logs, where spaces and control characters only hurt. */
  private static final Pattern KEY_TEXT = Pattern.compile("[\\x21-\\x7E]+");
  private static final Pattern UUID_TEXT =
      Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  private static final Set<String> USER_ONLY = Set.of("userId");
  private static final Set<String> USER_AND_PRODUCT = Set.of("userId", "productId");
  private static final Set<String> WITH_QUANTITY = Set.of("userId", "productId", "quantity");
  private static final Set<String> ADD_FIELDS = Set.of("userId", "productId", "quantity", "idempotencyKey");
  private static final int MAX_FIELD_SHOWN = 40;

  /** {@code cart.get}: {@code {"userId"}}. */
  static CartRequest get(Object body) {
    JsonObject json = object(body, USER_ONLY);
    return new CartRequest(uuid(json, "userId"), null, 0, null);
  }

  /** {@code cart.item.add}: quantity 1..99, and an optional idempotency key. */
  static CartRequest add(Object body) {
    JsonObject json = object(body, ADD_FIELDS);
    return new CartRequest(uuid(json, "userId"), uuid(json, "productId"), quantity(json, 1), key(json));
  }

  /** {@code cart.item.set}: quantity 0..99, where 0 removes the line. */
  static CartRequest set(Object body) {
    JsonObject json = object(body, WITH_QUANTITY);
    return new CartRequest(uuid(json, "userId"), uuid(json, "productId"), quantity(json, 0), null);
  }

  /** {@code cart.item.remove}: {@code {"userId", "productId"}}. */
  static CartRequest remove(Object body) {
    JsonObject json = object(body, USER_AND_PRODUCT);
    return new CartRequest(uuid(json, "userId"), uuid(json, "productId"), 0, null);
  }

  private static JsonObject object(Object body, Set<String> allowed) {
    if (!(body instanceof JsonObject json)) {
      throw ServiceException.badRequest("the request body must be a JSON object");
    }
    Set<String> unknown = new TreeSet<>(json.fieldNames());
    unknown.removeAll(allowed);
    if (!unknown.isEmpty()) {
      // Field names come from the caller and end up in logs: show one, shortened.
      String first = unknown.iterator().next();
      String shown = first.length() > MAX_FIELD_SHOWN ? first.substring(0, MAX_FIELD_SHOWN) + "..." : first;
      throw ServiceException.badRequest("unknown field '" + shown + "'" + (unknown.size() > 1 ? " (and " + (unknown.size() - 1)
          + " more)" : "") + "; allowed: " + new TreeSet<>(allowed));
    }
    return json;
  }

  /** A required id in canonical UUID form ({@link UUID#fromString} alone also takes forms like "1-1-1-1-1"). */
  private static UUID uuid(JsonObject json, String field) {
    Object value = json.getValue(field);
    if (value == null) {
      throw ServiceException.badRequest("'" + field + "' is required");
    }
    if (!(value instanceof String text) || !UUID_TEXT.matcher(text).matches()) {
      throw ServiceException.badRequest("'" + field + "' must be a UUID string");
    }
    return UUID.fromString(text);
  }

  /** The optional {@code idempotencyKey}: absent (or null) for none; otherwise 1..64 visible ASCII characters. */
  private static String key(JsonObject json) {
    Object value = json.getValue("idempotencyKey");
    if (value == null) {
      return null;
    }
    if (!(value instanceof String key)) {
      throw ServiceException.badRequest("'idempotencyKey' must be a string");
    }
    if (key.isEmpty() || key.length() > CartContract.MAX_KEY_LENGTH) {
      throw ServiceException.badRequest("'idempotencyKey' must be 1 to " + CartContract.MAX_KEY_LENGTH + " characters");
    }
    if (!KEY_TEXT.matcher(key).matches()) {
      throw ServiceException.badRequest("'idempotencyKey' must be printable ASCII without spaces");
    }
    return key;
  }

  /** An integer in {@code [min, 99]}; fractions, text and booleans are refused, not converted. */
  private static int quantity(JsonObject json, int min) {
    Object value = json.getValue("quantity");
    String range = "an integer from " + min + " to " + CartContract.MAX_QUANTITY;
    if (value == null) {
      throw ServiceException.badRequest("'quantity' is required: " + range);
    }
    // JSON numbers arrive as Integer or Long when integral, as Double (or BigDecimal) otherwise.
    if (!(value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte)) {
      throw ServiceException.badRequest("'quantity' must be " + range);
    }
    long quantity = ((Number) value).longValue();
    if (quantity < min || quantity > CartContract.MAX_QUANTITY) {
      throw ServiceException.badRequest("'quantity' must be " + range + ", not " + quantity);
    }
    return (int) quantity;
  }
}
