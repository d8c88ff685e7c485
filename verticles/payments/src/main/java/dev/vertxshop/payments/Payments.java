package dev.vertxshop.payments;

import dev.vertxshop.contracts.payments.Charge;
import dev.vertxshop.contracts.payments.Payment;
import dev.vertxshop.contracts.payments.PaymentCancelled;
import dev.vertxshop.contracts.payments.PaymentCancelled.Outcome;
import dev.vertxshop.contracts.payments.PaymentStatus;
import dev.vertxshop.contracts.payments.PaymentsContract;
import dev.vertxshop.payments.ProviderClient.CallNotAllowed;
import dev.vertxshop.payments.ProviderClient.Captured;
import dev.vertxshop.payments.ProviderClient.Declined;
import dev.vertxshop.payments.ProviderClient.ProviderCharge;
import dev.vertxshop.platform.errors.ErrorCode;
import dev.vertxshop.platform.errors.ServiceException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code payments.*} does: charge at most once per order, cancel so that no capture is left, and
 * read a payment. The database row is the per-order state machine; the provider is asked only when
 * the row cannot answer.
 */
final class Payments {

  private static final Logger LOG = LoggerFactory.getLogger(Payments.class);
  /** Charges refused because the order's payment was cancelled first, by {@code reason}: tombstone or cancelled. */
  static final String REFUSED_METRIC = "shop.payments.charges.refused";

  private final PaymentStore store;
  private final ProviderClient provider;
  private final MeterRegistry registry;

  /** {@code registry} receives the refused-charges counter (null: refusals only logged). */
  Payments(PaymentStore store, ProviderClient provider, MeterRegistry registry) {
    this.store = store;
    this.provider = provider;
    this.registry = registry;
  }

  /** The CAPTURED payment; fails as {@link PaymentsContract#CHARGE} says. */
  Future<Payment> charge(Charge request) {
    return store.open(request).compose(payment -> {
      if (payment.tombstone()) {
        // The cancel came first (this request was queued, or delivered late): nothing may be captured.
        LOG.warn("order {}: refused a charge that arrived after the order was cancelled", request.orderId());
        countRefused("tombstone");
        return Future.failedFuture(ServiceException.conflict("order " + request.orderId()
            + " was cancelled before it was charged; the charge is refused and nothing was captured"));
      }
      if (!payment.matches(request)) {
        return Future.failedFuture(ServiceException.conflict("order " + request.orderId()
            + " already has a payment for another user or amount"));
      }
      Future<Payment> settled = settled(payment);
      return settled != null ? settled : callProvider(payment);
    });
  }

  /** REFUNDED or NONE once no capture is left for the order. */
  Future<PaymentCancelled> cancel(UUID orderId) {
    return store.beginCancel(orderId).compose(start -> {
      PaymentRow payment = start.payment();
      if (payment == null) {
        LOG.info("cancel of order {}: it was never charged; a tombstone refuses any later charge", orderId);
        return Future.succeededFuture(cancelReply(orderId, Outcome.NONE));
      }
      if (payment.is(PaymentStatus.NEEDS_ATTENTION)) {
        return Future.failedFuture(attention(orderId, payment.attentionReason()));
      }
      if (!start.askProvider()) {
        // Never attempted, declined, or settled by an earlier cancel: the row alone answers.
        boolean refunded = payment.is(PaymentStatus.REFUNDED);
        LOG.info("cancel of order {}: {} (no provider call needed)", orderId, refunded ? "already refunded" : "nothing captured");
        return Future.succeededFuture(cancelReply(orderId, refunded ? Outcome.REFUNDED : Outcome.NONE));
      }
      return settleRecorded(orderId);
    });
  }

  /**
   * Settles a begun cancel; a failure leaves the compensation pending (its next try put off by the
   * backoff) for the refund sweeper, which calls {@link #cancel} again when it is due.
   */
  private Future<PaymentCancelled> settleRecorded(UUID orderId) {
    return settleCancel(orderId).recover(failure -> store.refundFailed(orderId, failure.getMessage())
        .transform(recorded -> {
          if (recorded.failed()) {
            LOG.warn("order {}: could not record the failed compensation: {}", orderId, recorded.cause().getMessage());
          } else if (recorded.result()) {
            LOG.warn("order {}: the cancel could not settle ({}); the refund sweeper tries it again", orderId, failure.getMessage());
          }
          return Future.<PaymentCancelled>failedFuture(failure);
        }));
  }

