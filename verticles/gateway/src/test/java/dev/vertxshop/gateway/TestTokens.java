package dev.vertxshop.gateway;

import dev.vertxshop.contracts.users.UsersContract;
import dev.vertxshop.gateway.auth.PublicKeys;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Test fixtures: RSA keys and hand-made JWTs, good and bad (other keys, claims, algorithms), signed without
 * any JWT library so that a token can be exactly as wrong as a test needs.
 */
final class TestTokens {

  private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

  private TestTokens() {
  }

  /** An RSA 2048 key pair with its JWK (kid = RFC 7638 thumbprint, as the users service names keys). */
  record Key(KeyPair pair, JsonObject jwk) {

    static Key generate() {
      try {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        return new Key(pair, PublicKeys.jwk((RSAPublicKey) pair.getPublic()));
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }

    String kid() {
      return jwk.getString("kid");
    }

    /** The private key as PKCS#8 PEM, as {@code SHOP_JWT_PRIVATE_KEY} takes it. */
    String privatePem() {
      return pem("PRIVATE KEY", pair.getPrivate().getEncoded());
    }

    /** The public key as PEM, as {@code SHOP_JWT_PUBLIC_KEY} takes it. */
    String publicPem() {
      return pem("PUBLIC KEY", pair.getPublic().getEncoded());
    }

    /** A JWKS holding this key only. */
    JsonObject jwks() {
      return new JsonObject().put("keys", new io.vertx.core.json.JsonArray().add(jwk.copy()));
    }

    /** A token as the users service issues it, for {@code sub}, valid for an hour. */
    String token(String sub) {
      return sign(header(), claims(sub));
    }

    /** {@code claims} signed RS256 with this key under {@code header}. */
    String sign(JsonObject header, JsonObject claims) {
      String input = encode(header) + "." + encode(claims);
      try {
        Signature signature = Signature.getInstance("SHA256withRSA");
        signature.initSign(pair.getPrivate());
        signature.update(input.getBytes(StandardCharsets.US_ASCII));
        return input + "." + B64URL.encodeToString(signature.sign());
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }

    /** The header the users service writes: RS256 with this key's kid. */
    JsonObject header() {
      return new JsonObject().put("typ", "JWT").put("alg", "RS256").put("kid", kid());
    }
  }

  /** The claims the users service writes for {@code sub}, valid from now for an hour. */
  static JsonObject claims(String sub) {
    long now = Instant.now().getEpochSecond();
    return new JsonObject()
        .put("sub", sub)
        .put("email", "someone@example.com")
        .put("iss", UsersContract.ISSUER)
        .put("aud", UsersContract.AUDIENCE)
        .put("iat", now)
        .put("exp", now + 3600)
        .put("jti", UUID.randomUUID().toString());
  }

  /** An unsecured JWT ({@code alg: none}), with or without the trailing dot of an empty signature. */
  static String unsigned(JsonObject claims, boolean trailingDot) {
    String token = encode(new JsonObject().put("typ", "JWT").put("alg", "none")) + "." + encode(claims);
    return trailingDot ? token + "." : token;
  }

  /** The "algorithm confusion" attack: HS256 with {@code secret} (for instance the public key's PEM) as the HMAC key. */
  static String hs256(JsonObject header, JsonObject claims, byte[] secret) {
    String input = encode(header.copy().put("alg", "HS256")) + "." + encode(claims);
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return input + "." + B64URL.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code token} with its payload replaced by {@code claims} and its signature kept. */
  static String withPayload(String token, JsonObject claims) {
    String[] parts = token.split("\\.");
    return parts[0] + "." + encode(claims) + "." + parts[2];
  }

  /** The claims of a token, decoded without any check. */
  static JsonObject payload(String token) {
    return new JsonObject(new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8));
  }

  static String encode(JsonObject json) {
    return B64URL.encodeToString(json.encode().getBytes(StandardCharsets.UTF_8));
  }

  private static String pem(String type, byte[] der) {
    String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
  }
}
