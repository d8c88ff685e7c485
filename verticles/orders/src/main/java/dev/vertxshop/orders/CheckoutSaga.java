package dev.vertxshop.orders;

import dev.vertxshop.contracts.catalog.CatalogClient;
import dev.vertxshop.contracts.catalog.ReservationOf;
import dev.vertxshop.contracts.catalog.ReserveStock;
import dev.vertxshop.contracts.Money;
import dev.vertxshop.contracts.payments.Charge;
import dev.vertxshop.contracts.payments.Payment;
import dev.vertxshop.contracts.payments.PaymentOf;
import dev.vertxshop.contracts.payments.PaymentStatus;
import dev.vertxshop.contracts.payments.PaymentsClient;
import dev.vertxshop.orders.SagaStore.Saga;
import dev.vertxshop.platform.errors.ErrorCode;
import dev.vertxshop.platform.errors.ServiceException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of the checkout saga: reserve stock, charge, commit stock and confirm; or compensate
 * (release stock, cancel the payment) and cancel. Each step's outcome is persisted before the next
 * starts, and every downstream call is idempotent per order id, so a saga resumed from its persisted
 * state, by this replica or another, repeats at most the step it was in.
 *
 * <p>Every step has limits: {@link OrdersConfig#stepRuns()} runs (claims of the saga, counted in the
 * database across replicas and restarts) and the saga's age {@link OrdersConfig#sagaMaxAge()}. Past them
 * a saga that has taken nothing for good (reserving or charging: the stock can be released and payments'
 * cancel guarantees no capture is left) is cancelled with its compensations ({@code CHECKOUT_EXPIRED});
 * one whose money may be taken (committing after the capture, or a compensation that cannot finish) is
 * never decided silently: its order becomes NEEDS_ATTENTION, counted and listed for operators, and the
 * step is tried again every {@link OrdersConfig#attentionRetry()} until it ends or an operator settles it.
 *
 * <p>Runs on the saga owner's event loop; it holds no state of its own between steps.
 */
final class CheckoutSaga {

  private static final Logger LOG = LoggerFactory.getLogger(CheckoutSaga.class);

  /** Failures worth trying again: nobody answered, or the callee could not serve right now. */
  private static final Set<ErrorCode> TRANSIENT =
      EnumSet.of(ErrorCode.TIMEOUT, ErrorCode.DEADLINE_EXCEEDED, ErrorCode.UNAVAILABLE, ErrorCode.INTERNAL, ErrorCode.TOO_MANY_REQUESTS);
  private static final int MAX_MESSAGE = 500;

  private final Vertx vertx;
  private final SagaStore store;
  private final CatalogClient catalog;
  private final PaymentsClient payments;
  private final OrdersConfig config;
  private final SagaMetrics metrics;
  private final BooleanSupplier stopping;
  private final Runnable afterCommit;

  CheckoutSaga(Vertx vertx, SagaStore store, CatalogClient catalog, PaymentsClient payments, OrdersConfig config,
      SagaMetrics metrics, BooleanSupplier stopping, Runnable afterCommit) {
    this.vertx = vertx;
    this.store = store;
    this.catalog = catalog;
    this.payments = payments;
    this.config = config;
    this.metrics = metrics;
    this.stopping = stopping;
    this.afterCommit = afterCommit;
  }

  /** Why a run ended before the saga did; the saga itself goes on elsewhere or later. */
  static final class Interrupted extends RuntimeException {

    /** What interrupted the run. */
    enum Kind {
      /** Another replica holds the saga now (or it already ended). */
      NOT_OURS,
      /** A step kept failing; the saga rests and a sweep takes it again later. */
      DEFERRED,
      /** This replica is stopping; it released the saga for the others. */
      STOPPING
    }

    private final Kind kind;

    Interrupted(Kind kind, UUID orderId) {
      // An expected outcome, not a bug: no stack trace.
      super("saga of order " + orderId + " " + kind, null, false, false);
      this.kind = kind;
    }

    Kind kind() {
      return kind;
    }
  }

  /** Runs the saga from its persisted state to its end; fails with {@link Interrupted} when it cannot finish here. */
  Future<JsonObject> run(Saga saga) {
    if (stopping.getAsBoolean()) {
      return Future.failedFuture(new Interrupted(Interrupted.Kind.STOPPING, saga.orderId()));
    }
    if (!saga.attention() && !saga.state().terminal()) {
      Future<JsonObject> limited = enforceLimitsAtStart(saga);
      if (limited != null) {
        return limited;
      }
    }
    return switch (saga.state()) {
      case RESERVING -> reserve(saga);
      case CHARGING -> charge(saga);
      case COMMITTING -> commit(saga);
      case COMPENSATING -> compensate(saga);
      case CONFIRMED, CANCELLED -> Future.failedFuture(new Interrupted(Interrupted.Kind.NOT_OURS, saga.orderId()));
    };
  }

  /**
   * What to do instead of the step when the saga starts it past its limits, or null to run the step. A
   * reserve or charge is not started again: it is compensated. A commit or compensation past its runs
   * (runs that ended without a failure the saga could record: crashes, stops) goes to an operator; one
   * that is only old runs, since its success settles the order, and a failure then decides.
   */
  private Future<JsonObject> enforceLimitsAtStart(Saga saga) {
    String over = pastLimits(saga, false);
    if (over == null) {
      return null;
    }
    return switch (saga.state()) {
      case RESERVING, CHARGING -> startCompensation(saga, CancelReason.CHECKOUT_EXPIRED,
          new ServiceException(ErrorCode.TIMEOUT, "the checkout did not finish within its limits: " + over));
      default -> saga.stepRuns() > config.stepRuns()
          ? needsAttention(saga, saga.state() + " did not finish: " + over)
          : null;
    };
  }

  /**
   * Why the saga is past its limits, or null. At a step's start its run counts already and must not be
   * beyond the ceiling; at a failure, the run that failed may have been the last one allowed.
   */
  private String pastLimits(Saga saga, boolean failed) {
    int runs = saga.stepRuns();
    int limit = config.stepRuns();
    if (failed ? runs >= limit : runs > limit) {
      return saga.state() + " ran " + runs + " times (limit " + limit + ", SHOP_ORDERS_STEP_RUNS)";
    }
    Duration age = saga.age();
    if (age.compareTo(config.sagaMaxAge()) > 0) {
      return "the saga is " + age.toSeconds() + " s old (limit " + config.sagaMaxAge().toSeconds() + " s, SHOP_ORDERS_SAGA_MAX_AGE)";
    }
    return null;
  }

  private Future<JsonObject> reserve(Saga saga) {
    return retrying("reserve", saga.orderId(), () -> reserveRequest(saga).compose(catalog::reserveStock))
        .transform(reserved -> {
          if (reserved.succeeded()) {
            // The order is charged at the prices the catalog recorded with the stock (ReservedPrices), not the cart's.
            ReservedPrices prices;
            try {
              prices = ReservedPrices.of(saga.lines(), saga.currency(), reserved.result());
            } catch (ServiceException mismatch) {
              return startCompensation(saga, CancelReason.RESERVATION_LOST, mismatch);
            }
            if (prices.totalMinor() != saga.totalMinor()) {
              LOG.info("order {}: charged at the reservation's prices, total {} {} (the cart showed {})", saga.orderId(),
                  prices.totalMinor(), saga.currency(), saga.totalMinor());
            }
            if (prices.totalMinor() == 0) {
              // Payments charges positive amounts only; the catalog made every product free since the cart was read.
              return startCompensation(saga, CancelReason.PAYMENT_FAILED, new ServiceException(ErrorCode.UNPROCESSABLE,
                  "the order's total at the catalog's reserved prices is zero; there is nothing to charge"));
            }
            return persisted(store.toCharging(saga.orderId(), prices), saga, saga.charging(prices.totalMinor()));
          }
          ServiceException error = ServiceException.from(reserved.cause());
          CancelReason reason = switch (error.code()) {
            case CONFLICT -> CancelReason.OUT_OF_STOCK;
            case NOT_FOUND -> CancelReason.PRODUCT_UNAVAILABLE;
            default -> CancelReason.STOCK_UNAVAILABLE;
          };
          return startCompensation(saga, reason, error);
        });
  }

  /** The saga's lines as the catalog's reserve; lines the contract refuses fail it as the catalog would (BAD_REQUEST). */
  private static Future<ReserveStock> reserveRequest(Saga saga) {
    try {
      return Future.succeededFuture(new ReserveStock(saga.orderId(),
          saga.lines().stream().map(line -> new ReserveStock.Line(line.productId(), line.quantity())).toList()));
    } catch (ServiceException e) {
      return Future.failedFuture(e);
    }
  }

  /** The saga's total as the payments' charge; a total the contract refuses fails it as payments would (BAD_REQUEST). */
  private static Future<Charge> chargeRequest(Saga saga) {
    try {
      return Future.succeededFuture(new Charge(saga.orderId(), saga.userId(), new Money(saga.totalMinor(), saga.currency())));
    } catch (ServiceException e) {
      return Future.failedFuture(e);
    }
  }

  private Future<JsonObject> charge(Saga saga) {
    // No retry here: payments retries the provider itself with the provider's idempotency key, behind
    // its breaker; a second charge from us would only add load to a provider already in trouble.
    return chargeRequest(saga).compose(payments::charge).transform(charged -> {
      if (charged.succeeded()) {
        Payment payment = charged.result();
        if (payment.status() != PaymentStatus.CAPTURED) {
          return startCompensation(saga, CancelReason.PAYMENT_FAILED,
              new ServiceException(ErrorCode.INTERNAL, "payments answered a payment that is not CAPTURED"));
        }
        String paymentId = payment.id().toString();
        return persisted(store.toCommitting(saga.orderId(), paymentId), saga, saga.withPayment(paymentId));
      }
      ServiceException error = ServiceException.from(charged.cause());
      CancelReason reason = switch (error.code()) {
        case PAYMENT_DECLINED -> CancelReason.PAYMENT_DECLINED;
        case UNAVAILABLE -> CancelReason.PAYMENT_UNAVAILABLE;
        case TIMEOUT, DEADLINE_EXCEEDED -> CancelReason.PAYMENT_TIMEOUT;
        default -> CancelReason.PAYMENT_FAILED;
      };
      return startCompensation(saga, reason, error);
    });
  }

  private Future<JsonObject> commit(Saga saga) {
    return retrying("commit", saga.orderId(), () -> catalog.commitStock(new ReservationOf(saga.orderId())))
        .transform(committed -> {
          if (committed.succeeded()) {
            return finished(store.confirm(saga.orderId(), saga.paymentId()), saga, SagaState.CONFIRMED, null);
          }
          ServiceException error = ServiceException.from(committed.cause());
          if (TRANSIENT.contains(error.code())) {
            // The money is taken: keep trying to sell the units rather than refund a good order.
            return defer(saga, "commit", error);
          }
          return startCompensation(saga, CancelReason.RESERVATION_LOST, error);
        });
  }

  private Future<JsonObject> compensate(Saga saga) {
    return retrying("release", saga.orderId(), () -> catalog.releaseStock(new ReservationOf(saga.orderId())))
        .transform(released -> {
          if (released.failed()) {
            ServiceException error = ServiceException.from(released.cause());
            if (TRANSIENT.contains(error.code())) {
              return defer(saga, "release", error);
            }
            // Only a committed reservation is refused, and a saga commits only after a successful charge
            // and never compensates after a successful commit: this is a bug to see, not to loop on.
            LOG.error("order {}: the catalog refuses to release its stock ({}: {}); cancelling anyway",
                saga.orderId(), error.code(), error.getMessage());
          }
          if (!saga.chargeAttempted()) {
            return cancelled(saga);
          }
          return retrying("cancel payment", saga.orderId(), () -> payments.cancel(new PaymentOf(saga.orderId())))
              .transform(cancelled -> {
                if (cancelled.succeeded() || ServiceException.from(cancelled.cause()).code() == ErrorCode.NOT_FOUND) {
                  return cancelled(saga);
                }
                // A capture may still exist: the order must not be CANCELLED before payments says none is left.
                return defer(saga, "cancel payment", ServiceException.from(cancelled.cause()));
              });
        });
  }

  private Future<JsonObject> cancelled(Saga saga) {
    return finished(store.cancel(saga.orderId(), saga.cancelReason(), saga.cancelMessage()), saga, SagaState.CANCELLED,
        saga.cancelReason());
  }

  private Future<JsonObject> startCompensation(Saga saga, CancelReason reason, ServiceException cause) {
    if (stopping.getAsBoolean()) {
      // A failure seen while this replica stops may be the stop itself (retries cut short, calls
      // abandoned): the replica that takes the saga over repeats the step and decides.
      return Future.failedFuture(new Interrupted(Interrupted.Kind.STOPPING, saga.orderId()));
    }
    String message = cause.getMessage() == null ? reason.name() : cause.getMessage();
    if (message.length() > MAX_MESSAGE) {
      message = message.substring(0, MAX_MESSAGE);
    }
    LOG.info("order {}: cancelling ({}) after {}: {}", saga.orderId(), reason, saga.state(), message);
    return persisted(store.toCompensating(saga.orderId(), reason.name(), message), saga,
        saga.compensating(reason.name(), message));
  }

  /** Goes on with {@code next} once its state is written; stops when the saga is no longer ours. */
  private Future<JsonObject> persisted(Future<Boolean> written, Saga saga, Saga next) {
    return written.compose(ours -> ours
        ? run(next)
        : Future.failedFuture(new Interrupted(Interrupted.Kind.NOT_OURS, saga.orderId())));
  }

  private Future<JsonObject> finished(Future<SagaStore.Finished> written, Saga saga, SagaState outcome, String reason) {
    return written.compose(done -> {
      if (done == null) {
        return Future.failedFuture(new Interrupted(Interrupted.Kind.NOT_OURS, saga.orderId()));
      }
      afterCommit.run();
      metrics.outcome(outcome, reason, done.took());
      LOG.info("order {} {}{} after {} ms", saga.orderId(), outcome, reason == null ? "" : " (" + reason + ")",
          done.took().toMillis());
      return Future.succeededFuture(done.order());
    });
  }

  /**
   * A step kept failing: the saga rests and a sweep tries it again; unless this was the step's last run
   * or the saga is too old, in which case it goes to an operator (only commits and compensations defer).
   */
  private Future<JsonObject> defer(Saga saga, String step, ServiceException cause) {
    String error = truncated(step + " failed: " + cause.code().key() + ": " + cause.getMessage());
    if (!saga.attention()) {
      String over = pastLimits(saga, true);
      if (over != null) {
        return needsAttention(saga, error + "; " + over);
      }
    }
    Duration rest = saga.attention() ? config.attentionRetry() : config.retryLater();
    LOG.warn("order {}: {} failed ({}: {}); the saga stays {}{} and is tried again in {} ms", saga.orderId(), step,
        cause.code(), cause.getMessage(), saga.state(), saga.attention() ? " (NEEDS_ATTENTION)" : "", rest.toMillis());
    return store.defer(saga.orderId(), rest, error)
        .compose(ours -> Future.failedFuture(new Interrupted(
            ours ? Interrupted.Kind.DEFERRED : Interrupted.Kind.NOT_OURS, saga.orderId())));
  }

  /**
   * Money may be taken and the saga cannot finish by itself within its limits: neither cancel nor confirm,
   * but mark the order NEEDS_ATTENTION (an operator's list and gauge) and try the step at a slow pace.
   */
  private Future<JsonObject> needsAttention(Saga saga, String why) {
    String error = truncated(why);
    LOG.error("order {} NEEDS_ATTENTION: its saga is stuck at {} ({}); it is tried again every {} ms until it ends "
        + "or an operator settles the order", saga.orderId(), saga.state(), error, config.attentionRetry().toMillis());
    return store.needsAttention(saga.orderId(), config.attentionRetry(), error).compose(ours -> {
      if (ours) {
        metrics.needsAttention(saga.state());
      }
      return Future.failedFuture(new Interrupted(ours ? Interrupted.Kind.DEFERRED : Interrupted.Kind.NOT_OURS, saga.orderId()));
    });
  }

  private static String truncated(String text) {
    return text.length() > MAX_MESSAGE ? text.substring(0, MAX_MESSAGE) : text;
  }

  /** Calls {@code call} up to the configured attempts while it fails transiently, with doubling backoff. */
  private <T> Future<T> retrying(String step, UUID orderId, Supplier<Future<T>> call) {
    return attempt(step, orderId, call, 1);
  }

  private <T> Future<T> attempt(String step, UUID orderId, Supplier<Future<T>> call, int attempt) {
    return call.get().recover(failure -> {
      ServiceException error = ServiceException.from(failure);
      if (!TRANSIENT.contains(error.code()) || attempt >= config.stepAttempts() || stopping.getAsBoolean()) {
        return Future.failedFuture(error);
      }
      long backoff = config.stepBackoff().toMillis() << Math.min(attempt - 1, 10);
      LOG.info("order {}: {} attempt {} failed ({}), retrying in {} ms", orderId, step, attempt, error.code(), backoff);
      return vertx.timer(backoff).compose(v -> attempt(step, orderId, call, attempt + 1));
    });
  }
}
