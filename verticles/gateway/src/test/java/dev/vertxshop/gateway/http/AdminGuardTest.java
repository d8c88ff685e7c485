package dev.vertxshop.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Admin token check")
class AdminGuardTest {

  private final AdminGuard guard = new AdminGuard(Optional.of("the-admin-token-123456"));

  @Test
  @DisplayName("accepts exactly the token as a bearer credential, scheme case-insensitive")
  void accepts() {
    assertThat(guard.matches("Bearer the-admin-token-123456")).isTrue();
    assertThat(guard.matches("bearer the-admin-token-123456")).isTrue();
    assertThat(guard.matches("Bearer  the-admin-token-123456 ")).isTrue();
  }

  @Test
  @DisplayName("refuses a missing header, another scheme, a prefix, a longer token or another token")
  void refuses() {
    assertThat(guard.matches(null)).isFalse();
    assertThat(guard.matches("")).isFalse();
    assertThat(guard.matches("Bearer")).isFalse();
    assertThat(guard.matches("Bearer ")).isFalse();
    assertThat(guard.matches("Basic the-admin-token-123456")).isFalse();
    assertThat(guard.matches("the-admin-token-123456")).isFalse();
    assertThat(guard.matches("Bearer the-admin-token-12345")).isFalse();
    assertThat(guard.matches("Bearer the-admin-token-1234567")).isFalse();
    assertThat(guard.matches("Bearer THE-ADMIN-TOKEN-123456")).isFalse();
  }
}
