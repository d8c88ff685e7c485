package dev.vertxshop.gateway.auth;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The token verification keys in the one form the gateway uses: RS256 JWKs ({@code kty, use, alg, kid, n, e}).
 * A PEM from configuration and a JWKS from the users service both end up as such a list, so that there is one
 * verifier, whatever the source.
 */
public final class PublicKeys {

  /** The only accepted algorithm: RS256 (RSASSA-PKCS1-v1_5 with SHA-256). */
  public static final String ALGORITHM = "RS256";
  /** Keys below this size are refused, as the users service refuses to sign with them. */
  public static final int MIN_BITS = 2048;

  private static final Pattern PEM = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*)-----END \\1-----");
  private static final Pattern KID = Pattern.compile("[\\x21-\\x7E]{1,128}");
  private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder B64URL_DECODER = Base64.getUrlDecoder();

  private PublicKeys() {
  }

  /**
   * The JWK of an RSA public key given as a PEM {@code PUBLIC KEY} (line breaks real or written {@code \n}), with
   * its RFC 7638 thumbprint as {@code kid}, which is how the users service names its key.
   *
   * @throws IllegalArgumentException describing (never echoing) what is wrong with it
   */
  public static JsonObject fromPem(String pem) {
    if (pem == null || pem.isBlank()) {
      throw new IllegalArgumentException("is empty");
    }
    String text = pem.replace("\\n", "\n").replace("\\r", "").trim();
    Matcher m = PEM.matcher(text);
    if (!m.find()) {
      throw new IllegalArgumentException("is not a PEM block (-----BEGIN PUBLIC KEY----- ... -----END PUBLIC KEY-----)");
    }
    if (!m.group(1).equals("PUBLIC KEY")) {
      throw new IllegalArgumentException("is a PEM '" + m.group(1) + "', not a 'PUBLIC KEY' (openssl rsa -in key.pem -pubout)");
    }
    byte[] der;
    try {
      der = Base64.getMimeDecoder().decode(m.group(2));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("has a PEM body that is not valid base64");
    }
    PublicKey key;
    try {
      key = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("is not an RSA public key");
    }
    return jwk((RSAPublicKey) key);
  }

  /** The RS256 verification JWK of {@code key}; refuses keys under {@link #MIN_BITS}. */
  public static JsonObject jwk(RSAPublicKey key) {
    if (key.getModulus().bitLength() < MIN_BITS) {
      throw new IllegalArgumentException("is an RSA key of " + key.getModulus().bitLength() + " bits; at least "
          + MIN_BITS + " are required");
    }
    String n = base64Url(key.getModulus());
    String e = base64Url(key.getPublicExponent());
    return new JsonObject()
        .put("kty", "RSA")
        .put("use", "sig")
        .put("alg", ALGORITHM)
        .put("kid", thumbprint(n, e))
        .put("n", n)
        .put("e", e);
  }

  /**
   * The usable keys of a JWKS ({@code {"keys": [...]}}): RSA signature keys for RS256 of at least
   * {@link #MIN_BITS} bits with a printable {@code kid}, rebuilt from {@code n} and {@code e} only so that no
   * other member (certificates, private parts) reaches the verifier. Others are left out and counted in
   * {@code skipped}.
   */
  public static List<JsonObject> fromJwks(JsonObject jwks, List<String> skipped) {
    List<JsonObject> keys = new ArrayList<>();
    Object members = jwks == null ? null : jwks.getValue("keys");
    if (!(members instanceof JsonArray array)) {
      skipped.add("no 'keys' array");
      return keys;
    }
    for (Object member : array) {
      if (!(member instanceof JsonObject jwk)) {
        skipped.add("a key that is not an object");
        continue;
      }
      String problem = problem(jwk);
      if (problem != null) {
        skipped.add(problem);
        continue;
      }
      try {
        RSAPublicKey key = (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(
            new BigInteger(1, B64URL_DECODER.decode(jwk.getString("n"))),
            new BigInteger(1, B64URL_DECODER.decode(jwk.getString("e")))));
        keys.add(jwk(key).put("kid", jwk.getString("kid")));
      } catch (GeneralSecurityException | IllegalArgumentException e) {
        skipped.add("key " + jwk.getString("kid") + ": " + e.getMessage());
      }
    }
    return keys;
  }

  private static String problem(JsonObject jwk) {
    if (!"RSA".equals(jwk.getValue("kty"))) {
      return "a key that is not RSA";
    }
    Object use = jwk.getValue("use");
    if (use != null && !"sig".equals(use)) {
      return "a key not for signatures";
    }
    Object alg = jwk.getValue("alg");
    if (alg != null && !ALGORITHM.equals(alg)) {
      return "a key for another algorithm";
    }
    if (!(jwk.getValue("kid") instanceof String kid) || !KID.matcher(kid).matches()) {
      return "a key without a usable kid";
    }
    if (!(jwk.getValue("n") instanceof String) || !(jwk.getValue("e") instanceof String)) {
      return "key " + kid + " without n and e";
    }
    return null;
  }

  /** RFC 7638: SHA-256 over the required members in lexicographic order, without whitespace. */
  static String thumbprint(String n, String e) {
    String canonical = "{\"e\":\"" + e + "\",\"kty\":\"RSA\",\"n\":\"" + n + "\"}";
    try {
      return B64URL.encodeToString(MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException ex) {
      // Every Java platform is required to provide SHA-256.
      throw new IllegalStateException(ex);
    }
  }

  /** Base64url of the unsigned big-endian bytes (JWA section 2: no leading zero octet). */
  static String base64Url(BigInteger value) {
    byte[] bytes = value.toByteArray();
    if (bytes.length > 1 && bytes[0] == 0) {
      bytes = Arrays.copyOfRange(bytes, 1, bytes.length);
    }
    return B64URL.encodeToString(bytes);
  }
}