  Future<Payment> get(UUID orderId) {
    return store.get(orderId).compose(payment -> payment == null || payment.tombstone()
        ? Future.failedFuture(ServiceException.notFound("no payment for order " + orderId
            + (payment == null ? "" : " (it was cancelled before it was charged)")))
        : Future.succeededFuture(payment.toPayment()));
  }

  /** The answer for a payment whose outcome is already known, or null when the provider must be asked. */
  private Future<Payment> settled(PaymentRow payment) {
    if (payment.tombstone()) {
      return refusedCancelled(payment.orderId());
    }
    switch (PaymentStatus.valueOf(payment.status())) {
      case CAPTURED:
        return Future.succeededFuture(payment.toPayment());
      case DECLINED:
        return Future.failedFuture(declined(payment.orderId(), payment.declineReason()));
      case FAILED:
      case REFUNDED:
        return refusedCancelled(payment.orderId());
      default:
        return payment.cancelRequested() ? refusedCancelled(payment.orderId()) : null;
    }
  }

  /** A charge of an order whose payment is cancelled (or being cancelled): refused, and counted. */
  private Future<Payment> refusedCancelled(UUID orderId) {
    countRefused("cancelled");
    return Future.failedFuture(cancelled(orderId));
  }

  private void countRefused(String reason) {
    if (registry != null) {
      Counter.builder(REFUSED_METRIC)
          .description("Charges refused because the order's payment was cancelled first (tombstone: before any charge reached payments)")
          .tag("reason", reason)
          .register(registry)
          .increment();
    }
  }

  private Future<Payment> callProvider(PaymentRow payment) {
    UUID orderId = payment.orderId();
    // "attempted" is committed before each call: a cancel that finds it unset knows no capture exists.
    return provider.charge(orderId, payment.amount(), payment.currency(), () -> store.markAttempted(orderId)
            .compose(allowed -> allowed ? Future.<Void>succeededFuture() : Future.failedFuture(new CallNotAllowed())))
        .compose(outcome -> outcome instanceof Captured captured
            ? onCaptured(orderId, captured.chargeId())
            : onDeclined(orderId, (Declined) outcome))
        .recover(failure -> {
          if (!(failure instanceof CallNotAllowed)) {
            return Future.failedFuture(failure);
          }
          // Settled meanwhile, by a concurrent charge or a cancel: answer what the payment became.
          return store.get(orderId).compose(now -> {
            Future<Payment> settled = now == null ? null : settled(now);
            return settled != null ? settled : Future.failedFuture(new ServiceException(ErrorCode.INTERNAL,
                "payment of order " + orderId + " is in an unexpected state"));
          });
        });
  }

  private Future<Payment> onCaptured(UUID orderId, String chargeId) {
    return store.capture(orderId, chargeId).compose(captured -> {
      if (captured != null) {
        LOG.info("order {} charged: {} captured as {}", orderId, captured.amount(), chargeId);
        return Future.succeededFuture(captured.toPayment());
      }
      return store.get(orderId).compose(now -> {
        if (now.is(PaymentStatus.CAPTURED) && chargeId.equals(now.providerChargeId())) {
          // A concurrent charge of the same order recorded the same capture first.
          return Future.succeededFuture(now.toPayment());
        }
        // A cancel began while this capture was in flight. Record it for what it is, then refund it:
        // the cancel may have looked at the provider before the capture existed there.
        LOG.warn("order {} was cancelled while being charged: refunding the late capture {}", orderId, chargeId);
        Future<Void> recorded = now.is(PaymentStatus.REFUNDED)
            ? Future.succeededFuture()
            : store.recordLateCapture(orderId, chargeId);
        return recorded.compose(v -> settleRecorded(orderId))
            .compose(settled -> Future.failedFuture(ServiceException.conflict("the payment of order " + orderId
                + " was cancelled while being charged; the capture was refunded")));
      });
    });
  }

