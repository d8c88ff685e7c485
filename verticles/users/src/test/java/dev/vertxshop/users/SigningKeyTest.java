package dev.vertxshop.users;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("the RSA signing key: PEM in, JWK out")
class SigningKeyTest {

  private static SigningKey key;

  @BeforeAll
  static void generate() {
    key = SigningKey.generate();
  }

  @Test
  @DisplayName("kid is the RFC 7638 thumbprint (the RFC's own example key gives the RFC's value)")
  void rfc7638Thumbprint() throws Exception {
    String n = "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRX"
        + "jBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZ"
        + "gnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw"
        + "0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw";
    RSAPublicKey example = (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(
        new BigInteger(1, Base64.getUrlDecoder().decode(n)), BigInteger.valueOf(65537)));
    assertThat(SigningKey.thumbprint(example)).isEqualTo("NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs");
    assertThat(SigningKey.base64Url(example.getModulus())).isEqualTo(n);
    assertThat(SigningKey.base64Url(example.getPublicExponent())).isEqualTo("AQAB");
  }

  @Test
  @DisplayName("the JWK has exactly kty, use, alg, kid, n, e, and n/e are the public key (no private member)")
  void jwk() {
    JsonObject jwk = key.jwk();
    assertThat(jwk.fieldNames()).containsExactlyInAnyOrder("kty", "use", "alg", "kid", "n", "e");
    assertThat(jwk.getString("kty")).isEqualTo("RSA");
    assertThat(jwk.getString("use")).isEqualTo("sig");
    assertThat(jwk.getString("alg")).isEqualTo("RS256");
    assertThat(jwk.getString("kid")).isEqualTo(key.kid()).isEqualTo(SigningKey.thumbprint(key.publicKey()));
    assertThat(jwk.getString("n")).doesNotContain("=", "+", "/");
    assertThat(new BigInteger(1, Base64.getUrlDecoder().decode(jwk.getString("n")))).isEqualTo(key.publicKey().getModulus());
    assertThat(jwk.getString("e")).isEqualTo("AQAB");
    assertThat(key.publicKey().getModulus().bitLength()).isEqualTo(2048);
  }

  @Test
  @DisplayName("a PKCS#8 PEM is read back to the same key, with real or escaped (\\n) line breaks")
  void pemRoundTrip() {
    String pem = key.privateKeyPem();
    assertThat(pem).startsWith("-----BEGIN PRIVATE KEY-----\n").endsWith("-----END PRIVATE KEY-----\n");
    assertThat(SigningKey.fromPem(pem)).isEqualTo(key);
    assertThat(SigningKey.fromPem(pem.replace("\n", "\\n")).kid()).isEqualTo(key.kid());
    assertThat(SigningKey.fromPem("  \n" + pem + "\n ").kid()).isEqualTo(key.kid());
    assertThat(key.matches(SigningKey.publicKeyFromPem(key.publicKeyPem()))).isTrue();
    assertThat(key.matches(SigningKey.generate().publicKey())).isFalse();
  }

  @Test
  @DisplayName("unusable keys are refused with a reason that never repeats the key")
  void refused() throws Exception {
    String body = key.privateKeyPem().replace("-----BEGIN PRIVATE KEY-----", "").replace("-----END PRIVATE KEY-----", "").strip();
    assertRefused("not a key at all", "PEM block");
    assertRefused("-----BEGIN RSA PRIVATE KEY-----\n" + body + "\n-----END RSA PRIVATE KEY-----", "PKCS#1");
    assertRefused("-----BEGIN ENCRYPTED PRIVATE KEY-----\n" + body + "\n-----END ENCRYPTED PRIVATE KEY-----", "encrypted");
    assertRefused("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----", "not an RSA private key");
    assertRefused("-----BEGIN PRIVATE KEY-----\n" + body.substring(0, 40) + "!!\n-----END PRIVATE KEY-----", "PEM block");

    KeyPairGenerator small = KeyPairGenerator.getInstance("RSA");
    small.initialize(1024);
    assertRefused(pem("PRIVATE KEY", small.generateKeyPair().getPrivate().getEncoded()), "1024 bits");
    KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
    ec.initialize(256);
    assertRefused(pem("PRIVATE KEY", ec.generateKeyPair().getPrivate().getEncoded()), "not an RSA private key");
    assertThatThrownBy(() -> SigningKey.publicKeyFromPem(key.privateKeyPem())).hasMessageContaining("not a 'PUBLIC KEY'");
  }

  @Test
  @DisplayName("toString shows the size and kid, never key material")
  void toStringIsSafe() {
    String text = key.toString();
    assertThat(text).contains(key.kid()).contains("2048");
    assertThat(text).doesNotContain(key.publicKey().getModulus().toString()).doesNotContain(key.jwk().getString("n"));
  }

  private static void assertRefused(String pem, String reason) {
    assertThatThrownBy(() -> SigningKey.fromPem(pem))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(reason)
        .satisfies(e -> {
          if (pem.length() > 100) {
            assertThat(e.getMessage()).doesNotContain(pem.substring(50, 70));
          }
        });
  }

  private static String pem(String type, byte[] der) {
    String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
  }
}
