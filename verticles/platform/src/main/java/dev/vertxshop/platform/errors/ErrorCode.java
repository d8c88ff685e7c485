package dev.vertxshop.platform.errors;

import java.util.Arrays;

/**
 * The one failure vocabulary of the shop. Services fail event-bus requests with {@link #busCode()};
 * only the gateway turns a code into {@link #httpStatus()}.
 */
public enum ErrorCode {
  BAD_REQUEST(4000, 400, "bad_request"),
  UNAUTHORIZED(4010, 401, "unauthorized"),
  PAYMENT_DECLINED(4020, 402, "payment_declined"),
  FORBIDDEN(4030, 403, "forbidden"),
  NOT_FOUND(4040, 404, "not_found"),
  METHOD_NOT_ALLOWED(4050, 405, "method_not_allowed"),
  CONFLICT(4090, 409, "conflict"),
  /** A write conditional on a version (an HTTP {@code If-Match}) whose version is no longer the current one; nothing changed. */
  PRECONDITION_FAILED(4120, 412, "precondition_failed"),
  PAYLOAD_TOO_LARGE(4130, 413, "payload_too_large"),
  UNSUPPORTED_MEDIA_TYPE(4150, 415, "unsupported_media_type"),
  UNPROCESSABLE(4220, 422, "unprocessable"),
  TOO_MANY_REQUESTS(4290, 429, "too_many_requests"),
  INTERNAL(5000, 500, "internal"),
  UNAVAILABLE(5030, 503, "unavailable"),
  TIMEOUT(5040, 504, "timeout"),
  /**
   * The request arrived after the deadline its caller set: refused before any work, because the caller
   * has already given up on the answer. Seen by callers only when clocks disagree or the reply raced the
   * deadline; it counts as a timeout everywhere.
   */
  DEADLINE_EXCEEDED(5041, 504, "deadline_exceeded");

  private final int busCode;
  private final int httpStatus;
  private final String key;

  ErrorCode(int busCode, int httpStatus, String key) {
    this.busCode = busCode;
    this.httpStatus = httpStatus;
    this.key = key;
  }

  public int busCode() {
    return busCode;
  }

  public int httpStatus() {
    return httpStatus;
  }

  /** The machine-readable word in error bodies. */
  public String key() {
    return key;
  }

  /** Whether the caller got no answer in time (whatever the side that noticed it). */
  public boolean isTimeout() {
    return this == TIMEOUT || this == DEADLINE_EXCEEDED;
  }

  /** The code for a bus failure code; anything unknown is an internal error. */
  public static ErrorCode fromBusCode(int code) {
    return Arrays.stream(values()).filter(c -> c.busCode == code).findFirst().orElse(INTERNAL);
  }

  /** The closest code for an HTTP status (used for errors raised by vertx-web itself). */
  public static ErrorCode fromHttpStatus(int status) {
    return Arrays.stream(values()).filter(c -> c.httpStatus == status).findFirst()
        .orElse(status >= 500 ? INTERNAL : BAD_REQUEST);
  }
}
