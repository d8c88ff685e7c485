package dev.vertxshop.platform.kafka;

import dev.vertxshop.platform.errors.ErrorCode;
import dev.vertxshop.platform.errors.ServiceException;
import io.vertx.core.VertxException;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.sqlclient.ClosedConnectionException;
import io.vertx.sqlclient.DatabaseException;
import java.io.IOException;
import java.util.Locale;
import org.apache.kafka.common.errors.RetriableException;

/**
 * What a consumer's failure to handle a record says about the record, which decides what the consumer
 * does next (see {@link EventConsumerVerticle}).
 *
 * <p>The line that matters is between {@link #TRANSIENT} and the rest: a backing service that is down
 * fails every record alike, and dead-lettering them would turn a ten-second database outage into a
 * topic of good events nobody applied. So a failure counts as transient whenever anything in its cause
 * chain says "unavailable" (a refused or lost connection, a timeout, a pool with no connection to give,
 * PostgreSQL shutting down or out of resources, a serialization conflict, a retriable Kafka error, a
 * downstream service answering unavailable or timeout), and such a record is retried until it goes
 * through, however long the outage lasts.
 */
public enum FailureKind {

  /** A backing service is unavailable: retried with backoff without limit; the record is good. */
  TRANSIENT,
  /** The record itself cannot be handled ({@link MalformedEventException}): dead-lettered at once. */
  REJECTED,
  /** Anything else (a bug, a constraint the event breaks): retried a bounded number of times, then dead-lettered. */
  ERROR;

  /** Causes looked at, at most: a cause chain that loops must not hang the consumer. */
  private static final int MAX_DEPTH = 16;

  public static FailureKind of(Throwable failure) {
    int depth = 0;
    for (Throwable t = failure; t != null && depth < MAX_DEPTH; t = t.getCause(), depth++) {
      if (t instanceof MalformedEventException) {
        return REJECTED;
      }
    }
    depth = 0;
    for (Throwable t = failure; t != null && depth < MAX_DEPTH; t = t.getCause(), depth++) {
      if (isTransient(t)) {
        return TRANSIENT;
      }
    }
    return ERROR;
  }

  private static boolean isTransient(Throwable t) {
    if (t instanceof IOException || t instanceof ClosedConnectionException || t instanceof RetriableException) {
      // Connect, socket and channel failures are IOExceptions; Kafka's timeouts are retriable exceptions.
      return true;
    }
    if (t instanceof ServiceException se) {
      return isTransient(se.code());
    }
    if (t instanceof ReplyException re) {
      return switch (re.failureType()) {
        case TIMEOUT, NO_HANDLERS -> true;
        default -> isTransient(ErrorCode.fromBusCode(re.failureCode()));
      };
    }
    if (t instanceof DatabaseException db) {
      return isTransient(db.getSqlState());
    }
    String name = t.getClass().getSimpleName();
    if (name.contains("Timeout") || name.contains("TooBusy")) {
      // java.util.concurrent.TimeoutException, Netty's connect timeout, Vert.x's pool "too busy".
      return true;
    }
    if (t.getClass() == VertxException.class && t.getMessage() != null) {
      // The SQL client's own words for a pool without a connection to give ("Timeout waiting for
      // connection") or a connection lost under pending queries; it has no dedicated type for them.
      String message = t.getMessage().toLowerCase(Locale.ROOT);
      return message.contains("timeout") || message.contains("closed") || message.contains("connection");
    }
    return false;
  }

  private static boolean isTransient(ErrorCode code) {
    return code == ErrorCode.UNAVAILABLE || code == ErrorCode.TOO_MANY_REQUESTS || code.isTimeout();
  }

  // SQLSTATE: 08 connection exceptions, 53 insufficient resources, 57P0x shutdown / not accepting
  // connections yet, 58 system errors, 40001 serialization failure, 40P01 deadlock, 55P03 lock not available.
  private static boolean isTransient(String sqlState) {
    if (sqlState == null) {
      return false;
    }
    return sqlState.startsWith("08") || sqlState.startsWith("53") || sqlState.startsWith("57P") || sqlState.startsWith("58")
        || sqlState.equals("40001") || sqlState.equals("40P01") || sqlState.equals("55P03");
  }
}
