package dev.vertxshop.orders;

import dev.vertxshop.contracts.cart.CartClient;
import dev.vertxshop.contracts.cart.GetCart;
import dev.vertxshop.contracts.orders.Checkout;
import dev.vertxshop.contracts.orders.GetOrder;
import dev.vertxshop.contracts.orders.OrdersContract;
import dev.vertxshop.platform.bus.Bus;
import dev.vertxshop.platform.errors.ServiceException;
import dev.vertxshop.platform.kafka.OutboxRelayVerticle;
import dev.vertxshop.platform.observability.Correlation;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The orders event-bus API ({@code orders.*}). Stateless over the pool, so any number of instances may
 * run: a checkout places the order here, then waits for its saga's outcome from the node's
 * {@link SagaVerticle}, within the reply budget.
 */
final class OrdersApiVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(OrdersApiVerticle.class);
  private final Pool pool;
  private final OrdersConfig config;
  private final String owner;
  private OrderStore orders;
  private CartClient cart;

  /** {@code owner} is the node's saga owner: new sagas are leased to it. */
  OrdersApiVerticle(Pool pool, OrdersConfig config, String owner) {
    this.pool = pool;
    this.config = config;
    this.owner = owner;
  }

  @Override
  public Future<?> start() {
    orders = new OrderStore(pool);
    cart = new CartClient(vertx, config.callDeadline());
    return Future.join(List.of(
        Bus.serve(vertx, OrdersContract.CHECKOUT, this::checkout).completion(),
        Bus.serve(vertx, OrdersContract.GET, (GetOrder request) -> orders.get(request.userId(), request.orderId())).completion(),
        Bus.serve(vertx, OrdersContract.LIST, orders::list).completion(),
        Bus.serve(vertx, OrdersContract.ADMIN_LIST, orders::adminList).completion()));
  }

  /**
   * The key first: a retry finds its order without touching the cart (which the confirmed order may
   * have emptied already). Then the cart must not be in an unsettled order of another key (CONFLICT
   * naming it, before the cart is read). Otherwise the cart becomes the order, unless a concurrent
   * request with the same key won the race, in which case its order is the answer (or one with another
   * key, in which case the CONFLICT names that one).
   */
  private Future<JsonObject> checkout(Checkout request) {
    long deadline = System.nanoTime() + config.replyBudget().toNanos();
    return orders.lookup(request.userId(), request.idempotencyKey())
        .compose(found -> {
          if (found.keyed() != null) {
            return Future.succeededFuture(found.keyed());
          }
          return found.unsettled() != null
              ? Future.<UUID>failedFuture(OrdersContract.unsettledOrder(found.unsettled().toString()))
              : placeFromCart(request);
        })
        .compose(orderId -> outcome(orderId, deadline));
  }

  private Future<UUID> placeFromCart(Checkout request) {
    return cart.get(new GetCart(request.userId())).compose(view -> {
      OrderDraft draft = OrderDraft.fromCart(view);
      if (draft.isEmpty()) {
        // The key may have been used meanwhile, and its confirmed order cleared the cart.
        return orders.orderForKey(request.userId(), request.idempotencyKey()).compose(id -> id != null
            ? Future.succeededFuture(id)
            : Future.failedFuture(ServiceException.badRequest("cart is empty")));
      }
      return orders.place(request.userId(), request.idempotencyKey(), draft, owner, config.sagaLease()).map(placed -> {
        if (placed.created()) {
          LOG.info("order {} placed for user {}: {} lines, total {} {}", placed.orderId(), request.userId(),
              draft.lines().size(), draft.totalMinor(), draft.currency());
          OutboxRelayVerticle.kick(vertx, OrdersService.NAME);
        }
        return placed.orderId();
      });
    });
  }

  private Future<JsonObject> outcome(UUID orderId, long deadline) {
    long waitMs = Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
    DeliveryOptions options = new DeliveryOptions()
        .setLocalOnly(true)
        // The saga owner answers by the budget's end; the margin covers reading the order then.
        .setSendTimeout(waitMs + config.callDeadline().toMillis())
        .addHeader(Correlation.HEADER, Correlation.currentOrNew());
    return vertx.eventBus().<JsonObject>request(SagaVerticle.AWAIT,
            new JsonObject().put("orderId", orderId.toString()).put("waitMs", waitMs), options)
        .map(reply -> OrderStore.publicView(reply.body()))
        .recover(failure -> Future.failedFuture(ServiceException.from(failure)));
  }
}
