package dev.vertxshop.gateway;

import static dev.vertxshop.gateway.GatewayCatalogTest.assertError;
import static dev.vertxshop.gateway.GatewayCatalogTest.message;
import static dev.vertxshop.gateway.GatewayNodes.PASSWORD;
import static dev.vertxshop.gateway.GatewayNodes.request;
import static dev.vertxshop.gateway.GatewayNodes.uniqueEmail;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vertxshop.platform.boot.ShopNode;
import dev.vertxshop.platform.testing.ShopTestEnv;
import dev.vertxshop.users.UsersService;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.HashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Sign-in under abuse, through the real gateway in front of the real users service (embedded PostgreSQL): a
 * flood of sign-ups must not starve sign-ins, sign-ups are limited per client address, and wrong passwords slow
 * down the address they come from without keeping the owner out. Every request names its client address in
 * {@code X-Forwarded-For} (the gateway trusts it here), so that the tests' addresses never meet.
 */
@DisplayName("Gateway and users under sign-up floods and password guessing")
@ExtendWith(VertxExtension.class)
class GatewaySignInAbuseTest {

  private static final int SIGN_UPS_PER_ADDRESS = 3;
  private static final int FREE_FAILURES = 2;
  private static final int DELAY_SECONDS = 3;
  private static final AtomicInteger ADDRESSES = new AtomicInteger();

  private static ShopNode node;
  private static GatewayService gateway;
  private static WebClient client;

  @BeforeAll
  @Timeout(value = 3, timeUnit = TimeUnit.MINUTES)
  static void start(Vertx vertx, VertxTestContext ctx) {
    gateway = new GatewayService();
    client = WebClient.create(vertx, new WebClientOptions(), new PoolOptions().setHttp1MaxSize(64));
    Map<String, String> vars = new HashMap<>();
    // Argon2 costly enough (8 MiB, 2 passes) that a flood really fills the hashing queues.
    vars.put("SHOP_USERS_ARGON2_MEMORY_KIB", "8192");
    vars.put("SHOP_USERS_ARGON2_ITERATIONS", "2");
    vars.put("SHOP_USERS_HASH_THREADS", "2");
    vars.put("SHOP_USERS_REGISTER_HASH_THREADS", "1");
    vars.put("SHOP_USERS_REGISTER_HASH_QUEUE", "4");
    vars.put("SHOP_USERS_REGISTER_ADDRESS_ATTEMPTS", String.valueOf(SIGN_UPS_PER_ADDRESS));
    vars.put("SHOP_USERS_THROTTLE_FREE_ATTEMPTS", String.valueOf(FREE_FAILURES));
    vars.put("SHOP_USERS_THROTTLE_DELAY", DELAY_SECONDS + "s");
    vars.put("SHOP_USERS_THROTTLE_MAX_DELAY", "60s");
    vars.put("SHOP_GATEWAY_TRUST_FORWARDED", "true");
    vars.put("SHOP_GATEWAY_DEADLINE", "5s");
    GatewayNodes.start(ShopTestEnv.shared(GatewayNodes.gatewayVars(vars)), new UsersService(), gateway)
        .onComplete(ctx.succeeding(started -> {
          node = started;
          ctx.completeNow();
        }));
  }

  @AfterAll
  static void stop(VertxTestContext ctx) {
    if (node == null) {
      ctx.completeNow();
      return;
    }
    node.stop().onComplete(ctx.succeedingThenComplete());
  }

  /** An address that only one caller of this class uses. */
  private static String address() {
    int n = ADDRESSES.incrementAndGet();
    return "10.91." + (n / 250) + "." + (n % 250 + 1);
  }

  private static Future<HttpResponse<Buffer>> register(String from, String email) {
    return request(client, gateway, HttpMethod.POST, "/api/users").putHeader("x-forwarded-for", from)
        .sendJsonObject(new JsonObject().put("email", email).put("password", PASSWORD).put("name", "Abuse test"));
  }

  private static Future<HttpResponse<Buffer>> login(String from, String email, String password) {
    return request(client, gateway, HttpMethod.POST, "/api/auth/login").putHeader("x-forwarded-for", from)
        .sendJsonObject(new JsonObject().put("email", email).put("password", password));
  }

  private static Future<String> registered(String from) {
    String email = uniqueEmail("Abuse");
    return register(from, email).compose(response -> response.statusCode() == 201 ? Future.succeededFuture(email)
        : Future.failedFuture("registration answered " + response.statusCode() + " " + response.bodyAsString()));
  }

