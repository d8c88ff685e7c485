package dev.vertxshop.provider;

import dev.vertxshop.platform.observability.Correlation;
import dev.vertxshop.provider.Ledger.Reply;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The payment provider stand-in: the card-processor API on one port ({@code /v1}) and its admin API on
 * another ({@code /admin}), so that the admin stays reachable while {@code /v1} suffers an outage.
 *
 * <p>Single instance by design: the books ({@link Ledger}), the knobs and the seeded random source live
 * in this verticle and are touched only on its event loop. A charge is decided and recorded the moment
 * it arrives; latency delays only the answer, like a slow network, so a caller that gave up can still
 * find the charge by its reference.
 */
public final class ProviderVerticle extends VerticleBase {

  /** The header binding a request to its first answer. */
  public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

  private static final Logger LOG = LoggerFactory.getLogger(ProviderVerticle.class);
  private static final Pattern KEY = Pattern.compile("[\\x21-\\x7E]{1,255}");
  private static final Pattern REFERENCE = Pattern.compile("[\\x21-\\x7E]{1,128}");
  private static final long BODY_LIMIT = 16 * 1024;

  private final ProviderConfig config;
  private final Ledger ledger = new Ledger();
  private final Random random;
  private Faults faults;
  private Router apiRouter;
  private HttpServer api;
  private HttpServer admin;
  private int apiPort;
  // Outage switches run one after the other, each reconciling the listener with the latest knobs.
  private Future<Void> outageSwitch = Future.succeededFuture();

  public ProviderVerticle(ProviderConfig config) {
    this.config = config;
    this.faults = config.faults();
    this.random = new Random(config.seed());
  }

  @Override
  public Future<?> start() {
    apiRouter = apiRouter();
    admin = vertx.createHttpServer().requestHandler(adminRouter());
    // The /v1 port is bound even when starting in an outage, so that a configured port 0 is resolved
    // once and the same port comes back when the outage ends.
    return Future.join(openApi(config.port()), admin.listen(config.adminPort(), config.host()))
        .compose(v -> faults.outage() ? closeApi() : Future.<Void>succeededFuture())
        .onSuccess(v -> LOG.info("payment provider stand-in: /v1 on {}:{}{}, /admin on port {}, faults {}, seed {}",
            config.host(), apiPort, faults.outage() ? " (closed: outage)" : "", admin.actualPort(), faults.toJson().encode(),
            config.seed()));
  }

  @Override
  public Future<?> stop() {
    long grace = config.shutdownGrace().toMillis();
    // Graceful: no new connections, in-flight answers (latency included) finish within the grace.
    Future<Void> apiStopped = api == null ? Future.succeededFuture() : api.shutdown(grace, TimeUnit.MILLISECONDS);
    return Future.join(apiStopped, admin.shutdown(grace, TimeUnit.MILLISECONDS));
  }

