package dev.vertxshop.contracts.users;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("the users contract's field rules")
class UserFieldsTest {

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "ada@example.com", "Ada.Lovelace@Example.COM", "a+tag@sub.example.co.uk", "x@y.z", "o'hara@example.ie",
      "first_last-1@xn--bcher-kva.example", "!#$%&'*+/=?^_`{|}~-@example.org"})
  @DisplayName("reasonable e-mail addresses are accepted")
  void validEmails(String email) {
    assertThat(UserFields.isEmail(email)).isTrue();
  }

  @ParameterizedTest(name = "[{0}]")
  @ValueSource(strings = {
      "", "plain", "@example.com", "ada@", "ada@@example.com", "ada@example", "a b@example.com", " ada@example.com",
      "ada@example.com ", ".ada@example.com", "ada.@example.com", "a..da@example.com", "ada@-example.com",
      "ada@example-.com", "ada@example..com", "ada@1.2.3.4", "ada@[127.0.0.1]", "\"ada\"@example.com",
      "ad\u00e4@example.com", "ada@exa_mple.com", "ada@example.com\n"})
  @DisplayName("malformed e-mail addresses are refused")
  void invalidEmails(String email) {
    assertThat(UserFields.isEmail(email)).isFalse();
  }

  @Test
  @DisplayName("local parts over 64 characters and addresses over 254 are refused")
  void emailLengths() {
    String local64 = "a".repeat(64);
    String domain189 = "b".repeat(63) + "." + "b".repeat(63) + "." + "b".repeat(61);
    assertThat(UserFields.isEmail(local64 + "@" + domain189)).isTrue();
    assertThat((local64 + "@" + domain189).length()).isEqualTo(254);
    assertThat(UserFields.isEmail(local64 + "@" + domain189 + "b")).isFalse();
    assertThat(UserFields.isEmail("a".repeat(65) + "@example.com")).isFalse();
  }

  @Test
  @DisplayName("the parsed requests never print their password")
  void toStringHidesPassword() {
    Register registration = Register.fromJson(new JsonObject()
        .put("email", "ada@example.com").put("password", "hunter2-hunter2").put("name", "  Ada  ")
        .put("clientAddress", "192.0.2.7"));
    assertThat(registration.name()).isEqualTo("Ada");
    assertThat(registration.toString()).doesNotContain("hunter2");
    Login credentials = Login.fromJson(new JsonObject()
        .put("email", "ada@example.com").put("password", "hunter2-hunter2").put("clientAddress", "2001:DB8::1"));
    assertThat(credentials.clientAddress()).isEqualTo("2001:db8::1");
    assertThat(credentials.toString()).doesNotContain("hunter2");
  }
}
