package dev.vertxshop.platform.bus;

import dev.vertxshop.platform.errors.ErrorCode;
import dev.vertxshop.platform.errors.ServiceException;
import dev.vertxshop.platform.observability.Correlation;
import dev.vertxshop.platform.observability.NodeMetrics;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.time.Duration;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Event-bus request/reply with the shop's conventions: a deadline on every request, the correlation
 * id carried in a header, and failures as {@link ServiceException} codes in both directions.
 *
 * <p>The deadline travels with the request as an absolute time ({@link #DEADLINE_HEADER}, epoch
 * milliseconds), and {@link #serve} refuses a request that arrives after it with
 * {@link ErrorCode#DEADLINE_EXCEEDED} before running its handler: the caller has already failed it with
 * a timeout, so doing the work then (a request queued behind a stalled event loop, or held in a socket
 * during a partition) would only be work no one waits for, or worse a second order behind a client's
 * retry. Refusals are counted as {@code shop_bus_expired_total{address}}. The comparison uses the wall
 * clock of both nodes, so it assumes clocks kept within a few milliseconds of each other (NTP, or one
 * machine).
 */
public final class Bus {

  private static final Logger LOG = LoggerFactory.getLogger(Bus.class);

  /** Event-bus header: the time (epoch milliseconds) after which the caller no longer waits for the reply. */
  public static final String DEADLINE_HEADER = "x-deadline";

  private Bus() {
  }

  /** Sends {@code body} to {@code address} and returns the reply body, failing with a {@link ServiceException}. */
  public static <T> Future<T> request(Vertx vertx, String address, Object body, Duration deadline) {
    long timeoutMs = deadline.toMillis();
    DeliveryOptions options = new DeliveryOptions()
        .setSendTimeout(timeoutMs)
        .addHeader(Correlation.HEADER, Correlation.currentOrNew())
        .addHeader(DEADLINE_HEADER, Long.toString(System.currentTimeMillis() + timeoutMs));
    return vertx.eventBus().<T>request(address, body, options)
        .map(Message::body)
        .recover(failure -> Future.failedFuture(ServiceException.from(failure)));
  }

  /**
   * As {@link #request}, for a request that the service carries out at most once however often it
   * arrives (a read, or a write keyed by an order id or an idempotency key). On a clustered node, if a
   * destination of {@code address} is lost while it waits (the peer stopped answering, or left), it is
   * sent again at once to the consumers that remain, and the first answer wins: a frozen replica then
   * costs such a request the time to notice it, not its whole deadline.
   */
  public static <T> Future<T> requestIdempotent(Vertx vertx, String address, Object body, Duration deadline) {
    Resends resends = Resends.of(vertx);
    if (resends == null) {
      return request(vertx, address, body, deadline);
    }
    long timeoutMs = deadline.toMillis();
    long deadlineAt = System.currentTimeMillis() + timeoutMs;
    DeliveryOptions options = new DeliveryOptions()
        .setSendTimeout(timeoutMs)
        .addHeader(Correlation.HEADER, Correlation.currentOrNew())
        .addHeader(DEADLINE_HEADER, Long.toString(deadlineAt));
    return resends.request(address, body, options, deadlineAt);
  }

  /**
   * Sends {@code request} on {@code route} and returns its reply as the route's reply type; failures are
   * {@link ServiceException}s, and a reply that does not read back is an internal error of the callee.
   * Idempotent routes are re-sent when a destination is lost ({@link #requestIdempotent}).
   */
  public static <Q extends BusMessage, R> Future<R> call(Vertx vertx, Route<Q, R> route, Q request, Duration deadline) {
    codecs(vertx, route);
    Future<Object> reply = route.idempotent()
        ? requestIdempotent(vertx, route.address(), request, deadline)
        : request(vertx, route.address(), request, deadline);
    return reply.compose(body -> {
      try {
        return Future.succeededFuture(route.replyType().isInstance(body) ? route.replyType().cast(body) : route.readReply().apply(body));
      } catch (RuntimeException e) {
        LOG.error("{} answered a reply that does not read: {}", route.address(), e.getMessage());
        return Future.failedFuture(new ServiceException(ErrorCode.INTERNAL, route.address() + " answered an unreadable reply"));
      }
    });
  }

  /**
   * {@link #call(Vertx, Route, BusMessage, Duration)} with a request that {@code request} builds from loose values:
   * a value its record refuses fails the future with that refusal (BAD_REQUEST), and nothing is sent.
   */
  public static <Q extends BusMessage, R> Future<R> callWith(Vertx vertx, Route<Q, R> route, Supplier<Q> request,
      Duration deadline) {
    Q built;
    try {
      built = request.get();
    } catch (ServiceException e) {
      return Future.failedFuture(e);
    }
    return call(vertx, route, built, deadline);
  }

  /**
   * Serves {@code route} with {@code handler}, which receives the request already read (the sender's
   * record within one JVM; decoded, or read strictly from plain JSON, otherwise). A request that does not
   * read is refused BAD_REQUEST before the handler runs.
   */
  public static <Q extends BusMessage, R> MessageConsumer<Object> serve(Vertx vertx, Route<Q, R> route, Function<Q, Future<R>> handler) {
    return serveWithMessage(vertx, route, (request, message) -> handler.apply(request));
  }

  /**
   * {@link #serve(Vertx, Route, Function)} for a handler that also needs the message itself: its headers,
   * or {@link #lateBy} once it waited in a queue of its own.
   */
  public static <Q extends BusMessage, R> MessageConsumer<Object> serveWithMessage(Vertx vertx, Route<Q, R> route,
      java.util.function.BiFunction<Q, Message<Object>, Future<R>> handler) {
    codecs(vertx, route);
    return serve(vertx, route.address(), message -> {
      Object body = message.body();
      Q request = route.requestType().isInstance(body) ? route.requestType().cast(body) : route.readRequest().apply(body);
      return handler.apply(request, message);
    });
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static void codecs(Vertx vertx, Route<?, ?> route) {
    RecordCodec.ensure(vertx, (Class) route.requestType(), (Function) route.readRequest());
    if (BusMessage.class.isAssignableFrom(route.replyType())) {
      RecordCodec.ensure(vertx, (Class) route.replyType(), (Function) route.readReply());
    }
  }

  /**
   * Registers {@code handler} at {@code address}. The handler's future becomes the reply; its failure
   * becomes a failure code. Await {@code consumer.completion()} before reporting the verticle started.
   */
  public static <T> MessageConsumer<T> serve(Vertx vertx, String address, Function<Message<T>, Future<?>> handler) {
    return vertx.eventBus().<T>consumer(address, message -> {
      Correlation.bind(message.headers().get(Correlation.HEADER));
      long lateMs = lateBy(message);
      if (lateMs > 0) {
        refuseLate(vertx, address, message, lateMs);
        return;
      }
      Future<?> result;
      try {
        result = handler.apply(message);
      } catch (RuntimeException e) {
        result = Future.failedFuture(e);
      }
      result.onComplete(
          reply -> message.reply(reply),
          failure -> {
            ServiceException error = ServiceException.from(failure);
            if (error.code() == ErrorCode.INTERNAL) {
              LOG.error("{} failed", address, failure);
            }
            message.fail(error.failureCode(), error.getMessage());
          });
    });
  }

  /**
   * How many milliseconds after its deadline {@code message} is being handled; 0 or less when it is in
   * time or carries no deadline (a sender that is not a {@link Bus} client: it gets no refusal).
   */
  public static long lateBy(Message<?> message) {
    String header = message.headers().get(DEADLINE_HEADER);
    if (header == null) {
      return 0;
    }
    try {
      return System.currentTimeMillis() - Long.parseLong(header);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static void refuseLate(Vertx vertx, String address, Message<?> message, long lateMs) {
    LOG.warn("{}: refused a request that arrived {} ms after its caller's deadline", address, lateMs);
    NodeMetrics.of(vertx).ifPresent(registry -> Counter.builder("shop.bus.expired")
        .description("Event-bus requests refused because they arrived after the caller's deadline")
        .tag("address", address)
        .register(registry)
        .increment());
    message.fail(ErrorCode.DEADLINE_EXCEEDED.busCode(), address + ": the request arrived " + lateMs
        + " ms after its deadline and was not carried out");
  }
}
