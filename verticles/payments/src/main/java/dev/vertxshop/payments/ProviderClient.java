package dev.vertxshop.payments;

import dev.vertxshop.platform.errors.ErrorCode;
import dev.vertxshop.platform.errors.ServiceException;
import dev.vertxshop.platform.observability.Correlation;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The payment provider's HTTP API as payments uses it. Every attempt goes through the circuit breaker
 * and has its own deadline; failed attempts are retried a bounded number of times with the SAME
 * idempotency key, so a retry after a lost answer replays the first outcome instead of charging again.
 */
final class ProviderClient {

  /** What a charge came to at the provider. */
  sealed interface ChargeOutcome permits Captured, Declined {
  }

  record Captured(String chargeId) implements ChargeOutcome {
  }

  record Declined(String chargeId, String reason) implements ChargeOutcome {
  }

  /** A charge as the provider's lookup lists it. */
  record ProviderCharge(String id, boolean captured, boolean refunded, long amount) {
  }

  /** The provider answered that it has no record of a charge we know of. */
  static final class NoRecord extends RuntimeException {
    NoRecord(String message) {
      super(message, null, false, false);
    }
  }

  /** Thrown by a pre-call step that decided the call must not be made. */
  static final class CallNotAllowed extends RuntimeException {
    CallNotAllowed() {
      super("call not allowed", null, false, false);
    }
  }

  private static final Logger LOG = LoggerFactory.getLogger(ProviderClient.class);
  private static final String IDEMPOTENCY_KEY = "Idempotency-Key";
  // Provider ids go into a URL path: only plain tokens are accepted from it.
  private static final Pattern PROVIDER_ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");

  private final Vertx vertx;
  private final PaymentsConfig config;
  private final CircuitBreaker breaker;
  private final WebClient client;

  ProviderClient(Vertx vertx, PaymentsConfig config, CircuitBreaker breaker) {
    this.vertx = vertx;
    this.config = config;
    this.breaker = breaker;
    WebClientOptions options = new WebClientOptions()
        .setDefaultHost(config.providerHost())
        .setDefaultPort(config.providerPort())
        .setSsl(config.providerSsl())
        .setConnectTimeout((int) config.providerTimeout().toMillis())
        .setKeepAlive(true)
        .setMetricsName("payment-provider");
    // The pool bounds concurrent calls; waiting for a connection counts against each attempt's deadline.
    this.client = WebClient.create(vertx, options, new PoolOptions().setHttp1MaxSize(config.providerConnections()));
  }

  void close() {
    client.close();
  }

  /**
   * Charges {@code amount} for the order, at most once whatever the retries (key {@code charge-<orderId>}).
   * {@code beforeEachCall} runs before every attempt that the breaker lets through; failing it with
   * {@link CallNotAllowed} stops without calling. A decline is an outcome, not a failure. Fails
   * UNAVAILABLE when no attempt got a verdict and none can have had an effect, TIMEOUT when one may
   * have been processed unheard, CONFLICT when the provider refuses the key.
   */
  Future<ChargeOutcome> charge(UUID orderId, long amount, String currency, Supplier<Future<Void>> beforeEachCall) {
    String key = "charge-" + orderId;
    Buffer body = new JsonObject().put("amount", amount).put("currency", currency).put("reference", orderId.toString()).toBuffer();
    return withRetries("charge of order " + orderId + " (key " + key + ")", beforeEachCall,
        () -> send(HttpMethod.POST, "/v1/charges", key, body).compose(ProviderClient::chargeOutcome));
  }

  /** Every charge the provider made for the order (its reference), captured or not. */
  Future<List<ProviderCharge>> charges(UUID orderId) {
    return withRetries("charge lookup of order " + orderId, Future::succeededFuture,
        () -> send(HttpMethod.GET, "/v1/charges?reference=" + orderId, null, null).compose(ProviderClient::chargeList));
  }

  /** Refunds a captured charge in full (key {@code refund-<chargeId>}); a charge already refunded is fine. */
  Future<Void> refund(String chargeId) {
    if (!PROVIDER_ID.matcher(chargeId).matches()) {
      return Future.failedFuture(internal("unexpected provider charge id"));
    }
    return withRetries("refund of " + chargeId + " (key refund-" + chargeId + ")", Future::succeededFuture,
        () -> send(HttpMethod.POST, "/v1/charges/" + chargeId + "/refunds", "refund-" + chargeId, null).compose(response -> {
          switch (response.statusCode()) {
            case 201:
              return Future.<Void>succeededFuture();
            case 404:
              return Future.failedFuture(new NoRecord("the payment provider has no record of charge " + chargeId
                  + " (refund answered 404)"));
            case 409:
              // Refunded already under another key: the goal, no capture left, holds.
              LOG.info("charge {} was already refunded: {}", chargeId, response.bodyAsString());
              return Future.<Void>succeededFuture();
            default:
              return Future.failedFuture(unexpected("refund of " + chargeId, response));
          }
        }));
  }

  private <T> Future<T> withRetries(String operation, Supplier<Future<Void>> beforeEachCall, Supplier<Future<T>> call) {
    return attempt(operation, beforeEachCall, call, 1, false);
  }

