package dev.vertxshop.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Verification keys from a PEM or a JWKS")
class PublicKeysTest {

  private static RSAPublicKey key;
  private static String pem;

  @BeforeAll
  static void generate() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    key = (RSAPublicKey) generator.generateKeyPair().getPublic();
    pem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
        .encodeToString(key.getEncoded()) + "\n-----END PUBLIC KEY-----\n";
  }

  @Test
  @DisplayName("RFC 7638's own example key has the thumbprint the RFC gives")
  void rfc7638() {
    String n = "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMs"
        + "tn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n"
        + "91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw";
    assertThat(PublicKeys.thumbprint(n, "AQAB")).isEqualTo("NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs");
  }

  @Test
  @DisplayName("a PEM PUBLIC KEY (with real or escaped line breaks) becomes an RS256 signature JWK named by its thumbprint")
  void fromPem() {
    JsonObject jwk = PublicKeys.fromPem(pem);
    assertThat(jwk.fieldNames()).containsExactlyInAnyOrder("kty", "use", "alg", "kid", "n", "e");
    assertThat(jwk.getString("alg")).isEqualTo("RS256");
    assertThat(jwk.getString("kid")).isEqualTo(PublicKeys.thumbprint(jwk.getString("n"), jwk.getString("e")));
    assertThat(PublicKeys.fromPem(pem.replace("\n", "\\n"))).isEqualTo(jwk);
    assertThat(PublicKeys.jwk(key)).isEqualTo(jwk);
  }

  @Test
  @DisplayName("anything else in SHOP_JWT_PUBLIC_KEY is refused with a description that does not repeat it")
  void badPem() {
    String privateLooking = "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----";
    assertThatThrownBy(() -> PublicKeys.fromPem("")).hasMessage("is empty");
    assertThatThrownBy(() -> PublicKeys.fromPem("hello")).hasMessageContaining("not a PEM block");
    assertThatThrownBy(() -> PublicKeys.fromPem(privateLooking)).hasMessageContaining("'PRIVATE KEY'").hasMessageNotContaining("AAAA");
    assertThatThrownBy(() -> PublicKeys.fromPem("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----"))
        .hasMessageContaining("not an RSA public key");
  }

  @Test
  @DisplayName("a JWKS keeps RSA RS256 signature keys of 2048 bits or more, with only their public members")
  void fromJwks() throws Exception {
    JsonObject good = PublicKeys.jwk(key).put("kid", "users-key").put("x5c", new JsonArray().add("cert")).put("d", "secret");
    KeyPairGenerator small = KeyPairGenerator.getInstance("RSA");
    small.initialize(1024);
    RSAPublicKey weakKey = (RSAPublicKey) small.generateKeyPair().getPublic();
    JsonObject weak = new JsonObject().put("kty", "RSA").put("kid", "weak")
        .put("n", PublicKeys.base64Url(weakKey.getModulus())).put("e", PublicKeys.base64Url(weakKey.getPublicExponent()));
    JsonObject jwks = new JsonObject().put("keys", new JsonArray()
        .add(good)
        .add(good.copy().put("kid", "enc").put("use", "enc"))
        .add(good.copy().put("kid", "hs").put("alg", "HS256"))
        .add(new JsonObject().put("kty", "EC").put("kid", "ec"))
        .add(good.copy().put("kid", "no-n").putNull("n"))
        .add(weak)
        .add("not an object"));
    List<String> skipped = new ArrayList<>();
    List<JsonObject> keys = PublicKeys.fromJwks(jwks, skipped);
    assertThat(keys).hasSize(1);
    assertThat(keys.get(0).getString("kid")).isEqualTo("users-key");
    assertThat(keys.get(0).fieldNames()).containsExactlyInAnyOrder("kty", "use", "alg", "kid", "n", "e");
    assertThat(skipped).hasSize(6);
    assertThat(PublicKeys.fromJwks(new JsonObject(), new ArrayList<>())).isEmpty();
  }
}
