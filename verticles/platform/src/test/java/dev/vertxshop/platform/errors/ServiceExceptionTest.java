package dev.vertxshop.platform.errors;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.sqlclient.ClosedConnectionException;
import java.net.ConnectException;
import java.net.SocketException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("ServiceException.from: one failure model for every throwable")
class ServiceExceptionTest {

  @Test
  @DisplayName("event-bus failures keep their kind: timeout, no handler, the recipient's code")
  void busFailures() {
    assertThat(ServiceException.from(new ReplyException(ReplyFailure.TIMEOUT, "t")).code()).isEqualTo(ErrorCode.TIMEOUT);
    assertThat(ServiceException.from(new ReplyException(ReplyFailure.NO_HANDLERS, "n")).code()).isEqualTo(ErrorCode.UNAVAILABLE);
    ServiceException conflict = ServiceException.from(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, ErrorCode.CONFLICT.busCode(), "taken"));
    assertThat(conflict.code()).isEqualTo(ErrorCode.CONFLICT);
    assertThat(conflict.getMessage()).isEqualTo("taken");
  }

  @Test
  @DisplayName("a lost connection to a backing service is UNAVAILABLE (503), not an internal error")
  void connectionLoss() {
    assertThat(ServiceException.from(new ConnectException("Connection refused")).code()).isEqualTo(ErrorCode.UNAVAILABLE);
    assertThat(ServiceException.from(new RuntimeException(new SocketException("Connection reset"))).code()).isEqualTo(ErrorCode.UNAVAILABLE);
    assertThat(ServiceException.from(ClosedConnectionException.INSTANCE).code()).isEqualTo(ErrorCode.UNAVAILABLE);
  }

  @Test
  @DisplayName("anything else is internal, with a message that reveals nothing")
  void internal() {
    ServiceException e = ServiceException.from(new IllegalStateException("secret detail"));
    assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL);
    assertThat(e.getMessage()).doesNotContain("secret");
  }
}