  private Future<Payment> onDeclined(UUID orderId, Declined outcome) {
    return store.decline(orderId, outcome.chargeId(), outcome.reason()).compose(declined -> {
      if (declined != null) {
        LOG.info("order {}: payment declined ({})", orderId, outcome.reason());
        return Future.failedFuture(declined(orderId, outcome.reason()));
      }
      return store.get(orderId).compose(now -> {
        Future<Payment> settled = settled(now);
        return settled != null ? settled : Future.failedFuture(declined(orderId, outcome.reason()));
      });
    });
  }

  /**
   * Asks the provider for every charge of the order and refunds each captured one not refunded yet
   * (key {@code refund-<chargeId>}, so concurrent settlements refund once), then records the outcome.
   */
  private Future<PaymentCancelled> settleCancel(UUID orderId) {
    return provider.charges(orderId).compose(charges -> {
      List<ProviderCharge> captured = charges.stream().filter(ProviderCharge::captured).toList();
      Future<Void> refunds = Future.succeededFuture();
      for (ProviderCharge charge : captured) {
        if (!charge.refunded()) {
          refunds = refunds.compose(v -> provider.refund(charge.id()));
        }
      }
      return refunds.recover(failure -> failure instanceof ProviderClient.NoRecord noRecord
              ? needsAttention(orderId, noRecord.getMessage())
              : Future.failedFuture(failure))
          .compose(v -> store.get(orderId)).compose(now -> {
        if (now.is(PaymentStatus.CAPTURED)
            && captured.stream().noneMatch(charge -> charge.id().equals(now.providerChargeId()))) {
          // We recorded a capture the provider does not know (it lost its books, say): whether money is
          // taken cannot be established here. Neither refunded nor kept silently, nor looked up for ever.
          return needsAttention(orderId, "the payment provider has no record of charge " + now.providerChargeId());
        }
        if (!captured.isEmpty()) {
          return store.markRefunded(orderId, captured.get(0).id()).onSuccess(refunded -> {
            if (refunded != null) {
              LOG.info("order {} cancelled: capture {} refunded", orderId, refunded.providerChargeId());
            }
          }).mapEmpty();
        }
        if (now.is(PaymentStatus.FAILED)) {
          return store.rechecked(orderId);
        }
        return store.markFailed(orderId).onSuccess(v2 -> LOG.info("order {} cancelled: the provider holds no capture", orderId));
      }).compose(v -> store.get(orderId)).compose(done -> {
        if (done.is(PaymentStatus.REFUNDED)) {
          return Future.succeededFuture(cancelReply(orderId, Outcome.REFUNDED));
        }
        if (done.is(PaymentStatus.CAPTURED)) {
          // A capture landed after the lookup; the charge that made it is refunding it, and a new cancel will see it.
          return Future.failedFuture(ServiceException.unavailable("a capture of order " + orderId
              + " arrived during the cancel: cancel again to refund it"));
        }
        return Future.succeededFuture(cancelReply(orderId, Outcome.NONE));
      });
    });
  }

  /**
   * Marks the payment NEEDS_ATTENTION (logged, counted by the gauge, kept off the sweeper) and fails
   * CONFLICT: asked again, the row answers the same without calling the provider.
   */
  private <T> Future<T> needsAttention(UUID orderId, String reason) {
    return store.markNeedsAttention(orderId, reason).compose(marked -> {
      if (marked) {
        LOG.error("payment of order {} NEEDS_ATTENTION: {}; an operator must check it at the provider", orderId, reason);
      }
      return Future.failedFuture(attention(orderId, reason));
    });
  }

  private static ServiceException attention(UUID orderId, String reason) {
    return ServiceException.conflict("the payment of order " + orderId + " needs attention: " + reason
        + "; its capture state cannot be established, an operator must settle it");
  }

  private static PaymentCancelled cancelReply(UUID orderId, Outcome status) {
    return new PaymentCancelled(orderId, status);
  }

  private static ServiceException declined(UUID orderId, String reason) {
    return new ServiceException(ErrorCode.PAYMENT_DECLINED, "the payment of order " + orderId + " was declined"
        + (reason == null ? "" : ": " + reason));
  }

  private static ServiceException cancelled(UUID orderId) {
    return ServiceException.conflict("the payment of order " + orderId + " was cancelled");
  }
}
