package dev.vertxshop.gateway.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vertxshop.platform.errors.ErrorCode;
import dev.vertxshop.platform.errors.ServiceException;
import io.vertx.circuitbreaker.TimeoutException;
import io.vertx.core.Future;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@DisplayName("Which outcomes count against a downstream's breaker")
class DownstreamTest {

  @ParameterizedTest(name = "{0}")
  @DisplayName("only timeouts (TIMEOUT, DEADLINE_EXCEEDED), UNAVAILABLE and INTERNAL count")
  @EnumSource(ErrorCode.class)
  void byCode(ErrorCode code) {
    boolean counts = code == ErrorCode.TIMEOUT || code == ErrorCode.DEADLINE_EXCEEDED || code == ErrorCode.UNAVAILABLE || code == ErrorCode.INTERNAL;
    assertThat(Downstream.unwell(Future.failedFuture(new ServiceException(code, "x")))).isEqualTo(counts);
  }

  @Test
  @DisplayName("raw event-bus timeouts and missing handlers count, a success and a recipient's 404 do not")
  void eventBusFailures() {
    assertThat(Downstream.unwell(Future.failedFuture(new ReplyException(ReplyFailure.TIMEOUT, "t")))).isTrue();
    assertThat(Downstream.unwell(Future.failedFuture(new ReplyException(ReplyFailure.NO_HANDLERS, "n")))).isTrue();
    assertThat(Downstream.unwell(Future.failedFuture(
        new ReplyException(ReplyFailure.RECIPIENT_FAILURE, ErrorCode.NOT_FOUND.busCode(), "gone")))).isFalse();
    assertThat(Downstream.unwell(Future.succeededFuture("fine"))).isFalse();
  }

  @Test
  @DisplayName("the breaker's own timeout and unexpected exceptions count")
  void otherFailures() {
    assertThat(Downstream.unwell(Future.failedFuture(TimeoutException.INSTANCE))).isTrue();
    assertThat(Downstream.unwell(Future.failedFuture(new IllegalStateException("bug")))).isTrue();
  }
}
