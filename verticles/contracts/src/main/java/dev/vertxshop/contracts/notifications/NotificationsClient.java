package dev.vertxshop.contracts.notifications;

import dev.vertxshop.platform.bus.Bus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;

/** Typed event-bus client of the notifications service. */
public final class NotificationsClient {

  private final Vertx vertx;
  private final Duration deadline;

  public NotificationsClient(Vertx vertx, Duration deadline) {
    this.vertx = vertx;
    this.deadline = deadline;
  }

  public Future<NotificationPage> list(ListNotifications request) {
    return Bus.call(vertx, NotificationsContract.LIST, request, deadline);
  }
}
