package dev.vertxshop.users;

import dev.vertxshop.platform.errors.ServiceException;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Strict readers for the request bodies of {@code users.*}: every wrong shape is a BAD_REQUEST naming
 * the field. Messages never repeat a value: a password must not travel back in a reply or into a log.
 */
final class Requests {

  static final int EMAIL_MAX = 254;
  static final int PASSWORD_MIN = 8;
  static final int PASSWORD_MAX = 128;
  static final int NAME_MAX = 100;
  static final int ADDRESS_MAX = 64;

  private static final Set<String> REGISTER_FIELDS = Set.of("email", "password", "name", "clientAddress");
  private static final Set<String> LOGIN_FIELDS = Set.of("email", "password", "clientAddress");
  private static final Set<String> GET_FIELDS = Set.of("id");

  private static final String ATEXT = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+";
  private static final String LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
  /**
   * RFC 5321 dot-atom local part (no quoted strings) of at most 64 characters, and a domain of at
   * least two DNS labels whose last one starts with a letter (no bare IP addresses). ASCII only:
   * internationalized domains come in their xn-- form.
   */
  private static final Pattern EMAIL = Pattern.compile(
      "(?=[^@]{1,64}@)" + ATEXT + "(?:\\." + ATEXT + ")*@(?=.{1,253}$)(?:" + LABEL + "\\.)+[A-Za-z](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
  /** IPv4, IPv6 (with an optional zone), or a host name: what a gateway can say about its client. */
  private static final Pattern ADDRESS = Pattern.compile("[0-9A-Za-z.:%_\\[\\]-]{1," + ADDRESS_MAX + "}");
  private static final Pattern UUID_TEXT =
      Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  private Requests() {
  }

  /** A {@code users.register} body: e-mail as given, password as given, name trimmed, the address lower-cased. */
  record Registration(String email, String password, String name, String clientAddress) {

    @Override
    public String toString() {
      return "Registration[email=" + email + ", name=" + name + ", clientAddress=" + clientAddress + "]";
    }
  }

  /** A {@code users.login} body; the address lower-cased. */
  record Credentials(String email, String password, String clientAddress) {

    @Override
    public String toString() {
      return "Credentials[email=" + email + ", clientAddress=" + clientAddress + "]";
    }
  }

  static Registration registration(Object body) {
    JsonObject json = object(body);
    rejectUnknown(json, REGISTER_FIELDS);
    String email = email(json);
    String password = string(json, "password");
    int length = password.codePointCount(0, password.length());
    if (length < PASSWORD_MIN || length > PASSWORD_MAX) {
      throw ServiceException.badRequest("'password' must be " + PASSWORD_MIN + " to " + PASSWORD_MAX + " characters");
    }
    requireWellFormed(password, "password");
    String name = string(json, "name").strip();
    int nameLength = name.codePointCount(0, name.length());
    if (nameLength < 1 || nameLength > NAME_MAX) {
      throw ServiceException.badRequest("'name' must be 1 to " + NAME_MAX + " characters, not counting surrounding spaces");
    }
    requireWellFormed(name, "name");
    if (name.codePoints().anyMatch(Character::isISOControl)) {
      throw ServiceException.badRequest("'name' must not contain control characters");
    }
    // Last, so that a body wrong in its other fields is told about them first.
    return new Registration(email, password, name, clientAddress(json));
  }

  static Credentials credentials(Object body) {
    JsonObject json = object(body);
    rejectUnknown(json, LOGIN_FIELDS);
    String email = email(json);
    String password = string(json, "password");
    // No minimum beyond non-empty: a short password cannot match, and the answer must then be the
    // same UNAUTHORIZED as any other wrong password. The maximum bounds the work per attempt.
    int length = password.codePointCount(0, password.length());
    if (length < 1 || length > PASSWORD_MAX) {
      throw ServiceException.badRequest("'password' must be 1 to " + PASSWORD_MAX + " characters");
    }
    requireWellFormed(password, "password");
    return new Credentials(email, password, clientAddress(json));
  }

  private static String clientAddress(JsonObject json) {
    String address = string(json, "clientAddress");
    if (!ADDRESS.matcher(address).matches()) {
      throw ServiceException.badRequest("'clientAddress' must be an IP address or host name of at most " + ADDRESS_MAX + " characters");
    }
    return address.toLowerCase(Locale.ROOT);
  }

  /** A {@code users.get} body: a canonical UUID (malformed is BAD_REQUEST; unknown is NOT_FOUND later). */
  static UUID userId(Object body) {
    JsonObject json = object(body);
    rejectUnknown(json, GET_FIELDS);
    String text = string(json, "id");
    if (!UUID_TEXT.matcher(text).matches()) {
      throw ServiceException.badRequest("'id' is not a UUID");
    }
    return UUID.fromString(text);
  }

  /** A {@code users.jwks} body: an empty object. */
  static void empty(Object body) {
    rejectUnknown(object(body), Set.of());
  }

  static boolean isEmail(String text) {
    return text.length() <= EMAIL_MAX && EMAIL.matcher(text).matches();
  }

  private static String email(JsonObject json) {
    String email = string(json, "email");
    if (email.length() > EMAIL_MAX) {
      throw ServiceException.badRequest("'email' must be at most " + EMAIL_MAX + " characters");
    }
    if (!isEmail(email)) {
      throw ServiceException.badRequest("'email' is not an e-mail address");
    }
    return email;
  }

  private static JsonObject object(Object body) {
    if (body instanceof JsonObject json) {
      return json;
    }
    throw ServiceException.badRequest("the request body must be a JSON object");
  }

  private static String string(JsonObject json, String field) {
    Object value = json.getValue(field);
    if (value == null) {
      throw ServiceException.badRequest("'" + field + "' is required");
    }
    if (!(value instanceof String text)) {
      throw ServiceException.badRequest("'" + field + "' must be a string");
    }
    return text;
  }

  // A lone surrogate would be silently replaced when encoded: two different passwords could then hash
  // alike, and PostgreSQL would refuse such a name outright.
  private static void requireWellFormed(String text, String field) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw ServiceException.badRequest("'" + field + "' is not well-formed Unicode text");
      } else if (c == 0) {
        throw ServiceException.badRequest("'" + field + "' must not contain NUL characters");
      }
    }
  }

  private static void rejectUnknown(JsonObject json, Set<String> allowed) {
    Set<String> unknown = new TreeSet<>(json.fieldNames());
    unknown.removeAll(allowed);
    if (unknown.isEmpty()) {
      return;
    }
    // Field names come from the caller: show a few, shortened.
    StringBuilder names = new StringBuilder();
    int shown = 0;
    for (String name : unknown) {
      if (shown == 5) {
        names.append(", ...");
        break;
      }
      names.append(shown++ > 0 ? ", " : "").append('\'')
          .append(name.length() > 40 ? name.substring(0, 40) + "..." : name).append('\'');
    }
    throw ServiceException.badRequest("unknown field" + (unknown.size() > 1 ? "s " : " ") + names
        + "; allowed: " + new TreeSet<>(allowed));
  }
}
