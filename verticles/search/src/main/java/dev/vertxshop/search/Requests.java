package dev.vertxshop.search;

import dev.vertxshop.platform.errors.ServiceException;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.TreeSet;

/** Strict readers for request bodies: every wrong shape is a BAD_REQUEST naming the field, never an internal error. */
final class Requests {

  private static final int MAX_NAMES_SHOWN = 5;
  private static final int MAX_NAME_SHOWN = 40;

  private Requests() {
  }

  static JsonObject object(Object body) {
    if (body instanceof JsonObject json) {
      return json;
    }
    throw ServiceException.badRequest("the request body must be a JSON object");
  }

  static void rejectUnknown(JsonObject json, Set<String> allowed) {
    Set<String> unknown = new TreeSet<>(json.fieldNames());
    unknown.removeAll(allowed);
    if (!unknown.isEmpty()) {
      throw ServiceException.badRequest("unknown field" + (unknown.size() > 1 ? "s " : " ") + quoted(unknown)
          + "; allowed: " + new TreeSet<>(allowed));
    }
  }

  /** A string field, or null when absent. */
  static String string(JsonObject json, String field) {
    Object value = json.getValue(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof String text)) {
      throw ServiceException.badRequest("'" + field + "' must be a string");
    }
    return text;
  }

  /** An integral number in {@code [min, max]}, or null when absent; fractions are refused, not rounded. */
  static Long integer(JsonObject json, String field, long min, long max) {
    Object value = json.getValue(field);
    if (value == null) {
      return null;
    }
    // Doubles, BigIntegers and strings are all refused: only what fits a long exactly is a number here.
    if (!(value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte)
        || ((Number) value).longValue() < min || ((Number) value).longValue() > max) {
      throw ServiceException.badRequest("'" + field + "' must be an integer between " + min + " and " + max);
    }
    return ((Number) value).longValue();
  }

  // Field names come from the caller and end up in replies and logs: show a few, shortened.
  private static String quoted(Set<String> names) {
    StringBuilder out = new StringBuilder();
    int shown = 0;
    for (String name : names) {
      if (shown == MAX_NAMES_SHOWN) {
        out.append(", ...");
        break;
      }
      String shortName = name.length() > MAX_NAME_SHOWN ? name.substring(0, MAX_NAME_SHOWN) + "..." : name;
      out.append(shown > 0 ? ", " : "").append('\'').append(shortName).append('\'');
      shown++;
    }
    return out.toString();
  }
}
