package dev.vertxshop.gateway.resilience;

import dev.vertxshop.platform.errors.ErrorCode;
import dev.vertxshop.platform.errors.ServiceException;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.circuitbreaker.TimeoutException;
import io.vertx.core.Future;
import io.vertx.core.eventbus.ReplyException;
import java.util.function.Supplier;

/**
 * A service behind the gateway, reached through its named circuit breaker. Every outcome comes out
 * as a {@link ServiceException} that names the service: open circuit and missing handlers are
 * UNAVAILABLE, a missed deadline is TIMEOUT, the service's own failures keep their code.
 */
public final class Downstream {

  private final String name;
  private final CircuitBreaker breaker;

  Downstream(String name, CircuitBreaker breaker) {
    this.name = name;
    this.breaker = breaker;
  }

  public String name() {
    return name;
  }

  public CircuitBreakerState state() {
    return breaker.state();
  }

  /** Runs {@code request} through the breaker; while the breaker is open, fails at once without calling. */
  public <T> Future<T> call(Supplier<Future<T>> request) {
    return breaker.execute(request).recover(failure -> Future.failedFuture(translate(failure)));
  }

  /**
   * Whether an outcome says the service is unwell. Only those count towards opening the breaker: a
   * not found, a conflict or a bad request is a healthy service answering correctly.
   */
  static boolean unwell(Future<?> outcome) {
    if (outcome.succeeded()) {
      return false;
    }
    Throwable failure = outcome.cause();
    if (failure instanceof TimeoutException) {
      return true;
    }
    ErrorCode code = ServiceException.from(failure).code();
    return code.isTimeout() || code == ErrorCode.UNAVAILABLE || code == ErrorCode.INTERNAL;
  }

  private Throwable translate(Throwable failure) {
    if (failure instanceof OpenCircuitException) {
      return new ServiceException(ErrorCode.UNAVAILABLE, name + " is unavailable (circuit open)");
    }
    if (failure instanceof TimeoutException) {
      return new ServiceException(ErrorCode.TIMEOUT, name + " did not answer in time");
    }
    if (!(failure instanceof ReplyException)) {
      // A bug on this side, not an answer of the service: keep it whole for the failure handler's log.
      return failure;
    }
    ServiceException error = ServiceException.from(failure);
    switch (error.code()) {
      case TIMEOUT:
      case DEADLINE_EXCEEDED:
        return new ServiceException(ErrorCode.TIMEOUT, name + " did not answer in time");
      case UNAVAILABLE:
        return new ServiceException(ErrorCode.UNAVAILABLE, name + " is unavailable");
      default:
        return error;
    }
  }
}
