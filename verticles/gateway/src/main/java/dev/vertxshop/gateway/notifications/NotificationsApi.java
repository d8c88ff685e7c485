package dev.vertxshop.gateway.notifications;

import dev.vertxshop.contracts.notifications.ListNotifications;
import dev.vertxshop.contracts.notifications.NotificationsClient;
import dev.vertxshop.gateway.auth.Authenticator;
import dev.vertxshop.gateway.http.Responses;
import dev.vertxshop.gateway.http.Validated;
import dev.vertxshop.gateway.resilience.Downstream;
import io.vertx.ext.web.RoutingContext;
import io.vertx.openapi.validation.RequestParameter;
import java.util.Map;
import java.util.UUID;

/** The signed-in user's notifications, newest first. */
public final class NotificationsApi {

  private final Downstream notifications;
  private final NotificationsClient client;

  public NotificationsApi(Downstream notifications, NotificationsClient client) {
    this.notifications = notifications;
    this.client = client;
  }

  public void list(RoutingContext ctx) {
    String userId = Authenticator.userId(ctx);
    Map<String, RequestParameter> query = Validated.query(ctx);
    int page = Validated.integer(query, "page", 1);
    int size = Validated.integer(query, "size", 20);
    ListNotifications request = new ListNotifications(UUID.fromString(userId), page, size);
    notifications.call(() -> client.list(request))
        .onComplete(list -> Responses.json(ctx, 200, list.toJson()), ctx::fail);
  }
}
