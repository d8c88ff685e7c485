package dev.vertxshop.contracts.users;

import dev.vertxshop.platform.errors.ServiceException;
import dev.vertxshop.platform.json.Fields;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The users contract's field rules, shared by its records (and so by the typed client and the service):
 * every wrong value a BAD_REQUEST naming the field. Messages never repeat a value: a password must not
 * travel back in a reply or into a log.
 */
public final class UserFields {

  public static final int EMAIL_MAX = 254;
  public static final int PASSWORD_MIN = 8;
  public static final int PASSWORD_MAX = 128;
  public static final int NAME_MAX = 100;
  public static final int ADDRESS_MAX = 64;

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

  private UserFields() {
  }

  /** Whether {@code text} is an e-mail address the shop accepts. */
  public static boolean isEmail(String text) {
    return text.length() <= EMAIL_MAX && EMAIL.matcher(text).matches();
  }

  /** An e-mail address, as given. */
  static String email(String email) {
    Fields.required(email, "email");
    if (email.length() > EMAIL_MAX) {
      throw ServiceException.badRequest("'email' must be at most " + EMAIL_MAX + " characters");
    }
    if (!isEmail(email)) {
      throw ServiceException.badRequest("'email' is not an e-mail address");
    }
    return email;
  }

  /** A password of {@code min} to {@value #PASSWORD_MAX} code points, as given. */
  static String password(String password, int min) {
    Fields.required(password, "password");
    int length = password.codePointCount(0, password.length());
    if (length < min || length > PASSWORD_MAX) {
      throw ServiceException.badRequest("'password' must be " + min + " to " + PASSWORD_MAX + " characters");
    }
    requireWellFormed(password, "password");
    return password;
  }

  /** A display name, trimmed: 1 to {@value #NAME_MAX} code points, no control characters. */
  static String name(String name) {
    Fields.required(name, "name");
    String trimmed = name.strip();
    int length = trimmed.codePointCount(0, trimmed.length());
    if (length < 1 || length > NAME_MAX) {
      throw ServiceException.badRequest("'name' must be 1 to " + NAME_MAX + " characters, not counting surrounding spaces");
    }
    requireWellFormed(trimmed, "name");
    if (trimmed.codePoints().anyMatch(Character::isISOControl)) {
      throw ServiceException.badRequest("'name' must not contain control characters");
    }
    return trimmed;
  }

  /** The caller's address as the gateway saw it, lower-cased. */
  static String clientAddress(String address) {
    Fields.required(address, "clientAddress");
    if (!ADDRESS.matcher(address).matches()) {
      throw ServiceException.badRequest("'clientAddress' must be an IP address or host name of at most " + ADDRESS_MAX + " characters");
    }
    return address.toLowerCase(Locale.ROOT);
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
}
