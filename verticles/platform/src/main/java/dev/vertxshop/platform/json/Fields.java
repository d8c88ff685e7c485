package dev.vertxshop.platform.json;

import dev.vertxshop.platform.errors.ServiceException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

/**
 * The one strict reader of the shop's messages: a JSON object read field by field, each wrong shape a
 * {@code BAD_REQUEST} that names the field by its path ({@code 'lines[2].quantity' must be an integer
 * between 1 and 1000}), never an internal error. Services never trust their callers, and the same
 * reader serves the typed clients, so that client and server read a message with the same code.
 *
 * <p>Numbers must be integral where an integer is asked for (a price of 12.5 cents is a caller's bug,
 * not something to round); ids must be canonical UUIDs ({@link UUID#fromString} alone accepts short
 * forms such as {@code 1-1-1-1-1}).
 */
public final class Fields {

  /** A canonical UUID: 8-4-4-4-12 hexadecimal digits. */
  public static final Pattern UUID_TEXT =
      Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  private static final int MAX_NAMES_SHOWN = 5;
  private static final int MAX_NAME_SHOWN = 40;

  private final JsonObject json;
  private final String path;

  private Fields(JsonObject json, String path) {
    this.json = json;
    this.path = path;
  }

  /** The message body as an object; anything else (a string, an array, null) is a bad request. */
  public static Fields of(Object body) {
    return of(body, "");
  }

  /** {@code value} as an object found at {@code path} ("" for a message body). */
  public static Fields of(Object value, String path) {
    if (value instanceof JsonObject json) {
      return new Fields(json, path);
    }
    throw ServiceException.badRequest(path.isEmpty() ? "the request body must be a JSON object" : "'" + path + "' must be an object");
  }

  /** Whether {@code text} is a canonical UUID. */
  public static boolean isUuid(String text) {
    return text != null && UUID_TEXT.matcher(text).matches();
  }

  /** {@code text} as a UUID, or a bad request naming {@code path}. */
  public static UUID uuid(String text, String path) {
    if (!isUuid(text)) {
      throw ServiceException.badRequest("'" + path + "' is not a UUID");
    }
    return UUID.fromString(text);
  }

  /**
   * {@code value}, or a bad request saying {@code name} is required: a record's check of a component it was
   * built with (the reader's own fields say the same through {@link #string(String)} and the like).
   */
  public static <T> T required(T value, String name) {
    if (value == null) {
      throw ServiceException.badRequest("'" + name + "' is required");
    }
    return value;
  }

  /** The object read, as it is. */
  public JsonObject json() {
    return json;
  }

  /** Refuses any field not in {@code allowed}, naming a few of them. */
  public Fields only(Set<String> allowed) {
    Set<String> unknown = new TreeSet<>(json.fieldNames());
    unknown.removeAll(allowed);
    if (!unknown.isEmpty()) {
      throw ServiceException.badRequest("unknown field" + (unknown.size() > 1 ? "s " : " ") + quoted(unknown)
          + "; allowed: " + new TreeSet<>(allowed));
    }
    return this;
  }

  /** Whether the field is present and not null. */
  public boolean has(String name) {
    return json.getValue(name) != null;
  }

  /** A required string. */
  public String string(String name) {
    String value = optionalString(name);
    if (value == null) {
      throw missing(name);
    }
    return value;
  }

  /** A string, or null when absent or null. */
  public String optionalString(String name) {
    Object value = json.getValue(name);
    if (value == null) {
      return null;
    }
    if (!(value instanceof String text)) {
      throw ServiceException.badRequest("'" + path(name) + "' must be a string");
    }
    return text;
  }

  /** A required string of {@code min} to {@code max} characters. */
  public String string(String name, int min, int max) {
    String value = string(name);
    if (value.length() < min || value.length() > max) {
      throw ServiceException.badRequest("'" + path(name) + "' must be " + min + " to " + max + " characters long");
    }
    return value;
  }

  /** A required canonical UUID. */
  public UUID uuid(String name) {
    return uuid(string(name), path(name));
  }

  /** A canonical UUID, or null when absent. */
  public UUID optionalUuid(String name) {
    String text = optionalString(name);
    return text == null ? null : uuid(text, path(name));
  }

