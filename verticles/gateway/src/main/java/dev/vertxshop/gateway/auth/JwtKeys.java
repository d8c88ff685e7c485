package dev.vertxshop.gateway.auth;

import dev.vertxshop.contracts.users.UsersClient;
import dev.vertxshop.contracts.users.UsersContract;
import dev.vertxshop.gateway.GatewayConfig;
import dev.vertxshop.platform.errors.ErrorCode;
import dev.vertxshop.platform.errors.ServiceException;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one owner of the gateway's token verification keys (actor style: its state is touched on its own event
 * loop only). The keys come from {@code SHOP_JWT_PUBLIC_KEY}, or from the users service's JWKS, fetched in the
 * background until it answers, so that the gateway can start before the users service. HTTP instances ask for
 * the keys over local event-bus addresses and are told of every change; a token naming an unknown {@code kid}
 * makes them ask for a refresh, which is granted at most once per {@code SHOP_GATEWAY_JWKS_REFRESH_INTERVAL}.
 *
 * <p>From the users service, the trusted keys are the union of every key seen, by a fetch (at start, every
 * {@code SHOP_GATEWAY_JWKS_REFRESH_EVERY}, on an unknown kid) or an announcement on {@code users.jwks.changed},
 * within the grace window: the token lifetime the JWKS states plus the leeway. So a key a users instance no longer
 * publishes is dropped only once every token it signed has expired, and during a rolling update, where replicas
 * publish different sets, the trusted set does not flip from one replica's to the other's.
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

  /** Gauge: the keys trusted now. */
  public static final String KEYS_METRIC = "shop.gateway.jwks.keys";
  /** Counter: key sets taken in, by {@code trigger} (start, retry, schedule, kid, notice) and {@code outcome}. */
  public static final String REFRESHES_METRIC = "shop.gateway.jwks.refreshes";
  /** Counter: keys dropped after their grace window. */
  public static final String DROPPED_METRIC = "shop.gateway.jwks.keys.dropped";

  /** The JWKS member stating the lifetime of the tokens its keys sign, in seconds. */
  static final String TOKEN_LIFETIME = "tokenLifetimeSeconds";
  /**
   * The grace of a removed key when no JWKS has stated the token lifetime (an older users service): the longest
   * lifetime the users service allows, so that no valid token is ever refused for want of the figure.
   */
  static final Duration DEFAULT_TOKEN_LIFETIME = Duration.ofDays(1);

  static final String SOURCE_CONFIG = "config";
  static final String SOURCE_USERS = "users";

  private static final Logger LOG = LoggerFactory.getLogger(JwtKeys.class);

  /** A key seen from the users service, and when it was last seen (published by some replica). */
  private record Seen(JsonObject jwk, long lastSeenNanos) {
  }

  private final GatewayConfig config;
  private final MeterRegistry registry;
  private final List<Meter> meters = new ArrayList<>();
  private final Map<String, Seen> seen = new LinkedHashMap<>();
  private volatile int trustedCount;
  private Duration statedLifetime;
  private JsonObject keySet;
  private Future<JsonObject> inFlight;
  private long lastFetchNanos;
  private boolean fetchedOnce;
  private int failedFetches;
  private int failedScheduled;
  private long retryTimer = -1;
  private long scheduleTimer = -1;
  private long dropTimer = -1;
  private boolean stopped;
  private UsersClient client;

  public JwtKeys(GatewayConfig config, MeterRegistry registry) {
    this.config = config;
    this.registry = registry;
  }

  @Override
  public Future<?> start() {
    client = new UsersClient(vertx, config.deadline());
    if (registry != null) {
      meters.add(Gauge.builder(KEYS_METRIC, this, keys -> keys.trustedCount)
          .description("token verification keys the gateway trusts").register(registry));
    }
    MessageConsumer<JsonObject> current = vertx.eventBus().localConsumer(CURRENT, this::current);
    MessageConsumer<JsonObject> refresh = vertx.eventBus().localConsumer(REFRESH, this::refresh);
    if (config.jwtPublicKey().isPresent()) {
      return Future.join(current.completion(), refresh.completion()).compose(v -> {
        JsonObject jwk = config.jwtPublicKey().get();
        install(SOURCE_CONFIG, List.of(jwk));
        LOG.info("token verification key from SHOP_JWT_PUBLIC_KEY (kid {})", jwk.getString("kid"));
        return Future.<Void>succeededFuture();
      });
    }
    // Cluster-wide: every users instance announces its key set once it serves it.
    MessageConsumer<JsonObject> announced = vertx.eventBus().consumer(UsersContract.JWKS_CHANGED, this::announced);
    return Future.join(current.completion(), refresh.completion(), announced.completion()).compose(v -> {
      scheduleTimer = vertx.setPeriodic(config.jwksRefreshEvery().toMillis(), id -> scheduled());
      // The first attempt is awaited, so that a node that runs users too serves tokens as soon as it is ready;
      // its failure is not: the users service may start later, protected routes answer 503 meanwhile.
      return fetchUntilLoaded("start").<Void>mapEmpty().otherwiseEmpty();
    });
  }

  @Override
  public Future<?> stop() {
    stopped = true;
    for (long timer : new long[] {retryTimer, scheduleTimer, dropTimer}) {
      if (timer >= 0) {
        vertx.cancelTimer(timer);
      }
    }
    if (registry != null) {
      meters.forEach(registry::remove);
    }
    return Future.succeededFuture();
  }

  /** Whether there are keys to verify with. */
  private boolean loaded() {
    return keySet != null && !keySet.getJsonArray("keys").isEmpty();
  }

  private void current(Message<JsonObject> message) {
    if (!loaded()) {
      message.fail(ErrorCode.UNAVAILABLE.busCode(), "token keys are not loaded yet");
    } else {
      message.reply(keySet);
    }
  }

  private void refresh(Message<JsonObject> message) {
    String kid = message.body() == null ? null : message.body().getString("kid");
    if (loaded() && (SOURCE_CONFIG.equals(keySet.getString("source")) || seen.containsKey(kid))) {
      // Configured keys are never replaced at run time; a key already known needs no fetch.
      message.reply(keySet);
      return;
    }
    Future<JsonObject> answer;
    if (inFlight != null) {
      answer = inFlight;
    } else if (fetchedOnce && System.nanoTime() - lastFetchNanos < config.jwksRefreshInterval().toNanos()) {
      // Rate limit: a stream of tokens with made-up kids must not turn into a stream of JWKS requests.
      answer = !loaded() ? Future.failedFuture(ServiceException.unavailable("token keys are not loaded yet"))
          : Future.succeededFuture(keySet);
    } else {
      LOG.info("token with unknown kid {}: fetching the users service's keys again", kid);
      answer = fetch("kid");
    }
    answer.onComplete(message::reply, failure -> message.fail(ServiceException.from(failure).failureCode(),
        failure.getMessage()));
  }

  /** A users instance announcing the key set it now serves: merged at once, like a fetched one. */
  private void announced(Message<JsonObject> message) {
    if (stopped) {
      return;
    }
    try {
      observe(message.body(), "notice");
    } catch (ServiceException e) {
      LOG.warn("users.jwks.changed: {}", e.getMessage());
    }
  }

  /** Every {@code SHOP_GATEWAY_JWKS_REFRESH_EVERY}: the keys again, so that a missed announcement costs one period. */
  private void scheduled() {
    if (stopped || !loaded()) {
      // Until the first key set, the retry loop fetches.
      return;
    }
    fetch("schedule").onComplete(ok -> failedScheduled = 0, failure -> {
      // The keys in hand stay trusted (within their grace); the next period tries again.
      if (failedScheduled++ == 0) {
        LOG.warn("scheduled fetch of users.jwks failed ({}); keeping the {} trusted keys", failure.getMessage(), seen.size());
      }
    });
  }

  /** Fetches the keys, and again every {@code SHOP_GATEWAY_JWKS_RETRY} until it works; completes with the first attempt. */
  private Future<JsonObject> fetchUntilLoaded(String trigger) {
    if (stopped || loaded()) {
      return Future.succeededFuture(keySet);
    }
    return fetch(trigger).onFailure(failure -> {
      if (stopped || loaded()) {
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
        fetchUntilLoaded("retry");
      });
    });
  }

  /** One JWKS request; concurrent callers share it. Completes with the key set in force afterwards. */
  private Future<JsonObject> fetch(String trigger) {
    if (inFlight != null) {
      return inFlight;
    }
    lastFetchNanos = System.nanoTime();
    fetchedOnce = true;
    Promise<JsonObject> done = Promise.promise();
    inFlight = done.future();
    // Not through the users breaker: this background poll failing while users starts must not make the
    // breaker refuse the clients' sign-ins once it is up.
    client.jwks().map(jwks -> observe(jwks, trigger)).onComplete(result -> {
      inFlight = null;
      if (result.failed()) {
        count(trigger, "failed");
      }
      done.handle(result);
    });
    return done.future();
  }

  /**
   * Takes in a JWKS from the users service: its keys are seen now, keys not seen within the grace window are
   * dropped, and the HTTP instances are told if the trusted set changed.
   *
   * @throws ServiceException UNAVAILABLE when it holds no usable key (then nothing is taken in)
   */
  private JsonObject observe(JsonObject jwks, String trigger) {
    List<String> skipped = new ArrayList<>();
    List<JsonObject> keys = PublicKeys.fromJwks(jwks, skipped);
    if (!skipped.isEmpty()) {
      LOG.warn("users.jwks: left out {}", skipped);
    }
    if (keys.isEmpty()) {
      if (!"notice".equals(trigger)) {
        throw ServiceException.unavailable("users.jwks holds no usable RS256 key");
      }
      count(trigger, "failed");
      throw ServiceException.unavailable("the announced key set holds no usable RS256 key");
    }
    if (jwks.getValue(TOKEN_LIFETIME) instanceof Number lifetime && lifetime.longValue() > 0
        && lifetime.longValue() <= DEFAULT_TOKEN_LIFETIME.toSeconds()) {
      Duration stated = Duration.ofSeconds(lifetime.longValue());
      // The longest any replica states: a token of the longest-lived kind must never outlive its key's trust.
      if (statedLifetime == null || stated.compareTo(statedLifetime) > 0) {
        statedLifetime = stated;
      }
    }
    long now = System.nanoTime();
    for (JsonObject jwk : keys) {
      Seen before = seen.get(jwk.getString("kid"));
      if (before == null) {
        LOG.info("users publishes a new token key, kid {} (by {})", jwk.getString("kid"), trigger);
      }
      seen.put(jwk.getString("kid"), new Seen(jwk, now));
    }
    count(trigger, "ok");
    dropExpired();
    return keySet;
  }

  /** The time a key stays trusted after it was last seen: every token it signed has expired by then. */
  private Duration grace() {
    return (statedLifetime == null ? DEFAULT_TOKEN_LIFETIME : statedLifetime).plus(config.jwtLeeway());
  }

  /** Drops the keys not seen within the grace window, installs the trusted set, and arms the timer of the next drop. */
  private void dropExpired() {
    if (stopped) {
      return;
    }
    long now = System.nanoTime();
    long graceNanos = grace().toNanos();
    long nextDrop = Long.MAX_VALUE;
    for (Iterator<Map.Entry<String, Seen>> it = seen.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, Seen> entry = it.next();
      long age = now - entry.getValue().lastSeenNanos();
      if (age >= graceNanos) {
        it.remove();
        LOG.info("token key {} not published by the users service for {} s (the token lifetime plus the leeway): "
            + "no longer trusted", entry.getKey(), age / 1_000_000_000L);
        if (registry != null) {
          registry.counter(DROPPED_METRIC).increment();
        }
      } else {
        nextDrop = Math.min(nextDrop, graceNanos - age);
      }
    }
    if (dropTimer >= 0) {
      vertx.cancelTimer(dropTimer);
      dropTimer = -1;
    }
    if (nextDrop != Long.MAX_VALUE) {
      long delayMs = Math.max(1, nextDrop / 1_000_000L + 1);
      dropTimer = vertx.setTimer(delayMs, id -> {
        dropTimer = -1;
        dropExpired();
      });
    }
    List<JsonObject> trusted = new ArrayList<>();
    seen.values().forEach(key -> trusted.add(key.jwk()));
    install(SOURCE_USERS, trusted);
  }

  private void install(String source, List<JsonObject> keys) {
    trustedCount = keys.size();
    JsonArray array = new JsonArray(new ArrayList<>(keys));
    if (keySet != null && keySet.getJsonArray("keys").equals(array)) {
      return;
    }
    long version = keySet == null ? 1 : keySet.getLong("version") + 1;
    keySet = new JsonObject().put("version", version).put("source", source).put("keys", array);
    // Published even when empty, so that the instances stop trusting the last keys too.
    vertx.eventBus().publish(CHANGED, keySet);
    if (keys.isEmpty()) {
      // Every key outlived its grace without being seen again (the users service gone for longer than a token
      // lives): tokens can no longer be checked, protected routes answer 503 until a JWKS is fetched again.
      LOG.warn("no token key left: every key was dropped after its grace window; fetching users.jwks again");
      fetchUntilLoaded("retry");
      return;
    }
    if (SOURCE_USERS.equals(source)) {
      LOG.info("token keys in force (version {}, kids {})", version, seen.keySet());
    }
    failedFetches = 0;
  }

  private void count(String trigger, String outcome) {
    if (registry != null) {
      registry.counter(REFRESHES_METRIC, "trigger", trigger, "outcome", outcome).increment();
    }
  }
}
