package dev.vertxshop.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vertxshop.platform.errors.ErrorCode;
import dev.vertxshop.platform.errors.ServiceException;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The client address passed to sign-in")
class ClientAddressTest {

  @Test
  @DisplayName("without trust, X-Forwarded-For is ignored: the connection's peer is the address")
  void untrusted() {
    assertThat(ClientAddress.of("127.0.0.1", List.of("203.0.113.9"), false)).isEqualTo("127.0.0.1");
    assertThat(ClientAddress.of("0:0:0:0:0:0:0:1", List.of(), false)).isEqualTo("0:0:0:0:0:0:0:1");
    assertThat(ClientAddress.of("not an address!", List.of(), false)).isEqualTo(ClientAddress.UNKNOWN);
    assertThat(ClientAddress.of(null, null, false)).isEqualTo(ClientAddress.UNKNOWN);
  }

  @Test
  @DisplayName("with trust, the first hop of the first X-Forwarded-For header, trimmed; the peer when there is none")
  void trusted() {
    assertThat(ClientAddress.of("10.0.0.2", List.of(" 203.0.113.9 , 10.0.0.1", "198.51.100.1"), true)).isEqualTo("203.0.113.9");
    assertThat(ClientAddress.of("10.0.0.2", List.of("2001:db8::1"), true)).isEqualTo("2001:db8::1");
    assertThat(ClientAddress.of("10.0.0.2", List.of(), true)).isEqualTo("10.0.0.2");
    assertThat(ClientAddress.of("10.0.0.2", null, true)).isEqualTo("10.0.0.2");
  }

  @Test
  @DisplayName("with trust, a first hop that is not an address is a 400, never the proxy's address")
  void trustedGarbage() {
    for (String header : List.of("", " , 10.0.0.1", "evil<script>", "a".repeat(65), "unknown address")) {
      assertThatThrownBy(() -> ClientAddress.of("10.0.0.2", List.of(header), true))
          .as(header)
          .isInstanceOf(ServiceException.class)
          .satisfies(e -> assertThat(((ServiceException) e).code()).isEqualTo(ErrorCode.BAD_REQUEST));
    }
  }
}