  /** A required integral number in {@code [min, max]}. */
  public long integer(String name, long min, long max) {
    Long value = optionalInteger(name, min, max);
    if (value == null) {
      throw missing(name);
    }
    return value;
  }

  /** An integral number in {@code [min, max]}, or null when absent. */
  public Long optionalInteger(String name, long min, long max) {
    Object value = json.getValue(name);
    if (value == null) {
      return null;
    }
    String range = " between " + min + " and " + max;
    if (!(value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte)) {
      boolean fraction = value instanceof Number && !(value instanceof BigInteger);
      throw ServiceException.badRequest("'" + path(name) + "' must be an integer" + (fraction ? ", not a fraction" : "") + range);
    }
    long number = ((Number) value).longValue();
    if (number < min || number > max) {
      throw ServiceException.badRequest("'" + path(name) + "' must be an integer" + range);
    }
    return number;
  }

  /** An integral number in {@code [min, max]}, {@code otherwise} when absent. */
  public int integer(String name, int min, int max, int otherwise) {
    Long value = optionalInteger(name, min, max);
    return value == null ? otherwise : value.intValue();
  }

  /** A required instant in ISO-8601 form ({@code 2026-12-03T09:40:18.123Z}). */
  public java.time.Instant instant(String name) {
    String text = string(name);
    try {
      return java.time.Instant.parse(text);
    } catch (java.time.format.DateTimeParseException e) {
      throw ServiceException.badRequest("'" + path(name) + "' must be an ISO-8601 instant");
    }
  }

  /** A required boolean. */
  public boolean bool(String name) {
    Boolean value = optionalBool(name);
    if (value == null) {
      throw missing(name);
    }
    return value;
  }

  /** A boolean, or null when absent. */
  public Boolean optionalBool(String name) {
    Object value = json.getValue(name);
    if (value == null) {
      return null;
    }
    if (!(value instanceof Boolean flag)) {
      throw ServiceException.badRequest("'" + path(name) + "' must be true or false");
    }
    return flag;
  }

  /** One of {@code allowed}. */
  public String oneOf(String name, Set<String> allowed) {
    String value = string(name);
    if (!allowed.contains(value)) {
      throw ServiceException.badRequest("'" + path(name) + "' must be one of " + new TreeSet<>(allowed));
    }
    return value;
  }

  /** A required nested object. */
  public Fields object(String name) {
    Object value = json.getValue(name);
    if (value == null) {
      throw missing(name);
    }
    return of(value, path(name));
  }

  /** A nested object, or null when absent. */
  public Fields optionalObject(String name) {
    Object value = json.getValue(name);
    return value == null ? null : of(value, path(name));
  }

  /** A required array of {@code min} to {@code max} items, each read by {@code item} (the value and its path). */
  public <T> List<T> list(String name, int min, int max, BiFunction<Object, String, T> item) {
    Object value = json.getValue(name);
    if (value == null) {
      throw missing(name);
    }
    if (!(value instanceof JsonArray array) || array.size() < min || array.size() > max) {
      throw ServiceException.badRequest("'" + path(name) + "' must be an array of " + min + " to " + max + " items");
    }
    List<T> items = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      items.add(item.apply(array.getValue(i), path(name) + "[" + i + "]"));
    }
    return List.copyOf(items);
  }

  /** The path of field {@code name} of this object, as messages name it. */
  public String path(String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  private ServiceException missing(String name) {
    return ServiceException.badRequest("'" + path(name) + "' is required");
  }

  // Field names come from the caller and end up in logs and replies: show a few, shortened.
  private String quoted(Set<String> names) {
    StringBuilder out = new StringBuilder();
    int shown = 0;
    for (String name : names) {
      if (shown == MAX_NAMES_SHOWN) {
        out.append(", ...");
        break;
      }
      String shortName = name.length() > MAX_NAME_SHOWN ? name.substring(0, MAX_NAME_SHOWN) + "..." : name;
      out.append(shown > 0 ? ", " : "").append('\'').append(path(shortName)).append('\'');
      shown++;
    }
    return out.toString();
  }
}
