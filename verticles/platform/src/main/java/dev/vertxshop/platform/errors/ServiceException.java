package dev.vertxshop.platform.errors;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

/**
 * A failure with a code and a message safe to show to a client. Extends {@link ReplyException} so
 * that it travels over the event bus, local or clustered, unchanged.
 */
public final class ServiceException extends ReplyException {

  private final ErrorCode code;

  public ServiceException(ErrorCode code, String message) {
    // No stack trace: these are expected outcomes (not found, conflict...), created on hot paths.
    super(ReplyFailure.RECIPIENT_FAILURE, code.busCode(), message, true);
    this.code = code;
  }

  public ErrorCode code() {
    return code;
  }

  public static ServiceException badRequest(String message) {
    return new ServiceException(ErrorCode.BAD_REQUEST, message);
  }

  public static ServiceException notFound(String message) {
    return new ServiceException(ErrorCode.NOT_FOUND, message);
  }

  public static ServiceException conflict(String message) {
    return new ServiceException(ErrorCode.CONFLICT, message);
  }

  public static ServiceException unavailable(String message) {
    return new ServiceException(ErrorCode.UNAVAILABLE, message);
  }

  /**
   * The shop failure behind any throwable: our own exceptions as they are, event-bus failures by
   * kind (no handler: unavailable; timeout: timeout; a recipient's failure: its code), anything else
   * internal.
   */
  public static ServiceException from(Throwable failure) {
    if (failure instanceof ServiceException se) {
      return se;
    }
    if (failure instanceof ReplyException re) {
      switch (re.failureType()) {
        case TIMEOUT:
          return new ServiceException(ErrorCode.TIMEOUT, "the service did not answer in time");
        case NO_HANDLERS:
          return new ServiceException(ErrorCode.UNAVAILABLE, "the service is not available");
        default:
          return new ServiceException(ErrorCode.fromBusCode(re.failureCode()), re.getMessage());
      }
    }
    if (isConnectionLoss(failure)) {
      // The database or a broker went away: the caller should retry later, this is no bug of ours.
      return new ServiceException(ErrorCode.UNAVAILABLE, "a backing service is unavailable, retry later");
    }
    return new ServiceException(ErrorCode.INTERNAL, "internal error");
  }

  private static boolean isConnectionLoss(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof java.net.ConnectException || t instanceof java.net.SocketException
          || t instanceof io.vertx.sqlclient.ClosedConnectionException) {
        return true;
      }
    }
    return false;
  }
}