  private Router apiRouter() {
    Router router = Router.router(vertx);
    router.route().handler(ctx -> {
      Correlation.bind(ctx.request().getHeader(Correlation.HEADER));
      ctx.next();
    });
    router.route("/v1/*").handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT));
    router.route("/v1/*").handler(this::injectFailure);
    router.post("/v1/charges").handler(this::charge);
    router.post("/v1/charges/:id/refunds").handler(this::refund);
    router.get("/v1/charges").handler(ctx -> answer(ctx, new Reply(200, ledger.charges(reference(ctx, true)))));
    onErrors(router, this::answer);
    return router;
  }

  private Router adminRouter() {
    Router router = Router.router(vertx);
    router.route("/admin/*").handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT));
    router.get("/admin/faults").handler(ctx -> send(ctx, new Reply(200, faults.toJson())));
    router.put("/admin/faults").handler(this::updateFaults);
    router.get("/admin/stats").handler(ctx -> send(ctx, new Reply(200, ledger.stats())));
    router.get("/admin/charges").handler(ctx -> send(ctx, new Reply(200, ledger.charges(reference(ctx, false)))));
    router.post("/admin/forget").handler(ctx -> {
      Reply reply = ledger.forget();
      LOG.warn("forgot {} charges and every idempotency key, as a restart would", reply.body().getLong("forgotten"));
      send(ctx, reply);
    });
    onErrors(router, ProviderVerticle::send);
    return router;
  }

  private void injectFailure(RoutingContext ctx) {
    ledger.requestReceived();
    // Drawn for every request, whatever the rate, so that one seed gives one sequence of decisions.
    if (random.nextDouble() < faults.failureRate()) {
      ledger.failureInjected();
      answer(ctx, Ledger.error(500, "internal", "injected failure: the request was not processed"));
      return;
    }
    ctx.next();
  }

  private void charge(RoutingContext ctx) {
    String key = idempotencyKey(ctx);
    ChargeRequest request = ChargeRequest.parse(jsonBody(ctx));
    long queued = faults.processingDelay().toMillis();
    if (queued == 0) {
      process(ctx, key, request);
    } else {
      // Still processed if the caller gave up meanwhile: the request reached the provider.
      vertx.setTimer(queued, id -> process(ctx, key, request));
    }
  }

  private void process(RoutingContext ctx, String key, ChargeRequest request) {
    double declineRate = faults.declineRate();
    Reply reply = ledger.charge(key, request, () -> random.nextDouble() < declineRate);
    LOG.debug("charge {} for {}: {}", key, request.reference(), reply.status());
    answer(ctx, reply);
  }

  private void refund(RoutingContext ctx) {
    String key = idempotencyKey(ctx);
    // Refunds are always of the whole charge: the body, if any, must be an empty object.
    Buffer raw = ctx.body().buffer();
    if (raw != null && raw.length() > 0) {
      Object body = jsonBody(ctx);
      if (!(body instanceof JsonObject json) || !json.isEmpty()) {
        throw new InvalidRequest("a refund takes no fields: the whole charge is refunded");
      }
    }
    // Drawn only while the knob is set, so that seeded runs without it keep their sequence of decisions.
    if (faults.refundFailureRate() > 0 && random.nextDouble() < faults.refundFailureRate()) {
      ledger.failureInjected();
      answer(ctx, Ledger.error(500, "internal", "injected refund failure: the refund was not made"));
      return;
    }
    Reply reply = ledger.refund(key, ctx.pathParam("id"));
    LOG.debug("refund {} of {}: {}", key, ctx.pathParam("id"), reply.status());
    answer(ctx, reply);
  }

  private void updateFaults(RoutingContext ctx) {
    if (!(jsonBody(ctx) instanceof JsonObject partial)) {
      throw new InvalidRequest("the body must be a JSON object");
    }
    Faults previous = faults;
    faults = previous.merge(partial);
    if (!faults.equals(previous)) {
      LOG.info("faults changed from {} to {}", previous.toJson().encode(), faults.toJson().encode());
    }
    outageSwitch = outageSwitch.transform(ignored -> reconcileOutage());
    outageSwitch.onComplete(
        ok -> send(ctx, new Reply(200, faults.toJson())),
        failure -> send(ctx, Ledger.error(503, "unavailable", "the /v1 listener could not be re-opened: " + failure.getMessage())));
  }

  /** Opens or closes the {@code /v1} listener to match the outage knob; the answer comes once it has. */
  private Future<Void> reconcileOutage() {
    if (faults.outage() && api != null) {
      return closeApi().onSuccess(v -> LOG.warn("outage: /v1 listener on port {} closed", apiPort));
    }
    if (!faults.outage() && api == null) {
      return openApi(apiPort).onSuccess(v -> LOG.info("outage over: /v1 listening again on port {}", apiPort));
    }
    return Future.succeededFuture();
  }

  private Future<Void> openApi(int port) {
    HttpServer server = vertx.createHttpServer().requestHandler(apiRouter);
    return server.listen(port, config.host()).map(bound -> {
      api = bound;
      apiPort = bound.actualPort();
      return null;
    });
  }

  // A plain close, not a graceful shutdown: connections in flight break, as they would in a real outage.
  private Future<Void> closeApi() {
    HttpServer server = api;
    api = null;
    return server.close();
  }

  /** Answers a {@code /v1} request after the latency in force when it arrived. */
  private void answer(RoutingContext ctx, Reply reply) {
    long delay = faults.latency().toMillis();
    if (delay == 0) {
      send(ctx, reply);
    } else {
      vertx.setTimer(delay, id -> send(ctx, reply));
    }
  }

  private static void send(RoutingContext ctx, Reply reply) {
    HttpServerResponse response = ctx.response();
    // The caller may have given up (deadline) or the outage may have cut the connection meanwhile.
    if (response.closed() || response.ended()) {
      return;
    }
    response.setStatusCode(reply.status())
        .putHeader("content-type", "application/json")
        .end(reply.body().toBuffer())
        .onFailure(failure -> LOG.debug("answer to {} not delivered: {}", ctx.request().path(), failure.toString()));
  }

  private static void onErrors(Router router, BiConsumer<RoutingContext, Reply> respond) {
    router.route().failureHandler(ctx -> respond.accept(ctx, failureReply(ctx)));
    for (int status : List.of(404, 405)) {
      router.errorHandler(status, ctx -> respond.accept(ctx, failureReply(ctx)));
    }
  }

  private static Reply failureReply(RoutingContext ctx) {
    if (ctx.failure() instanceof InvalidRequest invalid) {
      return Ledger.error(400, "bad_request", invalid.getMessage());
    }
    switch (ctx.statusCode()) {
      case 400:
        return Ledger.error(400, "bad_request", "bad request");
      case 404:
        return Ledger.error(404, "not_found", "no such resource: " + ctx.request().method() + " " + ctx.request().path());
      case 405:
        return Ledger.error(405, "method_not_allowed", ctx.request().method() + " is not allowed on " + ctx.request().path());
      case 413:
        return Ledger.error(413, "payload_too_large", "the body is larger than " + BODY_LIMIT + " bytes");
      default:
        LOG.error("unexpected failure on {} {}", ctx.request().method(), ctx.request().path(), ctx.failure());
        return Ledger.error(500, "internal", "internal error");
    }
  }

  private static String idempotencyKey(RoutingContext ctx) {
    String key = ctx.request().getHeader(IDEMPOTENCY_KEY);
    if (key == null || !KEY.matcher(key).matches()) {
      throw new InvalidRequest("the " + IDEMPOTENCY_KEY + " header is required: 1 to 255 printable characters");
    }
    return key;
  }

  private static String reference(RoutingContext ctx, boolean required) {
    List<String> values = ctx.queryParam("reference");
    if (values.isEmpty()) {
      if (required) {
        throw new InvalidRequest("the 'reference' query parameter is required");
      }
      return null;
    }
    if (values.size() > 1 || !REFERENCE.matcher(values.get(0)).matches()) {
      throw new InvalidRequest("'reference' must be given once, 1 to 128 printable characters without spaces");
    }
    return values.get(0);
  }

  private static Object jsonBody(RoutingContext ctx) {
    Buffer buffer = ctx.body().buffer();
    if (buffer == null || buffer.length() == 0) {
      throw new InvalidRequest("the body must be a JSON object");
    }
    try {
      return Json.decodeValue(buffer);
    } catch (DecodeException e) {
      throw new InvalidRequest("the body is not valid JSON");
    }
  }
}
