package dev.vertxshop.gateway;

import static dev.vertxshop.gateway.GatewayNodes.authorized;
import static dev.vertxshop.gateway.GatewayNodes.pause;
import static dev.vertxshop.gateway.GatewayNodes.poll;
import static dev.vertxshop.gateway.GatewayNodes.request;
import static dev.vertxshop.gateway.GatewayNodes.signUp;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vertxshop.platform.boot.ShopNode;
import dev.vertxshop.platform.config.DatabaseConfig;
import dev.vertxshop.platform.config.Env;
import dev.vertxshop.platform.db.Databases;
import dev.vertxshop.platform.testing.ShopTestEnv;
import dev.vertxshop.users.UsersApiVerticle;
import dev.vertxshop.users.UsersConfig;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.sqlclient.Pool;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The gateway's trust in token keys while the real users service rotates them. The gateway runs on a node of its
 * own; users replicas are the users service's own API verticle ({@link UsersApiVerticle}) deployed on that node's
 * Vert.x over the shared PostgreSQL, so that a test can restart a replica with other key settings, as an operator
 * restarts a users process, while the gateway keeps running.
 */
@DisplayName("Gateway token keys across a users key rotation: announced at once, removed keys dropped after their grace, no failed request under load")
@ExtendWith(VertxExtension.class)
class GatewayKeyRotationTest {

  private static final TestTokens.Key K1 = TestTokens.Key.generate();
  private static final TestTokens.Key K2 = TestTokens.Key.generate();

  private ShopNode node;
  private GatewayService gateway;
  private WebClient client;
  private Vertx testVertx;
  private Pool pool;
  private final Map<String, String> replicas = new LinkedHashMap<>();

  @BeforeEach
  void setUp(Vertx vertx) {
    testVertx = vertx;
    client = WebClient.create(vertx);
  }

  @AfterEach
  void tearDown(VertxTestContext ctx) {
    if (node == null) {
      ctx.completeNow();
      return;
    }
    Future<Void> closed = pool == null ? Future.succeededFuture() : pool.close();
    // Not composed: a future of the node's context cannot complete once its Vert.x is closed.
    closed.onComplete(ignored -> node.stop().onComplete(ctx.succeedingThenComplete()));
  }

  /** A node running the gateway alone, and the users schema migrated for the replicas. */
  private Future<Void> startGateway(Map<String, String> overrides) {
    gateway = new GatewayService();
    Map<String, String> vars = new HashMap<>(Map.of("SHOP_GATEWAY_JWKS_RETRY", "200ms"));
    vars.putAll(overrides);
    Env env = ShopTestEnv.shared(GatewayNodes.gatewayVars(vars));
    DatabaseConfig database = DatabaseConfig.from(env);
    return GatewayNodes.start(env, gateway).compose(started -> {
      node = started;
      return Databases.migrate(node.vertx(), database, "users");
    }).map(v -> {
      pool = Databases.pool(node.vertx(), database, "users");
      return null;
    });
  }

  /**
   * (Re)starts the users replica {@code name}: its API verticle undeployed, then deployed again signing with
   * {@code signer} and publishing {@code extras} as well, with tokens of {@code ttl}. Another replica keeps serving
   * meanwhile, if there is one.
   */
  private Future<Void> users(String name, TestTokens.Key signer, List<TestTokens.Key> extras, String ttl) {
    Map<String, String> vars = new HashMap<>(GatewayNodes.cheapUsers());
    vars.put("SHOP_JWT_PRIVATE_KEY", signer.privatePem());
    vars.put("SHOP_JWT_TTL", ttl);
    if (!extras.isEmpty()) {
      vars.put("SHOP_JWT_EXTRA_PUBLIC_KEYS", extras.stream().map(TestTokens.Key::publicPem).collect(Collectors.joining()));
    }
    UsersConfig config = UsersConfig.from(Env.of(vars));
    String old = replicas.remove(name);
    Future<Void> stopped = old == null ? Future.succeededFuture() : node.vertx().undeploy(old);
    return stopped.compose(v -> node.vertx().deployVerticle(() -> new UsersApiVerticle(pool, config, config.signingKey()),
        new DeploymentOptions().setInstances(1))).map(id -> {
          replicas.put(name, id);
          return null;
        });
  }

