package dev.vertxshop.platform.bus;

import dev.vertxshop.platform.errors.ErrorCode;
import dev.vertxshop.platform.errors.ServiceException;
import dev.vertxshop.platform.observability.Correlation;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.time.Duration;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Event-bus request/reply with the shop's conventions: a deadline on every request, the correlation
 * id carried in a header, and failures as {@link ServiceException} codes in both directions.
 */
public final class Bus {

  private static final Logger LOG = LoggerFactory.getLogger(Bus.class);

  private Bus() {
  }

  /** Sends {@code body} to {@code address} and returns the reply body, failing with a {@link ServiceException}. */
  public static <T> Future<T> request(Vertx vertx, String address, Object body, Duration deadline) {
    DeliveryOptions options = new DeliveryOptions()
        .setSendTimeout(deadline.toMillis())
        .addHeader(Correlation.HEADER, Correlation.currentOrNew());
    return vertx.eventBus().<T>request(address, body, options)
        .map(Message::body)
        .recover(failure -> Future.failedFuture(ServiceException.from(failure)));
  }

  /**
   * Registers {@code handler} at {@code address}. The handler's future becomes the reply; its failure
   * becomes a failure code. Await {@code consumer.completion()} before reporting the verticle started.
   */
  public static <T> MessageConsumer<T> serve(Vertx vertx, String address, Function<Message<T>, Future<?>> handler) {
    return vertx.eventBus().<T>consumer(address, message -> {
      Correlation.bind(message.headers().get(Correlation.HEADER));
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
}
