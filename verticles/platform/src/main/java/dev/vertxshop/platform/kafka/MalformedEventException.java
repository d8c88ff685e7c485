package dev.vertxshop.platform.kafka;

/**
 * A record that no retry can make usable: not an event envelope, or an event whose content its handler
 * cannot apply. {@link EventConsumerVerticle} sends it to the dead-letter topic at once (no retries) with
 * {@link #reason()} and the message, and goes on with the records after it.
 *
 * <p>Handlers fail with it (or throw it) for an event they recognise but cannot use, such as an
 * {@code OrderConfirmed} without lines: retrying would change nothing, and holding the partition for it
 * would stop every event behind it.
 */
public final class MalformedEventException extends IllegalArgumentException {

  private final String reason;

  /** A handler's refusal: dead-lettered with reason {@link DeadLetters#REJECTED}. */
  public MalformedEventException(String message) {
    this(DeadLetters.REJECTED, message);
  }

  /** {@code reason} is a short, fixed word (a metric tag); {@code message} says what is wrong with this record. */
  public MalformedEventException(String reason, String message) {
    super(message);
    this.reason = reason;
  }

  /** The fixed word for the kind of problem, one of {@link DeadLetters}' reasons. */
  public String reason() {
    return reason;
  }
}