  private Future<HttpResponse<Buffer>> me(String token) {
    return authorized(client, gateway, HttpMethod.GET, "/api/users/me", token).send();
  }

  private Future<String> login(String email) {
    return request(client, gateway, HttpMethod.POST, "/api/auth/login")
        .sendJsonObject(new JsonObject().put("email", email).put("password", GatewayNodes.PASSWORD))
        .map(response -> {
          assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
          return response.bodyAsJsonObject().getString("token");
        });
  }

  private static String kid(String token) {
    return new JsonObject(new String(Base64.getUrlDecoder().decode(token.split("\\.")[0]), StandardCharsets.UTF_8))
        .getString("kid");
  }

  /** One series of the node's {@code /metrics}, summed over its labels that contain {@code labelPart}. */
  private Future<Double> metric(String name, String labelPart) {
    return client.get(node.opsPort(), "127.0.0.1", "/metrics").send().map(response -> {
      double sum = 0;
      boolean found = false;
      for (String line : response.bodyAsString().split("\n")) {
        if (line.startsWith(name + " ") || line.startsWith(name + "{") && line.contains(labelPart)) {
          sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
          found = true;
        }
      }
      if (!found) {
        throw new AssertionError("no " + name + " in /metrics");
      }
      return sum;
    });
  }

  @Test
  @Timeout(value = 3, timeUnit = TimeUnit.MINUTES)
  @DisplayName("a key the users service no longer publishes verifies for the token lifetime plus the leeway, then is refused, without a gateway restart")
  void removedKeyDroppedAfterGrace(VertxTestContext ctx) {
    // Grace: 30 s of token lifetime (the smallest SHOP_JWT_TTL) + 1 s of leeway; K1 is last seen at most one
    // scheduled fetch (2 s) before it is removed.
    long graceMs = 31_000;
    long scheduleMs = 2_000;
    AtomicLong removedAt = new AtomicLong();
    AtomicLong lastOk = new AtomicLong();
    Refusal firstRefusal = new Refusal();
    startGateway(Map.of("SHOP_GATEWAY_JWT_LEEWAY", "1s", "SHOP_GATEWAY_JWKS_REFRESH_EVERY", scheduleMs + "ms",
            "SHOP_GATEWAY_JWKS_REFRESH_INTERVAL", "1s"))
        .compose(v -> users("a", K1, List.of(), "30s"))
        .compose(v -> signUp(client, gateway, "rotation-drop", null))
        .compose(session -> {
          // Signed by K1 and valid for an hour: only the key's trust can make it fail.
          String k1Token = K1.token(session.userId());
          return poll(testVertx, () -> me(k1Token), response -> response.statusCode() == 200, Duration.ofSeconds(10))
              .compose(loaded -> users("a", K2, List.of(), "30s"))
              .compose(v -> {
                removedAt.set(System.nanoTime());
                return me(k1Token);
              })
              .compose(during -> {
                assertThat(during.statusCode()).as("K1 right after its removal: %s", during.bodyAsString()).isEqualTo(200);
                return login(session.email());
              })
              .compose(k2Token -> {
                assertThat(kid(k2Token)).isEqualTo(K2.kid());
                return me(k2Token).map(response -> {
                  assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
                  return k2Token;
                });
              })
              .compose(k2Token -> poll(testVertx, () -> me(k1Token), response -> {
                long elapsed = (System.nanoTime() - removedAt.get()) / 1_000_000;
                if (response.statusCode() == 200) {
                  lastOk.set(elapsed);
                  return false;
                }
                firstRefusal.set(elapsed, response.statusCode(), response.bodyAsString());
                return true;
              }, Duration.ofMillis(graceMs + 30_000))
                  // A K2 token of an hour: the one signed in with lives only 30 s, as long as the grace.
                  .compose(refused -> me(K2.token(session.userId()))))
              .compose(k2After -> {
                System.out.printf("removed key: K1 verified until %d ms after its removal, first refused at %d ms (%d %s); "
                        + "grace %d ms, scheduled fetch every %d ms%n", lastOk.get(), firstRefusal.elapsed,
                    firstRefusal.status, firstRefusal.body, graceMs, scheduleMs);
                assertThat(firstRefusal.status).as(firstRefusal.body).isEqualTo(401);
                assertThat(firstRefusal.elapsed).as("refused after the grace window, not before")
                    .isGreaterThanOrEqualTo(graceMs - scheduleMs - 1_000);
                assertThat(lastOk.get()).as("verified during the grace window").isGreaterThanOrEqualTo(graceMs - scheduleMs - 3_000);
                assertThat(firstRefusal.elapsed).isLessThanOrEqualTo(graceMs + 10_000);
                assertThat(k2After.statusCode()).as("the signing key still verifies").isEqualTo(200);
                return Future.all(metric("shop_gateway_jwks_keys", ""), metric("shop_gateway_jwks_keys_dropped_total", ""));
              });
        })
        .onComplete(ctx.succeeding(metrics -> ctx.verify(() -> {
          assertThat(metrics.<Double>resultAt(0)).isEqualTo(1.0);
          assertThat(metrics.<Double>resultAt(1)).isEqualTo(1.0);
          ctx.completeNow();
        })));
  }