  @Test
  @Timeout(value = 3, timeUnit = TimeUnit.MINUTES)
  @DisplayName("a flood of 300 sign-ups from 300 addresses (64 in flight) while the owner signs in again and again: "
      + "every sign-in succeeds, none is 503")
  void signUpFloodDoesNotStarveSignIn(Vertx vertx, VertxTestContext ctx) {
    int floodSize = 300;
    Map<Integer, Integer> floodStatuses = new TreeMap<>();
    Map<Integer, Integer> loginStatuses = new TreeMap<>();
    AtomicBoolean flooding = new AtomicBoolean(true);
    String owner = address();
    registered(owner).compose(email -> {
      // The flood: each sign-up from an address of its own, so that only the hashing share can hold it back.
      List<Future<Void>> flood = new ArrayList<>();
      for (int i = 0; i < floodSize; i++) {
        flood.add(register(address(), uniqueEmail("Flood")).transform(result -> {
          int status = result.succeeded() ? result.result().statusCode() : 0;
          synchronized (floodStatuses) {
            floodStatuses.merge(status, 1, Integer::sum);
          }
          return Future.<Void>succeededFuture();
        }));
      }
      Future<Void> floodDone = Future.all(flood).<Void>mapEmpty().onComplete(done -> flooding.set(false));
      // Meanwhile, sign-ins one after another, at least 10, at most 200, until the flood is over.
      Promise<Void> loginsDone = Promise.promise();
      loginLoop(email, owner, loginStatuses, flooding, 0, loginsDone);
      return Future.all(floodDone, loginsDone.future());
    }).onComplete(ctx.succeeding(done -> ctx.verify(() -> {
      System.out.printf("sign-up flood: %s (status: count); sign-ins meanwhile: %s%n", floodStatuses, loginStatuses);
      assertThat(loginStatuses).as("every sign-in during the flood").containsOnlyKeys(200);
      assertThat(loginStatuses.get(200)).isGreaterThanOrEqualTo(10);
      assertThat(floodStatuses.keySet()).as("sign-ups are created or told to wait, nothing else").isSubsetOf(201, 429);
      assertThat(floodStatuses.getOrDefault(429, 0)).as("the flood was more than the sign-up share could take").isPositive();
      assertThat(floodStatuses.getOrDefault(201, 0)).as("sign-ups still went through").isPositive();
      ctx.completeNow();
    })));
  }

  private static void loginLoop(String email, String from, Map<Integer, Integer> statuses, AtomicBoolean flooding, int done,
      Promise<Void> finished) {
    if (done >= 200 || (done >= 10 && !flooding.get())) {
      finished.complete();
      return;
    }
    login(from, email, PASSWORD).onComplete(result -> {
      statuses.merge(result.succeeded() ? result.result().statusCode() : 0, 1, Integer::sum);
      loginLoop(email, from, statuses, flooding, done + 1, finished);
    });
  }

  @Test
  @DisplayName("sign-ups from one address beyond the limit are 429 with a JSON message and Retry-After; another address signs up")
  void signUpsLimitedPerAddress(VertxTestContext ctx) {
    String from = address();
    Future<Void> chain = Future.succeededFuture();
    for (int i = 0; i < SIGN_UPS_PER_ADDRESS; i++) {
      chain = chain.compose(v -> registered(from)).mapEmpty();
    }
    String refused = uniqueEmail("Refused");
    chain.compose(v -> register(from, refused))
        .compose(response -> {
          assertError(response, 429, "too_many_requests");
          assertThat(message(response)).matches("too many sign-ups from this address; try again in \\d+ s");
          int retryAfter = Integer.parseInt(response.getHeader("retry-after"));
          assertThat(retryAfter).isBetween(1, 15 * 60);
          assertThat(message(response)).contains("in " + retryAfter + " s");
          // Nothing was created: the e-mail is still free, from another address.
          return register(address(), refused);
        })
        .map(elsewhere -> {
          assertThat(elsewhere.statusCode()).as(elsewhere.bodyAsString()).isEqualTo(201);
          return null;
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @Timeout(value = 90, timeUnit = TimeUnit.SECONDS)
  @DisplayName("wrong passwords from one address make that address wait, longer each time, while the owner signs in from another")
  void guessingSlowsTheGuesserNotTheOwner(Vertx vertx, VertxTestContext ctx) {
    String attacker = address();
    String owner = address();
    List<Integer> waits = new ArrayList<>();
    registered(owner).compose(email -> {
      Future<Void> chain = Future.succeededFuture();
      // The free failures and the one that earns the first delay: all plain 401s.
      for (int i = 0; i <= FREE_FAILURES; i++) {
        chain = chain.compose(v -> login(attacker, email, "wrong password")).map(response -> {
          assertError(response, 401, "unauthorized");
          return null;
        });
      }
      return chain
          // Even the right password waits now, from the attacker's address...
          .compose(v -> login(attacker, email, PASSWORD)).map(waiting -> {
            assertError(waiting, 429, "too_many_requests");
            waits.add(Integer.parseInt(waiting.getHeader("retry-after")));
            return null;
          })
          // ...but not from the owner's, again and again.
          .compose(v -> login(owner, email, PASSWORD)).compose(ownerIn -> {
            assertThat(ownerIn.statusCode()).as(ownerIn.bodyAsString()).isEqualTo(200);
            return login(attacker, email, "wrong password");
          }).compose(stillWaiting -> {
            assertError(stillWaiting, 429, "too_many_requests");
            return login(owner, email, PASSWORD);
          }).compose(ownerAgain -> {
            assertThat(ownerAgain.statusCode()).isEqualTo(200);
            // Once the wait is over, the attacker's next failure is a 401 again, and the next wait is longer.
            return GatewayNodes.poll(vertx, () -> login(attacker, email, "wrong password"), r -> r.statusCode() != 429,
                Duration.ofSeconds(DELAY_SECONDS + 20));
          }).compose(afterWait -> {
            assertError(afterWait, 401, "unauthorized");
            return login(attacker, email, "wrong password");
          }).map(longer -> {
            assertError(longer, 429, "too_many_requests");
            waits.add(Integer.parseInt(longer.getHeader("retry-after")));
            return null;
          });
    }).onComplete(ctx.succeeding(v -> ctx.verify(() -> {
      System.out.printf("guessing from one address: Retry-After %s s%n", waits);
      assertThat(waits.get(0)).isBetween(1, DELAY_SECONDS);
      assertThat(waits.get(1)).isGreaterThan(DELAY_SECONDS).isLessThanOrEqualTo(2 * DELAY_SECONDS);
      ctx.completeNow();
    })));
  }
}
