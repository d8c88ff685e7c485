package dev.vertxshop.provider;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/**
 * The stand-in's books: charges, refunds, idempotency keys and totals, in memory.
 *
 * <p>Deliberately not thread-safe: only the provider verticle touches it, always on its own event
 * loop, so every operation is atomic without locks. A restart forgets everything, as the stand-in
 * only has to be consistent for the life of one process.
 */
final class Ledger {

  /** An HTTP answer: status and JSON body. */
  record Reply(int status, JsonObject body) {
  }

  private record Stored(String fingerprint, Reply reply) {
  }

  private static final class Charge {
    private final String id;
    private final boolean captured;
    private final long amount;
    private final String currency;
    private final String reference;
    private final Instant createdAt;
    private final String declineReason;
    private String refundId;

    private Charge(String id, boolean captured, ChargeRequest request, Instant createdAt, String declineReason) {
      this.id = id;
      this.captured = captured;
      this.amount = request.amount();
      this.currency = request.currency();
      this.reference = request.reference();
      this.createdAt = createdAt;
      this.declineReason = declineReason;
    }
  }

  static final String DECLINE_REASON = "card_declined";

  private final Map<String, Stored> byKey = new HashMap<>();
  private final Map<String, Charge> charges = new LinkedHashMap<>();
  private final Map<String, List<Charge>> byReference = new HashMap<>();
  private long requests;
  private long failuresInjected;
  private long captures;
  private long declines;
  private long refunds;
  private long capturedAmount;
  private long refundedAmount;

  /** Counts one {@code /v1} request, whatever becomes of it. */
  void requestReceived() {
    requests++;
  }

  /** Counts one request answered 500 on purpose (nothing else recorded). */
  void failureInjected() {
    failuresInjected++;
  }

  /**
   * Captures or declines a charge, or replays the answer already given under {@code key}: a key is
   * bound to its first request for ever, so a retry can never capture twice. {@code decline} is asked
   * only for a new charge.
   */
  Reply charge(String key, ChargeRequest request, BooleanSupplier decline) {
    Reply previous = replay(key, request.fingerprint());
    if (previous != null) {
      return previous;
    }
    boolean declined = decline.getAsBoolean();
    Charge charge = new Charge("ch_" + UUID.randomUUID(), !declined, request, Instant.now(), declined ? DECLINE_REASON : null);
    charges.put(charge.id, charge);
    byReference.computeIfAbsent(charge.reference, r -> new ArrayList<>()).add(charge);
    Reply reply;
    if (declined) {
      declines++;
      reply = new Reply(402, new JsonObject().put("id", charge.id).put("status", "declined").put("reason", charge.declineReason));
    } else {
      captures++;
      capturedAmount += charge.amount;
      reply = new Reply(201, new JsonObject()
          .put("id", charge.id)
          .put("status", "captured")
          .put("amount", charge.amount)
          .put("currency", charge.currency)
          .put("reference", charge.reference)
          .put("createdAt", charge.createdAt.toString()));
    }
    byKey.put(key, new Stored(request.fingerprint(), reply));
    return copy(reply);
  }

  /** Refunds a captured charge in full, once; a replayed key gives the first answer again. */
  Reply refund(String key, String chargeId) {
    String fingerprint = "refund " + chargeId;
    Reply previous = replay(key, fingerprint);
    if (previous != null) {
      return previous;
    }
    Charge charge = charges.get(chargeId);
    if (charge == null) {
      return error(404, "not_found", "no charge " + chargeId);
    }
    if (!charge.captured) {
      return error(409, "conflict", "charge " + chargeId + " was declined; there is nothing to refund");
    }
    if (charge.refundId != null) {
      return error(409, "conflict", "charge " + chargeId + " is already refunded (" + charge.refundId + ")");
    }
    charge.refundId = "re_" + UUID.randomUUID();
    refunds++;
    refundedAmount += charge.amount;
    Reply reply = new Reply(201, new JsonObject()
        .put("id", charge.refundId)
        .put("chargeId", charge.id)
        .put("status", "refunded")
        .put("amount", charge.amount));
    byKey.put(key, new Stored(fingerprint, reply));
    return copy(reply);
  }

  /**
   * Forgets every charge and idempotency key, as a restart of a provider that lost its books would; the
   * totals since start are kept (they are the stand-in's own counters, not its books).
   */
  Reply forget() {
    int forgotten = charges.size();
    charges.clear();
    byReference.clear();
    byKey.clear();
    return new Reply(200, new JsonObject().put("forgotten", forgotten));
  }

  /** The charges made for {@code reference} (every charge when null), oldest first. */
  JsonObject charges(String reference) {
    Iterable<Charge> selected = reference == null ? charges.values() : byReference.getOrDefault(reference, List.of());
    JsonArray items = new JsonArray();
    for (Charge charge : selected) {
      JsonObject item = new JsonObject()
          .put("id", charge.id)
          .put("status", charge.captured ? "captured" : "declined")
          .put("amount", charge.amount)
          .put("currency", charge.currency)
          .put("reference", charge.reference)
          .put("createdAt", charge.createdAt.toString())
          .put("refunded", charge.refundId != null);
      if (charge.refundId != null) {
        item.put("refundId", charge.refundId);
      }
      if (charge.declineReason != null) {
        item.put("reason", charge.declineReason);
      }
      items.add(item);
    }
    return new JsonObject().put("items", items);
  }

  /** Totals since start; amounts are minor units summed across currencies (the shop uses one). */
  JsonObject stats() {
    return new JsonObject()
        .put("requests", requests)
        .put("failuresInjected", failuresInjected)
        .put("captures", captures)
        .put("declines", declines)
        .put("refunds", refunds)
        .put("capturedAmount", capturedAmount)
        .put("refundedAmount", refundedAmount)
        .put("netCapturedAmount", capturedAmount - refundedAmount);
  }

  private Reply replay(String key, String fingerprint) {
    Stored stored = byKey.get(key);
    if (stored == null) {
      return null;
    }
    if (!stored.fingerprint().equals(fingerprint)) {
      return error(409, "conflict", "the Idempotency-Key was already used for a different request");
    }
    return copy(stored.reply());
  }

  static Reply error(int status, String error, String message) {
    return new Reply(status, new JsonObject().put("error", error).put("message", message));
  }

  // Callers may decorate what they send; the stored answer must stay as it was first given.
  private static Reply copy(Reply reply) {
    return new Reply(reply.status(), reply.body().copy());
  }
}