  /** The first refusal a poll saw: when (ms after the removal), its status and body. */
  private static final class Refusal {
    private volatile long elapsed = -1;
    private volatile int status;
    private volatile String body;

    void set(long elapsed, int status, String body) {
      this.elapsed = elapsed;
      this.status = status;
      this.body = body;
    }
  }

  @Test
  @Timeout(value = 2, timeUnit = TimeUnit.MINUTES)
  @DisplayName("a users replica starting with a new key announces it: the gateway verifies its tokens at once, with the schedule and the unknown-kid refresh out of reach")
  void announcedKeyTakenAtOnce(VertxTestContext ctx) {
    AtomicLong restartedAt = new AtomicLong();
    // Neither the scheduled fetch nor a fetch for an unknown kid can happen within the test: only the
    // announcement can bring K2.
    startGateway(Map.of("SHOP_GATEWAY_JWKS_REFRESH_EVERY", "10m", "SHOP_GATEWAY_JWKS_REFRESH_INTERVAL", "10m"))
        .compose(v -> users("a", K1, List.of(), "60s"))
        .compose(v -> signUp(client, gateway, "rotation-announce", null))
        .compose(session -> poll(testVertx, () -> me(session.token()), response -> response.statusCode() == 200,
                Duration.ofSeconds(10))
            .compose(loaded -> users("a", K2, List.of(K1), "60s"))
            .compose(v -> {
              restartedAt.set(System.nanoTime());
              return login(session.email());
            })
            .compose(k2Token -> {
              assertThat(kid(k2Token)).isEqualTo(K2.kid());
              return poll(testVertx, () -> me(k2Token), response -> response.statusCode() == 200, Duration.ofSeconds(5));
            })
            .compose(ok -> {
              System.out.printf("announced key: a K2 token verified %d ms after the replica restarted with it%n",
                  (System.nanoTime() - restartedAt.get()) / 1_000_000);
              // The previous key is still published, and so still trusted.
              return me(session.token());
            }))
        .compose(old -> {
          assertThat(old.statusCode()).as(old.bodyAsString()).isEqualTo(200);
          return metric("shop_gateway_jwks_refreshes_total", "trigger=\"notice\"");
        })
        .onComplete(ctx.succeeding(notices -> ctx.verify(() -> {
          assertThat(notices).isGreaterThanOrEqualTo(2.0);
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 3, timeUnit = TimeUnit.MINUTES)
  @DisplayName("a three-step rotation over two users replicas, restarted one after the other, under 20 signed-in requests/s: no request fails")
  void rotationUnderLoad(VertxTestContext ctx) {
    int ratePerSecond = 20;
    long durationMs = 20_000;
    int total = (int) (ratePerSecond * durationMs / 1000);
    int userCount = 4;
    List<GatewayNodes.Session> sessions = new ArrayList<>();
    List<String> tokens = new CopyOnWriteArrayList<>();
    Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
    Map<Integer, AtomicInteger> signInStatuses = new ConcurrentHashMap<>();
    Map<String, AtomicInteger> requestsByKid = new ConcurrentHashMap<>();
    AtomicInteger k1AfterDrop = new AtomicInteger();
    AtomicInteger sent = new AtomicInteger();
    AtomicInteger answered = new AtomicInteger();
    AtomicInteger inFlight = new AtomicInteger();
    Map<String, Long> steps = new LinkedHashMap<>();
    List<String> failures = new CopyOnWriteArrayList<>();
    AtomicLong started = new AtomicLong();
    AtomicLong droppedAt = new AtomicLong(Long.MAX_VALUE);

    startGateway(Map.of())
        .compose(v -> users("a", K1, List.of(), "60s"))
        .compose(v -> users("b", K1, List.of(), "60s"))
        .compose(v -> {
          Future<Void> chain = Future.succeededFuture();
          for (int i = 0; i < userCount; i++) {
            chain = chain.compose(x -> signUp(client, gateway, "rotation-load", null).map(session -> {
              sessions.add(session);
              tokens.add(session.token());
              return null;
            }));
          }
          return chain;
        })
        .compose(v -> {
          started.set(System.nanoTime());
          Promise<Void> loadDone = Promise.promise();
          long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(durationMs + 15_000);
          // Requests at a steady rate, each with the next token of the pool (old and new ones alike).
          testVertx.setPeriodic(1000 / ratePerSecond, id -> {
            if (sent.get() >= total || System.nanoTime() > deadline) {
              testVertx.cancelTimer(id);
              return;
            }
            int n = sent.getAndIncrement();
            String token = tokens.get(n % tokens.size());
            String kid = kid(token);
            requestsByKid.computeIfAbsent(kid, k -> new AtomicInteger()).incrementAndGet();
            boolean afterDrop = System.nanoTime() > droppedAt.get();
            inFlight.incrementAndGet();
            me(token).onComplete(response -> {
              inFlight.decrementAndGet();
              statuses.computeIfAbsent(response.statusCode(), k -> new AtomicInteger()).incrementAndGet();
              if (response.statusCode() != 200) {
                failures.add(elapsed(started) + " ms: " + response.statusCode() + " " + response.bodyAsString() + " (kid " + kid + ")");
              } else if (afterDrop && K1.kid().equals(kid)) {
                k1AfterDrop.incrementAndGet();
              }
              if (answered.incrementAndGet() == total) {
                loadDone.tryComplete();
              }
            }, failure -> {
              inFlight.decrementAndGet();
              statuses.computeIfAbsent(-1, k -> new AtomicInteger()).incrementAndGet();
              failures.add(elapsed(started) + " ms: " + failure);
              if (answered.incrementAndGet() == total) {
                loadDone.tryComplete();
              }
            });
          });
          // A sign-in every second: new tokens, from whichever replica answers, join the pool.
          AtomicInteger signIns = new AtomicInteger();
          testVertx.setPeriodic(1000, id -> {
            if (sent.get() >= total || System.nanoTime() > deadline) {
              testVertx.cancelTimer(id);
              return;
            }
            String email = sessions.get(signIns.getAndIncrement() % sessions.size()).email();
            inFlight.incrementAndGet();
            request(client, gateway, HttpMethod.POST, "/api/auth/login")
                .sendJsonObject(new JsonObject().put("email", email).put("password", GatewayNodes.PASSWORD))
                .onComplete(response -> {
                  inFlight.decrementAndGet();
                  signInStatuses.computeIfAbsent(response.statusCode(), k -> new AtomicInteger()).incrementAndGet();
                  if (response.statusCode() == 200) {
                    tokens.add(response.bodyAsJsonObject().getString("token"));
                  } else {
                    failures.add(elapsed(started) + " ms: sign-in " + response.statusCode() + " " + response.bodyAsString());
                  }
                }, failure -> {
                  inFlight.decrementAndGet();
                  failures.add(elapsed(started) + " ms: sign-in " + failure);
                });
          });
          testVertx.setTimer(durationMs + 20_000, id -> loadDone.tryComplete());
          // The operator's three steps, each a restart of replica a, then of b.
          Future<Void> rotation = pause(testVertx, 3_000)
              .compose(x -> quiet(inFlight)).compose(x -> users("a", K1, List.of(K2), "60s"))
              .compose(x -> pause(testVertx, 1_000))
              .compose(x -> quiet(inFlight)).compose(x -> users("b", K1, List.of(K2), "60s"))
              .map(x -> steps.put("1 publish K2", elapsed(started)))
              .compose(x -> pause(testVertx, 4_000))
              .compose(x -> quiet(inFlight)).compose(x -> users("a", K2, List.of(K1), "60s"))
              .compose(x -> pause(testVertx, 1_000))
              .compose(x -> quiet(inFlight)).compose(x -> users("b", K2, List.of(K1), "60s"))
              .map(x -> steps.put("2 sign with K2, K1 kept", elapsed(started)))
              .compose(x -> pause(testVertx, 4_000))
              .compose(x -> quiet(inFlight)).compose(x -> users("a", K2, List.of(), "60s"))
              .compose(x -> pause(testVertx, 1_000))
              .compose(x -> quiet(inFlight)).compose(x -> users("b", K2, List.of(), "60s"))
              .map(x -> {
                droppedAt.set(System.nanoTime());
                steps.put("3 drop K1", elapsed(started));
                return null;
              });
          return Future.all(rotation, loadDone.future());
        })
        // NaN when the gauge is missing: the figures are printed first.
        .compose(v -> metric("shop_gateway_jwks_keys", "").otherwise(Double.NaN))
        .onComplete(ctx.succeeding(keys -> ctx.verify(() -> {
          long tookMs = elapsed(started);
          Map<String, Integer> byKid = new TreeMap<>();
          requestsByKid.forEach((kid, count) -> byKid.put(kid.equals(K1.kid()) ? "K1" : kid.equals(K2.kid()) ? "K2" : kid, count.get()));
          System.out.printf("rotation under load: %d requests in %d ms (%.1f/s), statuses %s, by token key %s, "
                  + "K1 tokens verified after K1's removal %d; sign-ins %s; steps done at %s ms; gateway keys at the end %.0f; "
                  + "failures %s%n", answered.get(), tookMs, answered.get() * 1000.0 / tookMs, new TreeMap<>(statuses), byKid,
              k1AfterDrop.get(), new TreeMap<>(signInStatuses), steps, keys, failures);
          assertThat(failures).as("failed requests").isEmpty();
          assertThat(answered.get()).isEqualTo(total);
          assertThat(statuses.get(200).get()).isEqualTo(total);
          assertThat(steps).hasSize(3);
          assertThat(byKid.getOrDefault("K2", 0)).as("requests with tokens signed by the new key").isPositive();
          assertThat(k1AfterDrop.get()).as("tokens signed by the old key, after it was removed").isPositive();
          // K1 is still within its grace: tokens it signed may still be in use.
          assertThat(keys).isEqualTo(2.0);
          ctx.completeNow();
        })));
  }

  /**
   * Completes once no request of the load is in flight (at most 5 s later). A replica is restarted then, as a
   * rolling restart waits for a replica to drain: in one JVM, a request the event bus has just handed to a
   * consumer that unregisters is dropped unanswered (504), which is not what this test is about; a clustered
   * gateway sends such a request again to another replica when the node leaves.
   */
  private Future<Void> quiet(AtomicInteger inFlight) {
    Promise<Void> done = Promise.promise();
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    quietOnce(inFlight, until, done);
    return done.future();
  }

  private void quietOnce(AtomicInteger inFlight, long until, Promise<Void> done) {
    if (inFlight.get() == 0 || System.nanoTime() > until) {
      done.complete();
    } else {
      testVertx.setTimer(1, id -> quietOnce(inFlight, until, done));
    }
  }

  private static long elapsed(AtomicLong startedNanos) {
    return (System.nanoTime() - startedNanos.get()) / 1_000_000;
  }
}
