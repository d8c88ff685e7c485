package dev.vertxshop.contracts.notifications;

import dev.vertxshop.platform.bus.Bus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;

/** Typed event-bus client of the notifications service. */
public final class NotificationsClient {

  private final Vertx vertx;
  private final Duration deadline;

  public NotificationsClient(Vertx vertx, Duration deadline) {
    this.vertx = vertx;
    this.deadline = deadline;
  }

  public Future<JsonObject> list(String userId, int page, int size) {
    return Bus.requestIdempotent(vertx, NotificationsContract.LIST,
        new JsonObject().put("userId", userId).put("page", page).put("size", size), deadline);
  }
}
