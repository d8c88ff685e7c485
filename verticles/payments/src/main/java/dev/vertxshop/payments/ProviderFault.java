package dev.vertxshop.payments;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.concurrent.TimeoutException;

/**
 * The provider could not be used for one attempt: the only failures the circuit breaker counts, and
 * the only ones retried. A decline, a conflict or a database error is never one of these.
 */
final class ProviderFault extends RuntimeException {

  /** What is known of the attempt's effect at the provider. */
  enum Kind {
    /** Not reached (connection refused, no such host): nothing happened there. */
    UNREACHABLE,
    /** Answered 5xx: the provider says it did nothing. */
    SERVER_ERROR,
    /** Sent, but no answer in time or the connection broke: it may or may not have been processed. */
    NO_ANSWER
  }

  private final Kind kind;

  ProviderFault(Kind kind, String message) {
    // No stack trace: provider trouble is an expected outcome on a hot path, described by its message.
    super(message, null, false, false);
    this.kind = kind;
  }

  static ProviderFault of(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof ConnectException || t instanceof UnknownHostException) {
        return new ProviderFault(Kind.UNREACHABLE, "unreachable: " + t.getMessage());
      }
      if (t instanceof TimeoutException) {
        return new ProviderFault(Kind.NO_ANSWER, "no answer within the deadline");
      }
    }
    return new ProviderFault(Kind.NO_ANSWER, "connection failed mid-request: " + failure);
  }

  Kind kind() {
    return kind;
  }

  /** Whether the attempt may have had an effect nobody heard about. */
  boolean outcomeUnknown() {
    return kind == Kind.NO_ANSWER;
  }
}
