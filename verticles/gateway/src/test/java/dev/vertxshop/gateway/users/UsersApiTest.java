package dev.vertxshop.gateway.users;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Retry-After from the users service's throttling message")
class UsersApiTest {

  @Test
  @DisplayName("the seconds the message names, at least 1; none when it names none")
  void retryAfter() {
    assertThat(UsersApi.retryAfter("too many failed sign-in attempts; try again in 42 s")).isEqualTo("42");
    assertThat(UsersApi.retryAfter("too many failed sign-in attempts; try again in 0 s")).isEqualTo("1");
    assertThat(UsersApi.retryAfter("too many failed sign-in attempts; try again later")).isNull();
    assertThat(UsersApi.retryAfter(null)).isNull();
  }
}
