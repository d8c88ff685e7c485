package dev.vertxshop.gateway.auth;

import dev.vertxshop.contracts.users.UsersClient;
import dev.vertxshop.gateway.GatewayConfig;
import dev.vertxshop.platform.errors.ErrorCode;
import dev.vertxshop.platform.errors.ServiceException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one owner of the gateway's token verification keys (actor style: its state is touched on its own event
 * loop only). The keys come from {@code SHOP_JWT_PUBLIC_KEY}, or from the users service's JWKS, fetched in the
 * background until it answers, so that the gateway can start before the users service. HTTP instances ask for
 * the keys over local event-bus addresses and are told of every change; a token naming an unknown {@code kid}
 * makes them ask for a refresh, which is granted at most once per {@code SHOP_GATEWAY_JWKS_REFRESH_INTERVAL}.
 *
 * <p>A key set travels as {@code {"version": n, "source": "config"|"users", "keys": [JWK]}}.
 */
public final class JwtKeys extends VerticleBase {

  /** Local request {@code {}}: the current key set, or UNAVAILABLE while none is loaded. */
  public static final String CURRENT = "gateway.auth.keys";
  /** Local request {@code {"kid"}}: the key set after a refresh, if one is due, else the current one. */
  public static final String REFRESH = "gateway.auth.keys.refresh";
  /** Local publication of every new key set. */
  public static final String CHANGED = "gateway.auth.keys.changed";

  static final String SOURCE_CONFIG = "config";
  static final String SOURCE_USERS = "users";

  private static final Logger LOG = LoggerFactory.getLogger(JwtKeys.class);

  private final GatewayConfig config;
  private JsonObject keySet;
  private Future<JsonObject> inFlight;
  private long lastFetchNanos;
  private boolean fetchedOnce;
  private int failedFetches;
  private long retryTimer = -1;
  private boolean stopped;
  private UsersClient client;

  public JwtKeys(GatewayConfig config) {
    this.config = config;
  }

  @Override
  public Future<?> start() {
    client = new UsersClient(vertx, config.deadline());
    MessageConsumer<JsonObject> current = vertx.eventBus().localConsumer(CURRENT, this::current);
    MessageConsumer<JsonObject> refresh = vertx.eventBus().localConsumer(REFRESH, this::refresh);
    return Future.join(current.completion(), refresh.completion()).compose(v -> {
      if (config.jwtPublicKey().isPresent()) {
        JsonObject jwk = config.jwtPublicKey().get();
        install(SOURCE_CONFIG, List.of(jwk));
        LOG.info("token verification key from SHOP_JWT_PUBLIC_KEY (kid {})", jwk.getString("kid"));
        return Future.<Void>succeededFuture();
      }
      // The first attempt is awaited, so that a node that runs users too serves tokens as soon as it is ready;
      // its failure is not: the users service may start later, protected routes answer 503 meanwhile.
      return fetchUntilLoaded().<Void>mapEmpty().otherwiseEmpty();
    });
  }

  @Override
  public Future<?> stop() {
    stopped = true;
    if (retryTimer >= 0) {
      vertx.cancelTimer(retryTimer);
    }
    return Future.succeededFuture();
  }

  private void current(Message<JsonObject> message) {
    if (keySet == null) {
      message.fail(ErrorCode.UNAVAILABLE.busCode(), "token keys are not loaded yet");
    } else {
      message.reply(keySet);
    }
  }

  private void refresh(Message<JsonObject> message) {
    String kid = message.body() == null ? null : message.body().getString("kid");
    if (keySet != null && (SOURCE_CONFIG.equals(keySet.getString("source")) || kids().contains(kid))) {
      // Configured keys are never replaced at run time; a key already known needs no fetch.
      message.reply(keySet);
      return;
    }
    Future<JsonObject> answer;
    if (inFlight != null) {
      answer = inFlight;
    } else if (fetchedOnce && System.nanoTime() - lastFetchNanos < config.jwksRefreshInterval().toNanos()) {
      // Rate limit: a stream of tokens with made-up kids must not turn into a stream of JWKS requests.
      answer = keySet == null ? Future.failedFuture(ServiceException.unavailable("token keys are not loaded yet"))
          : Future.succeededFuture(keySet);
    } else {
      LOG.info("token with unknown kid {}: fetching the users service's keys again", kid);
      answer = fetch();
    }
    answer.onComplete(message::reply, failure -> message.fail(ServiceException.from(failure).failureCode(),
        failure.getMessage()));
  }

  /** Fetches the keys, and again every {@code SHOP_GATEWAY_JWKS_RETRY} until it works; completes with the first attempt. */
  private Future<JsonObject> fetchUntilLoaded() {
    if (stopped || keySet != null) {
      return Future.succeededFuture(keySet);
    }
    return fetch().onFailure(failure -> {
      if (stopped || keySet != null) {
        return;
      }
      failedFetches++;
      // One WARN, then quieter: the users service starting later than the gateway is normal.
      if (failedFetches == 1) {
        LOG.warn("token keys not loaded ({}); protected routes answer 503, retrying every {} ms", failure.getMessage(),
            config.jwksRetry().toMillis());
      } else {
        LOG.debug("token keys still not loaded after {} attempts: {}", failedFetches, failure.getMessage());
      }
      retryTimer = vertx.setTimer(config.jwksRetry().toMillis(), id -> {
        retryTimer = -1;
        fetchUntilLoaded();
      });
    });
  }

  /** One JWKS request; concurrent callers share it. Completes with the key set in force afterwards. */
  private Future<JsonObject> fetch() {
    if (inFlight != null) {
      return inFlight;
    }
    lastFetchNanos = System.nanoTime();
    fetchedOnce = true;
    Promise<JsonObject> done = Promise.promise();
    inFlight = done.future();
    // Not through the users breaker: this background poll failing while users starts must not make the
    // breaker refuse the clients' sign-ins once it is up.
    client.jwks().compose(jwks -> {
      List<String> skipped = new ArrayList<>();
      List<JsonObject> keys = PublicKeys.fromJwks(jwks, skipped);
      if (!skipped.isEmpty()) {
        LOG.warn("users.jwks: left out {}", skipped);
      }
      if (keys.isEmpty()) {
        return Future.failedFuture(ServiceException.unavailable("users.jwks holds no usable RS256 key"));
      }
      install(SOURCE_USERS, keys);
      return Future.succeededFuture(keySet);
    }).onComplete(result -> {
      inFlight = null;
      done.handle(result);
    });
    return done.future();
  }

  private void install(String source, List<JsonObject> keys) {
    JsonArray array = new JsonArray(new ArrayList<>(keys));
    if (keySet != null && keySet.getJsonArray("keys").equals(array)) {
      return;
    }
    long version = keySet == null ? 1 : keySet.getLong("version") + 1;
    keySet = new JsonObject().put("version", version).put("source", source).put("keys", array);
    if (SOURCE_USERS.equals(source)) {
      LOG.info("token keys loaded from users.jwks (version {}, kids {})", version, kids());
    }
    failedFetches = 0;
    vertx.eventBus().publish(CHANGED, keySet);
  }

  private Set<String> kids() {
    Set<String> kids = new HashSet<>();
    if (keySet != null) {
      keySet.getJsonArray("keys").forEach(key -> kids.add(((JsonObject) key).getString("kid")));
    }
    return kids;
  }
}