  private <T> Future<T> attempt(String operation, Supplier<Future<Void>> beforeEachCall, Supplier<Future<T>> call,
      int number, boolean unknownSoFar) {
    return breaker.<T>execute(() -> beforeEachCall.get().compose(v -> call.get())).recover(failure -> {
      if (failure instanceof OpenCircuitException) {
        // No call was made by this attempt; earlier ones may still have had an effect.
        return Future.failedFuture(giveUp(operation, number - 1, unknownSoFar, "circuit breaker open"));
      }
      if (!(failure instanceof ProviderFault fault)) {
        return Future.failedFuture(failure);
      }
      boolean unknown = unknownSoFar || fault.outcomeUnknown();
      if (number > config.retries()) {
        return Future.failedFuture(giveUp(operation, number, unknown, fault.getMessage()));
      }
      long pause = Math.max(1, config.backoff(number).toMillis());
      LOG.warn("{}: attempt {} failed ({}); retrying in {} ms", operation, number, fault.getMessage(), pause);
      return vertx.timer(pause, TimeUnit.MILLISECONDS)
          .compose(v -> attempt(operation, beforeEachCall, call, number + 1, unknown));
    });
  }

  private static ServiceException giveUp(String operation, int attempts, boolean outcomeUnknown, String reason) {
    if (attempts == 0) {
      // Short-circuited by the open breaker: one WARN when it opened is enough, not one per call.
      LOG.debug("{}: not attempted: {}", operation, reason);
    } else {
      LOG.warn("{}: giving up after {} attempt(s): {}{}", operation, attempts, reason,
          outcomeUnknown ? " (outcome unknown)" : "");
    }
    if (outcomeUnknown) {
      return new ServiceException(ErrorCode.TIMEOUT, "the payment provider did not answer in time (" + reason
          + "); the outcome is unknown: cancel the payment to settle it");
    }
    return ServiceException.unavailable("the payment provider is unavailable (" + reason + ", "
        + attempts + " attempt(s))");
  }

  /**
   * One HTTP exchange within the per-attempt deadline. Unavailability (5xx, no connection, no answer)
   * fails with {@link ProviderFault}; every other answer, a 402 included, is a response to interpret.
   */
  private Future<HttpResponse<Buffer>> send(HttpMethod method, String uri, String key, Buffer body) {
    long deadline = config.providerTimeout().toMillis();
    HttpRequest<Buffer> request = client.request(method, uri).timeout(deadline);
    if (key != null) {
      request.putHeader(IDEMPOTENCY_KEY, key);
    }
    String correlationId = Correlation.current();
    if (correlationId != null) {
      request.putHeader(Correlation.HEADER, correlationId);
    }
    Future<HttpResponse<Buffer>> sent = body == null
        ? request.send()
        : request.putHeader("content-type", "application/json").sendBuffer(body);
    // The request timeout covers connecting and silence; this bounds the whole exchange.
    return sent.timeout(deadline, TimeUnit.MILLISECONDS).transform(result -> {
      if (result.failed()) {
        return Future.failedFuture(ProviderFault.of(result.cause()));
      }
      HttpResponse<Buffer> response = result.result();
      if (response.statusCode() >= 500) {
        return Future.failedFuture(new ProviderFault(ProviderFault.Kind.SERVER_ERROR, "HTTP " + response.statusCode()));
      }
      return Future.succeededFuture(response);
    });
  }

  private static Future<ChargeOutcome> chargeOutcome(HttpResponse<Buffer> response) {
    JsonObject body = jsonBody(response);
    String id = body == null ? null : body.getValue("id") instanceof String text ? text : null;
    switch (response.statusCode()) {
      case 201:
        if (id == null || !"captured".equals(body.getValue("status"))) {
          // A 2xx we cannot read may still be a capture: treated like an answer never received.
          return Future.failedFuture(new ProviderFault(ProviderFault.Kind.NO_ANSWER, "unreadable capture answer"));
        }
        return Future.succeededFuture(new Captured(id));
      case 402:
        if (id == null) {
          return Future.failedFuture(new ProviderFault(ProviderFault.Kind.NO_ANSWER, "unreadable decline answer"));
        }
        return Future.succeededFuture(new Declined(id, body.getValue("reason") instanceof String reason ? reason : "declined"));
      case 409:
        return Future.failedFuture(ServiceException.conflict("the payment provider refused the charge: "
            + (body != null && body.getValue("message") instanceof String message ? message : "conflict")));
      default:
        return Future.failedFuture(unexpected("charge", response));
    }
  }

  private static Future<List<ProviderCharge>> chargeList(HttpResponse<Buffer> response) {
    JsonObject body = jsonBody(response);
    if (response.statusCode() != 200 || body == null || !(body.getValue("items") instanceof JsonArray items)) {
      return Future.failedFuture(unexpected("charge lookup", response));
    }
    List<ProviderCharge> charges = new ArrayList<>(items.size());
    for (Object value : items) {
      if (!(value instanceof JsonObject item) || !(item.getValue("id") instanceof String id)
          || !(item.getValue("status") instanceof String status) || !(item.getValue("amount") instanceof Number amount)) {
        return Future.failedFuture(unexpected("charge lookup", response));
      }
      charges.add(new ProviderCharge(id, "captured".equals(status), Boolean.TRUE.equals(item.getValue("refunded")),
          amount.longValue()));
    }
    return Future.succeededFuture(charges);
  }

  private static JsonObject jsonBody(HttpResponse<Buffer> response) {
    try {
      return response.body() == null ? null : response.bodyAsJsonObject();
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static ServiceException unexpected(String what, HttpResponse<Buffer> response) {
    String text = response.bodyAsString();
    LOG.error("unexpected answer from the payment provider to the {}: HTTP {} {}", what, response.statusCode(),
        text == null ? "" : text.length() > 500 ? text.substring(0, 500) + "..." : text);
    return internal("unexpected answer from the payment provider");
  }

  private static ServiceException internal(String message) {
    return new ServiceException(ErrorCode.INTERNAL, message);
  }
}
