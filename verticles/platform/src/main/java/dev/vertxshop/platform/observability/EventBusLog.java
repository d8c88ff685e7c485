package dev.vertxshop.platform.observability;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DEBUG lines for the event-bus messages a node sends: requests, publications and replies, each logged
 * on the sender's context, so with the sender's correlation id and service. With this logger at DEBUG,
 * one request can be followed from the gateway through every service it reaches.
 */
public final class EventBusLog {

  private static final Logger LOG = LoggerFactory.getLogger(EventBusLog.class);
  private static final String REPLY_PREFIX = "__vertx.reply.";

  private EventBusLog() {
  }

  /** Adds the interceptor to {@code vertx}'s event bus; it costs a level check per message when DEBUG is off. */
  public static void install(Vertx vertx) {
    vertx.eventBus().addOutboundInterceptor(EventBusLog::outbound);
  }

  private static <T> void outbound(DeliveryContext<T> delivery) {
    if (LOG.isDebugEnabled()) {
      Message<T> message = delivery.message();
      if (message.address().startsWith(REPLY_PREFIX)) {
        if (delivery.body() instanceof ReplyException failure) {
          LOG.debug("event bus: replied with failure {}", failure.failureCode());
        } else {
          LOG.debug("event bus: replied");
        }
      } else {
        LOG.debug("event bus: {} {}", message.isSend() ? "request to" : "publication on", message.address());
      }
    }
    delivery.next();
  }
}
