package dev.vertxshop.notifications;

import dev.vertxshop.contracts.notifications.NotificationsContract;
import dev.vertxshop.platform.bus.Bus;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/**
 * The event-bus API ({@code notifications.*}). Stateless over the pool, so any number of instances
 * may run; each reports started only once its consumer is registered.
 */
public final class NotificationsApiVerticle extends VerticleBase {

  private final NotificationStore store;

  public NotificationsApiVerticle(NotificationStore store) {
    this.store = store;
  }

  @Override
  public Future<?> start() {
    return Bus.serve(vertx, NotificationsContract.LIST, store::list)
        .completion();
  }
}
