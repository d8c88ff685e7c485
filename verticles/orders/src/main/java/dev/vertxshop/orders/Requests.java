package dev.vertxshop.orders;

import dev.vertxshop.contracts.orders.OrdersContract;
import dev.vertxshop.platform.errors.ServiceException;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The validated requests of {@code orders.*}. The service never trusts its callers: every wrong shape
 * is a BAD_REQUEST naming the field, decided before anything is read or written.
 */
final class Requests {

  private static final Pattern UUID_TEXT =
      Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
  /** Visible ASCII: keys travel in an HTTP header and in logs, where spaces and control characters only hurt. */
  private static final Pattern KEY_TEXT = Pattern.compile("[\\x21-\\x7E]+");

  static final int MAX_KEY_LENGTH = 64;
  static final int MAX_PAGE_SIZE = 100;
  static final int DEFAULT_PAGE_SIZE = 20;
  /** Deep OFFSET pages cost a scan each; nobody pages through 100k pages of their own orders. */
  static final int MAX_PAGE = 100_000;

  private static final Set<String> CHECKOUT_FIELDS = Set.of("userId", "idempotencyKey");
  private static final Set<String> GET_FIELDS = Set.of("userId", "orderId");
  private static final Set<String> LIST_FIELDS = Set.of("userId", "page", "size");
  private static final Set<String> ADMIN_LIST_FIELDS = Set.of("status", "page", "size");
  private static final Set<String> STATUSES = Set.of(OrdersContract.PENDING, OrdersContract.NEEDS_ATTENTION,
      OrdersContract.CONFIRMED, OrdersContract.CANCELLED);
  private static final int MAX_NAMES_SHOWN = 5;
  private static final int MAX_NAME_SHOWN = 40;

  private Requests() {
  }

  /** {@link OrdersContract#CHECKOUT}. */
  record Checkout(UUID userId, String idempotencyKey) {
  }

  /** {@link OrdersContract#GET}. */
  record Get(UUID userId, UUID orderId) {
  }

  /** {@link OrdersContract#LIST}. */
  record ListPage(UUID userId, int page, int size) {

    long offset() {
      return (long) (page - 1) * size;
    }
  }

  /** {@link OrdersContract#ADMIN_LIST}. */
  record AdminPage(String status, int page, int size) {

    long offset() {
      return (long) (page - 1) * size;
    }
  }

  static Checkout checkout(Object body) {
    JsonObject json = object(body);
    rejectUnknown(json, CHECKOUT_FIELDS);
    UUID userId = uuid(json, "userId");
    Object raw = json.getValue("idempotencyKey");
    if (raw == null) {
      throw ServiceException.badRequest("'idempotencyKey' is required");
    }
    if (!(raw instanceof String key)) {
      throw ServiceException.badRequest("'idempotencyKey' must be a string");
    }
    if (key.isBlank()) {
      throw ServiceException.badRequest("'idempotencyKey' must not be blank");
    }
    if (key.length() > MAX_KEY_LENGTH) {
      throw ServiceException.badRequest("'idempotencyKey' must be at most " + MAX_KEY_LENGTH + " characters");
    }
    if (!KEY_TEXT.matcher(key).matches()) {
      throw ServiceException.badRequest("'idempotencyKey' must be printable ASCII without spaces");
    }
    return new Checkout(userId, key);
  }

  static Get get(Object body) {
    JsonObject json = object(body);
    rejectUnknown(json, GET_FIELDS);
    return new Get(uuid(json, "userId"), uuid(json, "orderId"));
  }

  static ListPage list(Object body) {
    JsonObject json = object(body);
    rejectUnknown(json, LIST_FIELDS);
    UUID userId = uuid(json, "userId");
    Integer page = integer(json, "page", 1, MAX_PAGE);
    Integer size = integer(json, "size", 1, MAX_PAGE_SIZE);
    return new ListPage(userId, page == null ? 1 : page, size == null ? DEFAULT_PAGE_SIZE : size);
  }

  static AdminPage adminList(Object body) {
    JsonObject json = object(body);
    rejectUnknown(json, ADMIN_LIST_FIELDS);
    Object status = json.getValue("status");
    if (status == null) {
      throw ServiceException.badRequest("'status' is required");
    }
    if (!(status instanceof String text) || !STATUSES.contains(text)) {
      throw ServiceException.badRequest("'status' must be one of " + new TreeSet<>(STATUSES));
    }
    Integer page = integer(json, "page", 1, MAX_PAGE);
    Integer size = integer(json, "size", 1, MAX_PAGE_SIZE);
    return new AdminPage(text, page == null ? 1 : page, size == null ? DEFAULT_PAGE_SIZE : size);
  }

  /** The body as a JSON object; anything else (a string, an array, null) is a bad request. */
  static JsonObject object(Object body) {
    if (body instanceof JsonObject json) {
      return json;
    }
    throw ServiceException.badRequest("the request body must be a JSON object");
  }

  /**
   * A required id in canonical UUID form. {@link UUID#fromString} alone accepts short forms such as
   * "1-1-1-1-1", which no id of ours ever has.
   */
  static UUID uuid(JsonObject json, String field) {
    Object value = json.getValue(field);
    if (value == null) {
      throw ServiceException.badRequest("'" + field + "' is required");
    }
    if (!(value instanceof String text) || !UUID_TEXT.matcher(text).matches()) {
      throw ServiceException.badRequest("'" + field + "' must be a UUID");
    }
    return UUID.fromString(text);
  }

  /** An optional integer in {@code [min, max]}; fractions and strings are refused, not rounded or parsed. */
  static Integer integer(JsonObject json, String field, int min, int max) {
    Object value = json.getValue(field);
    if (value == null) {
      return null;
    }
    String rule = "'" + field + "' must be an integer between " + min + " and " + max;
    if (!(value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte)) {
      throw ServiceException.badRequest(rule);
    }
    long number = ((Number) value).longValue();
    if (number < min || number > max) {
      throw ServiceException.badRequest(rule);
    }
    return (int) number;
  }

  // Field names come from the caller and end up in replies and logs: show a few, shortened.
  static void rejectUnknown(JsonObject json, Set<String> allowed) {
    Set<String> unknown = new TreeSet<>(json.fieldNames());
    unknown.removeAll(allowed);
    if (unknown.isEmpty()) {
      return;
    }
    StringBuilder names = new StringBuilder();
    int shown = 0;
    for (String name : unknown) {
      if (shown == MAX_NAMES_SHOWN) {
        names.append(", ...");
        break;
      }
      String shortName = name.length() > MAX_NAME_SHOWN ? name.substring(0, MAX_NAME_SHOWN) + "..." : name;
      names.append(shown > 0 ? ", " : "").append('\'').append(shortName).append('\'');
      shown++;
    }
    throw ServiceException.badRequest("unknown field" + (unknown.size() > 1 ? "s " : " ") + names
        + "; allowed: " + new TreeSet<>(allowed));
  }
}
