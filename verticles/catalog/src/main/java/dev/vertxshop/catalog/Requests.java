package dev.vertxshop.catalog;

import dev.vertxshop.platform.errors.ServiceException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Strict readers for request bodies: the service never trusts its callers, so every wrong shape is a
 * BAD_REQUEST naming the field, never an internal error.
 */
final class Requests {

  private static final Pattern UUID_TEXT =
      Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  private static final int MAX_NAMES_SHOWN = 5;
  private static final int MAX_NAME_SHOWN = 40;

  private Requests() {
  }

  /** The body as a JSON object; anything else (a string, null) is a bad request. */
  static JsonObject object(Object body) {
    if (body instanceof JsonObject json) {
      return json;
    }
    throw ServiceException.badRequest("the request body must be a JSON object");
  }

  static void rejectUnknown(JsonObject json, Set<String> allowed, String where) {
    Set<String> unknown = new TreeSet<>(json.fieldNames());
    unknown.removeAll(allowed);
    if (!unknown.isEmpty()) {
      throw ServiceException.badRequest("unknown field" + (unknown.size() > 1 ? "s " : " ") + quoted(where, unknown)
          + "; allowed: " + new TreeSet<>(allowed));
    }
  }

  /** A string field, or null when absent or null and not required. */
  static String string(JsonObject json, String field, String path, boolean required) {
    Object value = json.getValue(field);
    if (value == null) {
      if (required) {
        throw ServiceException.badRequest("'" + path + "' is required");
      }
      return null;
    }
    if (!(value instanceof String text)) {
      throw ServiceException.badRequest("'" + path + "' must be a string");
    }
    return text;
  }

  /**
   * An integral number in {@code [min, max]}, or null when absent and not required. Fractions are
   * refused rather than rounded: a price of 12.5 cents is a caller bug.
   */
  static Long integer(JsonObject json, String field, String path, long min, long max, boolean required) {
    Object value = json.getValue(field);
    if (value == null) {
      if (required) {
        throw ServiceException.badRequest("'" + path + "' is required");
      }
      return null;
    }
    String range = " between " + min + " and " + max;
    long number;
    if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
      number = ((Number) value).longValue();
    } else if (value instanceof BigInteger) {
      throw ServiceException.badRequest("'" + path + "' must be an integer" + range);
    } else if (value instanceof Number) {
      throw ServiceException.badRequest("'" + path + "' must be an integer, not a fraction" + range);
    } else {
      throw ServiceException.badRequest("'" + path + "' must be an integer" + range);
    }
    if (number < min || number > max) {
      throw ServiceException.badRequest("'" + path + "' must be an integer" + range);
    }
    return number;
  }

  /** A nested object field (required). */
  static JsonObject object(JsonObject json, String field, String path) {
    Object value = json.getValue(field);
    if (value == null) {
      throw ServiceException.badRequest("'" + path + "' is required");
    }
    if (!(value instanceof JsonObject nested)) {
      throw ServiceException.badRequest("'" + path + "' must be an object");
    }
    return nested;
  }

  /**
   * A product id. A value that is not a UUID at all is the caller's mistake (BAD_REQUEST); a
   * well-formed id that names no product is NOT_FOUND, decided by the query.
   */
  static UUID productId(JsonObject json, String field) {
    return uuid(json, field, field);
  }

  /** A required id in canonical UUID form; {@code path} names it in the message. */
  static UUID uuid(JsonObject json, String field, String path) {
    String text = string(json, field, path, true);
    // UUID.fromString alone accepts short forms such as "1-1-1-1-1"; only the canonical form is an id.
    if (!UUID_TEXT.matcher(text).matches()) {
      throw ServiceException.badRequest("'" + path + "' is not a UUID");
    }
    return UUID.fromString(text);
  }

  // Field names come from the caller and end up in logs and replies: show a few, shortened.
  /** A non-empty array of at most {@code max} product ids, duplicates dropped, order kept. */
  static List<UUID> productIds(JsonObject json, String field, int max) {
    Object value = json.getValue(field);
    if (!(value instanceof JsonArray array) || array.isEmpty() || array.size() > max) {
      throw ServiceException.badRequest("'" + field + "' must be an array of 1 to " + max + " product ids");
    }
    Set<UUID> ids = new LinkedHashSet<>();
    for (int i = 0; i < array.size(); i++) {
      Object item = array.getValue(i);
      if (!(item instanceof String text) || !UUID_TEXT.matcher(text).matches()) {
        throw ServiceException.badRequest("'" + field + "[" + i + "]' is not a UUID");
      }
      ids.add(UUID.fromString(text));
    }
    return List.copyOf(ids);
  }

  private static String quoted(String where, Set<String> names) {
    StringBuilder out = new StringBuilder();
    int shown = 0;
    for (String name : names) {
      if (shown == MAX_NAMES_SHOWN) {
        out.append(", ...");
        break;
      }
      String shortName = name.length() > MAX_NAME_SHOWN ? name.substring(0, MAX_NAME_SHOWN) + "..." : name;
      String path = where.isEmpty() ? shortName : where + "." + shortName;
      out.append(shown > 0 ? ", " : "").append('\'').append(path).append('\'');
      shown++;
    }
    return out.toString();
  }
}
