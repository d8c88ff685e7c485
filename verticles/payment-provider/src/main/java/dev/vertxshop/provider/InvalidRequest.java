package dev.vertxshop.provider;

/** A request the stand-in refuses with 400; the message says what is wrong and is safe to return. */
final class InvalidRequest extends RuntimeException {

  InvalidRequest(String message) {
    // No stack trace: bad input is an expected outcome, not a bug.
    super(message, null, false, false);
  }
}
