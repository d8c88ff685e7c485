package dev.vertxshop.orders;

import dev.vertxshop.contracts.catalog.CatalogClient;
import dev.vertxshop.contracts.orders.OrdersContract;
import dev.vertxshop.contracts.payments.PaymentsClient;
import dev.vertxshop.orders.CheckoutSaga.Interrupted;
import dev.vertxshop.orders.SagaStore.Saga;
import dev.vertxshop.platform.errors.ErrorCode;
import dev.vertxshop.platform.errors.ServiceException;
import dev.vertxshop.platform.kafka.OutboxRelayVerticle;
import dev.vertxshop.platform.observability.Correlation;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The saga executor of one replica, and the only owner of its in-flight sagas: one instance per node.
 *
 * <p>It drives the sagas of checkouts made here, and, on start and every sweep interval, the running
 * sagas of any replica whose lease ran out (a crash) or was released (a stop, a retry later). While it
 * drives a saga it renews the saga's lease. Checkouts ask it, on a local address, for a saga's outcome
 * within their reply budget: all requests for one saga wait on the same run, and a saga driven
 * elsewhere is followed by reading its order.
 */
final class SagaVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(SagaVerticle.class);

  /** Local address: {@code {"orderId", "waitMs"}} → the order once its saga ended, or as it is after waitMs. */
  static final String AWAIT = "orders.saga.await";
  /** How often a waiter reads the order of a saga driven elsewhere. */
  private static final long POLL_MS = 100;

  private final Pool pool;
  private final OrdersConfig config;
  private final SagaMetrics metrics;
  private final String owner;
  /** The sagas this replica drives now, each with the outcome its waiters share. Event-loop confined. */
  private final Map<UUID, Promise<JsonObject>> runs = new HashMap<>();

  private SagaStore sagas;
  private OrderStore orders;
  private CheckoutSaga steps;
  private MessageConsumer<JsonObject> consumer;
  private long sweepTimer = -1;
  private long renewTimer = -1;
  private boolean sweeping;
  private boolean stopping;

  SagaVerticle(Pool pool, OrdersConfig config, SagaMetrics metrics, String owner) {
    this.pool = pool;
    this.config = config;
    this.metrics = metrics;
    this.owner = owner;
  }

  @Override
  public Future<?> start() {
    sagas = new SagaStore(pool, owner, config.sagaLease());
    orders = new OrderStore(pool);
    steps = new CheckoutSaga(vertx, sagas, new CatalogClient(vertx, config.callDeadline()),
        new PaymentsClient(vertx, config.paymentDeadline()), config, metrics, () -> stopping, this::kickRelay);
    consumer = vertx.eventBus().localConsumer(AWAIT, this::onAwait);
    return consumer.completion().onSuccess(v -> {
      sweepTimer = vertx.setPeriodic(config.sweepInterval().toMillis(), id -> sweep());
      renewTimer = vertx.setPeriodic(Math.max(1, config.sagaLease().toMillis() / 3), id -> renew());
      // Sagas a crashed replica left behind are resumed at start, not one interval later.
      sweep();
    });
  }

  /**
   * Stops taking sagas and frees the running ones for the other replicas at once, rather than letting
   * them wait for the lease to run out: every step is idempotent, so whoever takes one over repeats at
   * most the step in progress. Steps in flight here end without writing (the saga is no longer ours).
   */
  @Override
  public Future<?> stop() {
    stopping = true;
    vertx.cancelTimer(sweepTimer);
    vertx.cancelTimer(renewTimer);
    return consumer.unregister()
        .compose(v -> sagas.releaseAll())
        .onSuccess(released -> {
          if (released > 0) {
            LOG.info("released {} running sagas for the other replicas", released);
          }
        })
        .recover(failure -> {
          LOG.warn("could not release running sagas ({}); they resume when their lease runs out", failure.getMessage());
          return Future.succeededFuture();
        });
  }

  private void onAwait(Message<JsonObject> message) {
    Correlation.bind(message.headers().get(Correlation.HEADER));
    UUID orderId;
    long waitMs;
    try {
      orderId = UUID.fromString(message.body().getString("orderId"));
      waitMs = Math.max(0, message.body().getLong("waitMs"));
    } catch (RuntimeException e) {
      message.fail(ErrorCode.BAD_REQUEST.busCode(), "orderId and waitMs are required");
      return;
    }
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMs);
    Promise<JsonObject> run = runs.get(orderId);
    if (run == null && !stopping) {
      run = begin(orderId, sagas.claim(orderId));
    }
    Future<JsonObject> outcome = run == null
        ? Future.failedFuture(new Interrupted(Interrupted.Kind.STOPPING, orderId))
        : run.future();
    waitFor(orderId, outcome, deadline).onComplete(
        message::reply,
        failure -> {
          ServiceException error = ServiceException.from(failure);
          message.fail(error.failureCode(), error.getMessage());
        });
  }

  /** Starts driving a saga once claimed (null: not ours); the returned outcome is shared by its waiters. */
  private Promise<JsonObject> begin(UUID orderId, Future<Saga> claimed) {
    Promise<JsonObject> run = Promise.promise();
    runs.put(orderId, run);
    metrics.started();
    claimed
        .compose(saga -> saga == null
            ? Future.failedFuture(new Interrupted(Interrupted.Kind.NOT_OURS, orderId))
            : steps.run(saga))
        .onComplete(ended -> {
          runs.remove(orderId);
          metrics.ended();
          if (ended.succeeded()) {
            run.complete(ended.result());
            return;
          }
          if (!(ended.cause() instanceof Interrupted)) {
            // A database failure, most likely: the lease runs out and a sweep takes the saga again.
            LOG.warn("order {}: saga run failed, it resumes after its lease: {}", orderId, String.valueOf(ended.cause()));
          }
          run.fail(ended.cause());
        });
    return run;
  }

  /**
   * The outcome if it comes within the deadline; otherwise (or when the saga runs elsewhere) the order
   * as read once it is decided or the deadline passed.
   */
  private Future<JsonObject> waitFor(UUID orderId, Future<JsonObject> outcome, long deadline) {
    Promise<JsonObject> reply = Promise.promise();
    long remainingMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
    long timer = vertx.setTimer(remainingMs, id -> readOrder(orderId, reply));
    outcome.onComplete(ended -> {
      if (reply.future().isComplete()) {
        return;
      }
      vertx.cancelTimer(timer);
      if (ended.succeeded()) {
        reply.tryComplete(ended.result());
      } else {
        poll(orderId, deadline, reply);
      }
    });
    return reply.future();
  }

  private void poll(UUID orderId, long deadline, Promise<JsonObject> reply) {
    orders.load(orderId).onComplete(
        order -> {
          if (order == null) {
            reply.tryFail(ServiceException.notFound("order " + orderId + " not found"));
          } else if (!OrdersContract.PENDING.equals(order.getString("status")) || System.nanoTime() >= deadline) {
            reply.tryComplete(order);
          } else {
            vertx.setTimer(POLL_MS, id -> poll(orderId, deadline, reply));
          }
        },
        reply::tryFail);
  }

  private void readOrder(UUID orderId, Promise<JsonObject> reply) {
    orders.load(orderId).onComplete(
        order -> {
          if (order == null) {
            reply.tryFail(ServiceException.notFound("order " + orderId + " not found"));
          } else {
            reply.tryComplete(order);
          }
        },
        reply::tryFail);
  }

  /** Takes over running sagas whose lease ran out, a batch at a time. */
  private void sweep() {
    if (stopping || sweeping) {
      return;
    }
    sweeping = true;
    sagas.claimDue(config.sweepBatch()).onComplete(
        due -> {
          sweeping = false;
          for (Saga saga : due) {
            if (runs.containsKey(saga.orderId())) {
              continue;
            }
            metrics.resumed();
            LOG.info("order {}: resuming its saga at {}", saga.orderId(), saga.state());
            begin(saga.orderId(), Future.succeededFuture(saga));
          }
        },
        failure -> {
          sweeping = false;
          LOG.warn("saga sweep failed: {}", failure.getMessage());
        });
  }

  private void renew() {
    if (runs.isEmpty() || stopping) {
      return;
    }
    List<UUID> ids = new ArrayList<>(runs.keySet());
    sagas.renew(ids).onComplete(
        kept -> {
          for (UUID id : ids) {
            if (!kept.contains(id) && runs.containsKey(id)) {
              // Ended a moment ago, or taken over after a stall: its next write will tell, and stop it.
              LOG.debug("order {}: lease not renewed", id);
            }
          }
        },
        failure -> LOG.warn("lease renewal failed: {}", failure.getMessage()));
  }

  private void kickRelay() {
    OutboxRelayVerticle.kick(vertx, OrdersService.NAME);
  }
}
