package dev.vertxshop.users;

import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The RSA key pair that signs tokens (RS256), with its public half as a JWK whose {@code kid} is the
 * RFC 7638 thumbprint. {@link #toString()} never shows key material, so the key can sit in a config
 * record without leaking into logs.
 */
public final class SigningKey {

  /** Smallest modulus accepted, in bits (NIST SP 800-57: 2048 bits for use beyond 2030 is the floor). */
  public static final int MIN_BITS = 2048;
  static final int GENERATED_BITS = 2048;

  private static final Pattern PEM = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*)-----END \\1-----");
  private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

  private final RSAPrivateCrtKey privateKey;
  private final RSAPublicKey publicKey;
  private final String kid;

  private SigningKey(RSAPrivateCrtKey privateKey) {
    this.privateKey = privateKey;
    try {
      this.publicKey = (RSAPublicKey) rsa().generatePublic(
          new RSAPublicKeySpec(privateKey.getModulus(), privateKey.getPublicExponent()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot derive the RSA public key", e);
    }
    this.kid = thumbprint(publicKey);
  }

  /** A fresh RSA 2048 key pair; CPU-heavy (up to a second), so call it off the event loop. */
  public static SigningKey generate() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(GENERATED_BITS);
      return new SigningKey((RSAPrivateCrtKey) generator.generateKeyPair().getPrivate());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("RSA is not available", e);
    }
  }

  /**
   * The key in a PKCS#8 PEM ({@code -----BEGIN PRIVATE KEY-----}), RSA of at least {@link #MIN_BITS}
   * bits. Line breaks may be real or written as {@code \n} (as some orchestrators pass multi-line
   * values). Failure messages describe the problem, never the value.
   */
  public static SigningKey fromPem(String pem) {
    byte[] der = pemBody(pem, "PRIVATE KEY");
    try {
      PrivateKey key = rsa().generatePrivate(new PKCS8EncodedKeySpec(der));
      if (!(key instanceof RSAPrivateCrtKey crt)) {
        throw new IllegalArgumentException("the RSA private key lacks its CRT parameters (the public exponent)");
      }
      requireBits(crt.getModulus());
      return new SigningKey(crt);
    } catch (GeneralSecurityException | ClassCastException e) {
      throw new IllegalArgumentException("is not an RSA private key in PKCS#8 form");
    } finally {
      Arrays.fill(der, (byte) 0);
    }
  }

  /** An RSA public key from a PEM {@code -----BEGIN PUBLIC KEY-----} (X.509 SubjectPublicKeyInfo). */
  public static RSAPublicKey publicKeyFromPem(String pem) {
    byte[] der = pemBody(pem, "PUBLIC KEY");
    try {
      PublicKey key = rsa().generatePublic(new X509EncodedKeySpec(der));
      RSAPublicKey rsaKey = (RSAPublicKey) key;
      requireBits(rsaKey.getModulus());
      return rsaKey;
    } catch (GeneralSecurityException | ClassCastException e) {
      throw new IllegalArgumentException("is not an RSA public key (PEM 'PUBLIC KEY')");
    }
  }

  /** The JWK {@code kid}: base64url SHA-256 thumbprint of the public key (RFC 7638). */
  public String kid() {
    return kid;
  }

  public RSAPublicKey publicKey() {
    return publicKey;
  }

  /** Whether {@code other} is this key's public half. */
  public boolean matches(RSAPublicKey other) {
    return publicKey.getModulus().equals(other.getModulus())
        && publicKey.getPublicExponent().equals(other.getPublicExponent());
  }

  /** The private key as a PKCS#8 PEM, the form {@code PubSecKeyOptions.setBuffer} reads. */
  String privateKeyPem() {
    String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(privateKey.getEncoded());
    return "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n";
  }

  /** The public key as a PEM {@code PUBLIC KEY}, the form {@code SHOP_JWT_PUBLIC_KEY} takes. */
  public String publicKeyPem() {
    String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(publicKey.getEncoded());
    return "-----BEGIN PUBLIC KEY-----\n" + body + "\n-----END PUBLIC KEY-----\n";
  }

  /** The public key as a JWK: {@code kty, use, alg, kid, n, e}; never any private member. */
  public JsonObject jwk() {
    return jwk(publicKey);
  }

  /** The JWK of any RSA public key, named by its RFC 7638 thumbprint as this key is. */
  static JsonObject jwk(RSAPublicKey key) {
    return new JsonObject()
        .put("kty", "RSA")
        .put("use", "sig")
        .put("alg", "RS256")
        .put("kid", thumbprint(key))
        .put("n", base64Url(key.getModulus()))
        .put("e", base64Url(key.getPublicExponent()));
  }

  /** RFC 7638: SHA-256 over the required members in lexicographic order, no whitespace. */
  static String thumbprint(RSAPublicKey key) {
    String canonical = "{\"e\":\"" + base64Url(key.getPublicExponent()) + "\",\"kty\":\"RSA\",\"n\":\""
        + base64Url(key.getModulus()) + "\"}";
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
      return B64URL.encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
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

  private static void requireBits(BigInteger modulus) {
    if (modulus.bitLength() < MIN_BITS) {
      throw new IllegalArgumentException("is an RSA key of " + modulus.bitLength() + " bits; at least " + MIN_BITS + " are required");
    }
  }

  private static byte[] pemBody(String pem, String type) {
    if (pem == null) {
      throw new IllegalArgumentException("is empty");
    }
    String text = pem.replace("\\n", "\n").replace("\\r", "").trim();
    Matcher m = PEM.matcher(text);
    if (!m.find()) {
      throw new IllegalArgumentException("is not a PEM block (-----BEGIN " + type + "----- ... -----END " + type + "-----)");
    }
    String found = m.group(1);
    if (!found.equals(type)) {
      if (found.equals("RSA PRIVATE KEY")) {
        throw new IllegalArgumentException("is a PKCS#1 key (BEGIN RSA PRIVATE KEY); convert it to PKCS#8 with "
            + "'openssl pkcs8 -topk8 -nocrypt -in key.pem'");
      }
      if (found.equals("ENCRYPTED PRIVATE KEY")) {
        throw new IllegalArgumentException("is an encrypted key; give the unencrypted PKCS#8 key (keep it in a secret store)");
      }
      throw new IllegalArgumentException("is a PEM '" + found + "', not a '" + type + "'");
    }
    try {
      return Base64.getMimeDecoder().decode(m.group(2));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("has a PEM body that is not valid base64");
    }
  }

  private static KeyFactory rsa() throws NoSuchAlgorithmException {
    return KeyFactory.getInstance("RSA");
  }

  @Override
  public String toString() {
    return "SigningKey[RSA " + publicKey.getModulus().bitLength() + " bits, kid " + kid + "]";
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof SigningKey that && that.privateKey.equals(privateKey);
  }

  @Override
  public int hashCode() {
    return kid.hashCode();
  }
}
