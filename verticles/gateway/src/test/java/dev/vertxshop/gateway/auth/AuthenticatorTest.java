package dev.vertxshop.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("The token header checks made before any signature is looked at")
class AuthenticatorTest {

  private static final String PAYLOAD = encode("{\"sub\":\"x\"}");
  private static final String SIGNATURE = "c2lnbmF0dXJl";

  private static String encode(String json) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  private static String token(String header) {
    return encode(header) + "." + PAYLOAD + "." + SIGNATURE;
  }

  @Test
  @DisplayName("an RS256 header with a kid is accepted and returned")
  void rs256() {
    JsonObject header = Authenticator.header(token("{\"typ\":\"JWT\",\"alg\":\"RS256\",\"kid\":\"k1\"}"));
    assertThat(header.getString("kid")).isEqualTo("k1");
    assertThat(Authenticator.header(token("{\"alg\":\"RS256\"}")).containsKey("kid")).isFalse();
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @DisplayName("any other algorithm is refused, whatever its case or form")
  @ValueSource(strings = {"{\"alg\":\"none\"}", "{\"alg\":\"None\"}", "{\"alg\":\"HS256\"}", "{\"alg\":\"RS384\"}",
      "{\"alg\":\"PS256\"}", "{\"alg\":\"ES256\"}", "{\"alg\":\"rs256\"}", "{\"alg\":[\"RS256\"]}", "{}",
      "{\"alg\":\"RS256\",\"crit\":[\"exp\"]}", "{\"alg\":\"RS256\",\"kid\":42}",
      "{\"alg\":\"RS256\",\"kid\":\"line\\nbreak\"}", "{\"alg\":\"RS256\",\"kid\":\"\"}"})
  void otherHeaders(String header) {
    assertThatThrownBy(() -> Authenticator.header(token(header))).isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @DisplayName("anything that is not three base64url segments with a JSON header is refused")
  @ValueSource(strings = {"", "abc", "a.b", "a.b.c.d", "a..c", "a.b.", ".b.c", "a b.c.d", "a+b.c.d", "a/b.c.d",
      "e30=.e30.c2ln", "bm90IGpzb24.e30.c2ln", "W10.e30.c2ln"})
  void malformed(String token) {
    assertThatThrownBy(() -> Authenticator.header(token)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("a token over 8 KiB is refused before it is decoded")
  void tooLong() {
    String token = token("{\"alg\":\"RS256\"}") + "A".repeat(Authenticator.MAX_TOKEN_LENGTH);
    assertThatThrownBy(() -> Authenticator.header(token)).hasMessageContaining("too long");
  }
}
