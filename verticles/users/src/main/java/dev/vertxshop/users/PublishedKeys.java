package dev.vertxshop.users;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The key set the users service publishes on {@code users.jwks} and {@code users.jwks.changed}: the signing key's
 * public half first, then the other public keys of {@code SHOP_JWT_EXTRA_PUBLIC_KEYS} (the next key, published
 * before it signs, and previous keys, still valid for the tokens they signed), and the token lifetime, so that a
 * verifier knows how long to keep trusting a key once it is no longer published.
 */
final class PublishedKeys {

  /** JWKS member: the lifetime of the tokens this service signs, in seconds (a verifier's grace for removed keys). */
  static final String TOKEN_LIFETIME = "tokenLifetimeSeconds";
  /** More would be a mistake (a rotation needs two or three keys), and each one is kept by every verifier. */
  static final int MAX_EXTRA_KEYS = 8;

  private static final Pattern BLOCK = Pattern.compile("-----BEGIN [A-Z0-9 ]+-----.*?-----END [A-Z0-9 ]+-----", Pattern.DOTALL);

  private PublishedKeys() {
  }

  /** {@code {"keys": [signer, extras...], "tokenLifetimeSeconds": ttl}}. */
  static JsonObject jwks(SigningKey signer, List<RSAPublicKey> extras, Duration tokenTtl) {
    JsonArray keys = new JsonArray().add(signer.jwk());
    extras.forEach(key -> keys.add(SigningKey.jwk(key)));
    return new JsonObject().put("keys", keys).put(TOKEN_LIFETIME, tokenTtl.toSeconds());
  }

  /**
   * The PEM {@code PUBLIC KEY} blocks of {@code text}, one after the other (separated by line breaks or nothing;
   * line breaks real or written {@code \n}); anything else in the text is refused, as is a key given twice or the
   * signing key's own half (which is published anyway: listing it means the rotation step was mistyped).
   *
   * @param signer the signing key, or null when it is generated at start
   * @throws IllegalArgumentException describing (never echoing) what is wrong, with the block's number
   */
  static List<RSAPublicKey> parse(String text, SigningKey signer) {
    String unescaped = text.replace("\\n", "\n").replace("\\r", "");
    Matcher m = BLOCK.matcher(unescaped);
    List<RSAPublicKey> keys = new ArrayList<>();
    int end = 0;
    while (m.find()) {
      requireBlank(unescaped.substring(end, m.start()), keys.size());
      end = m.end();
      int number = keys.size() + 1;
      if (number > MAX_EXTRA_KEYS) {
        throw new IllegalArgumentException("holds more than " + MAX_EXTRA_KEYS + " keys");
      }
      RSAPublicKey key;
      try {
        key = SigningKey.publicKeyFromPem(m.group());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("key " + number + " " + e.getMessage());
      }
      if (signer != null && signer.matches(key)) {
        throw new IllegalArgumentException("key " + number + " is the public half of " + "SHOP_JWT_PRIVATE_KEY, which is "
            + "published anyway: list only the other keys (the next one, or the previous ones)");
      }
      for (int i = 0; i < keys.size(); i++) {
        if (same(keys.get(i), key)) {
          throw new IllegalArgumentException("key " + number + " is the same key as key " + (i + 1));
        }
      }
      keys.add(key);
    }
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("holds no PEM block (-----BEGIN PUBLIC KEY----- ... -----END PUBLIC KEY-----)");
    }
    requireBlank(unescaped.substring(end), keys.size());
    return List.copyOf(keys);
  }

  private static void requireBlank(String between, int keysBefore) {
    if (!between.isBlank()) {
      throw new IllegalArgumentException(keysBefore == 0 ? "has text before its first PEM block"
          : "has text after key " + keysBefore + " that is not a PEM block");
    }
  }

  private static boolean same(RSAPublicKey a, RSAPublicKey b) {
    return a.getModulus().equals(b.getModulus()) && a.getPublicExponent().equals(b.getPublicExponent());
  }
}
