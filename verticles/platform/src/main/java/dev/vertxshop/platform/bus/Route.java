package dev.vertxshop.platform.bus;

import io.vertx.core.json.JsonObject;
import java.util.function.Function;

/**
 * One request/reply of a service's contract: its address, the record it takes, the reply it gives, and
 * whether it may be repeated safely. The typed client and the service's handler both use the same
 * route, so they cannot read the message differently ({@link Bus#call}, {@link Bus#serve(io.vertx.core.Vertx, Route, java.util.function.Function)}).
 *
 * @param <Q> the request record
 * @param <R> the reply: a record, or {@link JsonObject} for a document passed on as it is
 */
public record Route<Q extends BusMessage, R>(
    String address,
    Class<Q> requestType,
    Function<Object, Q> readRequest,
    Class<R> replyType,
    Function<Object, R> readReply,
    boolean idempotent) {

  /** A route whose request the service carries out at most once however often it arrives (a read, a keyed write). */
  public static <Q extends BusMessage, R> Route<Q, R> idempotent(String address, Class<Q> requestType, Function<Object, Q> readRequest,
      Class<R> replyType, Function<Object, R> readReply) {
    return new Route<>(address, requestType, readRequest, replyType, readReply, true);
  }

  /** A route whose request must not be sent twice (each arrival has an effect). */
  public static <Q extends BusMessage, R> Route<Q, R> once(String address, Class<Q> requestType, Function<Object, Q> readRequest,
      Class<R> replyType, Function<Object, R> readReply) {
    return new Route<>(address, requestType, readRequest, replyType, readReply, false);
  }

  /** Reads a reply that is a JSON document passed on as it is (strict shape checks are the caller's). */
  public static JsonObject jsonReply(Object body) {
    if (body instanceof JsonObject json) {
      return json;
    }
    throw new IllegalStateException("the reply is not a JSON object");
  }

  @Override
  public String toString() {
    return address;
  }
}
