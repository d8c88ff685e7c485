package dev.vertxshop.hardening.security;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Hand-made JWTs, valid or forged, for the gateway's token check. */
final class Tokens {

  private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

  private Tokens() {
  }

  /** The claims the users service issues: subject, issuer, audience, issued and expiry times (seconds). */
  static JsonObject claims(String userId, long issuedAt, long expiresAt) {
    return new JsonObject().put("sub", userId).put("iss", "vertx-shop").put("aud", "shop-api").put("iat", issuedAt)
        .put("exp", expiresAt).put("jti", java.util.UUID.randomUUID().toString());
  }

  static String rs256(PrivateKey key, String kid, JsonObject claims) {
    String input = segment(header("RS256", kid)) + "." + segment(claims);
    try {
      Signature signature = Signature.getInstance("SHA256withRSA");
      signature.initSign(key);
      signature.update(input.getBytes(StandardCharsets.US_ASCII));
      return input + "." + B64URL.encodeToString(signature.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** HMAC-SHA256 with {@code secret}: the algorithm confusion attack when the secret is the RSA public key. */
  static String hs256(byte[] secret, String kid, JsonObject claims) {
    String input = segment(header("HS256", kid)) + "." + segment(claims);
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return input + "." + B64URL.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code alg: none}, with an empty signature (and, as some libraries accepted, with none at all). */
  static String none(String kid, JsonObject claims, boolean trailingDot) {
    String input = segment(header("none", kid)) + "." + segment(claims);
    return trailingDot ? input + "." : input;
  }

  /** The header of {@code token}, decoded. */
  static JsonObject header(String token) {
    return new JsonObject(new String(Base64.getUrlDecoder().decode(token.split("\\.")[0]), StandardCharsets.UTF_8));
  }

  /** The claims of {@code token}, decoded. */
  static JsonObject claims(String token) {
    return new JsonObject(new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8));
  }

  /** {@code token} with its payload replaced, the signature kept: a tampered token. */
  static String withClaims(String token, JsonObject claims) {
    String[] parts = token.split("\\.");
    return parts[0] + "." + segment(claims) + "." + parts[2];
  }

  static String segment(JsonObject json) {
    return B64URL.encodeToString(json.encode().getBytes(StandardCharsets.UTF_8));
  }

  private static JsonObject header(String alg, String kid) {
    JsonObject header = new JsonObject().put("typ", "JWT").put("alg", alg);
    return kid == null ? header : header.put("kid", kid);
  }
}
