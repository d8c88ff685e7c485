package dev.vertxshop.payments;

import dev.vertxshop.platform.errors.ServiceException;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Strict readers for request bodies: the service never trusts its callers, so every wrong shape is a
 * BAD_REQUEST naming the field, never an internal error, and is refused before anything is written.
 */
final class Requests {

  private static final Pattern UUID_TEXT =
      Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
  private static final Set<String> ORDER_ONLY = Set.of("orderId");

  private Requests() {
  }

  /** The body as a JSON object; anything else (a string, null) is a bad request. */
  static JsonObject object(Object body, String path) {
    if (body instanceof JsonObject json) {
      return json;
    }
    throw ServiceException.badRequest(path.isEmpty() ? "the request body must be a JSON object" : "'" + path + "' must be an object");
  }

  static void rejectUnknown(JsonObject json, Set<String> allowed, String where) {
    Set<String> unknown = new TreeSet<>(json.fieldNames());
    unknown.removeAll(allowed);
    if (!unknown.isEmpty()) {
      // Names come from the caller and end up in logs and replies: show the first, shortened.
      String first = unknown.iterator().next();
      String shown = first.length() > 40 ? first.substring(0, 40) + "..." : first;
      throw ServiceException.badRequest("unknown field '" + (where.isEmpty() ? shown : where + "." + shown) + "'"
          + (unknown.size() > 1 ? " (and " + (unknown.size() - 1) + " more)" : "") + "; allowed: " + new TreeSet<>(allowed));
    }
  }

  /** A canonical UUID field (required). UUID.fromString alone accepts short forms such as "1-1-1-1-1". */
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

  /** The order id of a {@code {"orderId"}} request (cancel, get). */
  static UUID orderId(Object body) {
    JsonObject json = object(body, "");
    rejectUnknown(json, ORDER_ONLY, "");
    return uuid(json, "orderId");
  }
}
