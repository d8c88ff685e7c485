package dev.vertxshop.users;

import static dev.vertxshop.users.UsersFixtures.failure;
import static dev.vertxshop.users.UsersFixtures.uniqueAddress;
import static dev.vertxshop.users.UsersFixtures.uniqueEmail;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vertxshop.contracts.users.UsersClient;
import dev.vertxshop.contracts.users.UsersContract;
import dev.vertxshop.platform.boot.ShopNode;
import dev.vertxshop.platform.bus.Bus;
import dev.vertxshop.platform.config.Env;
import dev.vertxshop.platform.errors.ErrorCode;
import dev.vertxshop.platform.errors.ServiceException;
import dev.vertxshop.platform.testing.ShopTestEnv;
import dev.vertxshop.contracts.users.Login;
import dev.vertxshop.users.UsersConfig.DelayRule;
import dev.vertxshop.users.UsersConfig.ThrottleRule;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@DisplayName("users.login: tokens, one refusal for both unknown e-mail and wrong password, throttling in PostgreSQL")
@ExtendWith(VertxExtension.class)
class LoginTest {

  /** Small limits so that the throttling tests stay short. */
  private static final int FREE_ATTEMPTS = 3;
  private static final int DELAY_SECONDS = 2;
  private static final int ADDRESS_LIMIT = 8;
  private static final long TTL_SECONDS = 600;
  private static final String PASSWORD = "correct horse battery staple";

  private static ShopNode node;
  private static Pool db;
  private static UsersClient client;

  @BeforeAll
  @Timeout(value = 3, timeUnit = TimeUnit.MINUTES)
  static void startNode(VertxTestContext ctx) {
    Map<String, String> vars = new HashMap<>();
    vars.put("SHOP_USERS_ARGON2_MEMORY_KIB", UsersFixtures.TEST_MEMORY_KIB);
    vars.put("SHOP_USERS_ARGON2_ITERATIONS", UsersFixtures.TEST_ITERATIONS);
    vars.put("SHOP_USERS_THROTTLE_FREE_ATTEMPTS", String.valueOf(FREE_ATTEMPTS));
    vars.put("SHOP_USERS_THROTTLE_DELAY", DELAY_SECONDS + "s");
    vars.put("SHOP_USERS_THROTTLE_MAX_DELAY", "30s");
    vars.put("SHOP_USERS_THROTTLE_MEMORY", "1m");
    vars.put("SHOP_USERS_THROTTLE_ADDRESS_ATTEMPTS", String.valueOf(ADDRESS_LIMIT));
    vars.put("SHOP_USERS_THROTTLE_PRUNE_INTERVAL", "200ms");
    vars.put("SHOP_JWT_TTL", TTL_SECONDS + "s");
    vars.put("SHOP_JWT_PRIVATE_KEY", SigningKey.generate().privateKeyPem());
    Env env = ShopTestEnv.shared(vars);
    ShopNode.start(env, List.of(new UsersService()), false).onComplete(ctx.succeeding(started -> {
      node = started;
      db = UsersFixtures.pool(node.vertx(), env);
      client = new UsersClient(node.vertx(), Duration.ofSeconds(10));
      ctx.completeNow();
    }));
  }

  @AfterAll
  static void stopNode(VertxTestContext ctx) {
    UsersFixtures.stop(db, node, ctx);
  }

  /** A verifier built the way a gateway would: from the JWKS alone, RS256, our issuer and audience. */
  private static Future<JWTAuth> verifierFromJwks() {
    return client.jwks().map(jwks -> JWTAuth.create(node.vertx(), new JWTAuthOptions()
        .addJwk(jwks.getJsonArray("keys").getJsonObject(0))
        .setJWTOptions(new JWTOptions().setIssuer(UsersContract.ISSUER).addAudience(UsersContract.AUDIENCE))));
  }

  private static JsonObject segment(String token, int index) {
    return new JsonObject(new String(Base64.getUrlDecoder().decode(token.split("\\.")[index]), StandardCharsets.UTF_8));
  }

  @Test
  @DisplayName("a good login returns a Bearer token that verifies with the JWKS key and carries the contract's claims")
  void loginIssuesVerifiableToken(VertxTestContext ctx) {
    String email = uniqueEmail("Login.Ok");
    long before = Instant.now().getEpochSecond();
    client.register(email, PASSWORD, "Login OK", uniqueAddress())
        .compose(user -> client.login(email.toUpperCase(Locale.ROOT), PASSWORD, uniqueAddress())
            .compose(reply -> verifierFromJwks()
                .compose(verifier -> verifier.authenticate(new TokenCredentials(reply.getString("token"))))
                .compose(verified -> client.jwks().map(jwks -> List.<Object>of(user, reply, verified, jwks)))))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          JsonObject user = (JsonObject) all.get(0);
          JsonObject reply = (JsonObject) all.get(1);
          User verified = (User) all.get(2);
          JsonObject jwk = ((JsonObject) all.get(3)).getJsonArray("keys").getJsonObject(0);
          long after = Instant.now().getEpochSecond();
          assertThat(reply.fieldNames()).containsExactlyInAnyOrder("token", "tokenType", "expiresAt", "user");
          assertThat(reply.getString("tokenType")).isEqualTo("Bearer");
          assertThat(reply.getJsonObject("user")).isEqualTo(user);

          String token = reply.getString("token");
          JsonObject header = segment(token, 0);
          assertThat(header.getString("alg")).isEqualTo("RS256");
          assertThat(header.getString("typ")).isEqualTo("JWT");
          assertThat(header.getString("kid")).isEqualTo(jwk.getString("kid"));

          JsonObject claims = segment(token, 1);
          assertThat(claims.fieldNames()).containsExactlyInAnyOrder("sub", "email", "iss", "aud", "iat", "exp", "jti");
          assertThat(claims.getString("sub")).isEqualTo(user.getString("id"));
          assertThat(claims.getString("email")).isEqualTo(email);
          assertThat(claims.getString("iss")).isEqualTo(UsersContract.ISSUER);
          assertThat(claims.getString("aud")).isEqualTo(UsersContract.AUDIENCE);
          assertThat(claims.getLong("iat")).isBetween(before, after);
          assertThat(claims.getLong("exp") - claims.getLong("iat")).isEqualTo(TTL_SECONDS);
          assertThat(UUID.fromString(claims.getString("jti"))).isNotNull();
          assertThat(Instant.parse(reply.getString("expiresAt"))).isEqualTo(Instant.ofEpochSecond(claims.getLong("exp")));

          assertThat(verified.principal().getString("sub")).isEqualTo(user.getString("id"));
          assertThat(verified.expired()).isFalse();
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("a token whose claims were altered, or signed by another key, does not verify with the JWKS key")
  void forgedTokensFail(VertxTestContext ctx) {
    String email = uniqueEmail("forge");
    SigningKey stranger = SigningKey.generate();
    TokenIssuer strangerIssuer = new TokenIssuer(node.vertx(), stranger, Duration.ofMinutes(5), Clock.systemUTC());
    client.register(email, PASSWORD, "Forge", uniqueAddress())
        .compose(user -> client.login(email, PASSWORD, uniqueAddress()).compose(reply -> verifierFromJwks().compose(verifier -> {
          String[] parts = reply.getString("token").split("\\.");
          JsonObject claims = segment(reply.getString("token"), 1).put("sub", UUID.randomUUID().toString());
          String altered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
              .encodeToString(claims.encode().getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
          String foreign = strangerIssuer.issue(user).value();
          return Future.all(
              UsersFixtures.outcome(verifier.authenticate(new TokenCredentials(altered))),
              UsersFixtures.outcome(verifier.authenticate(new TokenCredentials(foreign))));
        })))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          assertThat(all.<Object>resultAt(0)).isInstanceOf(ServiceException.class);
          assertThat(all.<Object>resultAt(1)).isInstanceOf(ServiceException.class);
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("a wrong password and an unknown e-mail both fail UNAUTHORIZED with the same message")
  void wrongPasswordAndUnknownEmailLookAlike(VertxTestContext ctx) {
    String email = uniqueEmail("alike");
    client.register(email, PASSWORD, "Alike", uniqueAddress())
        .compose(user -> Future.all(
            failure(client.login(email, PASSWORD + "!", uniqueAddress())),
            failure(client.login(uniqueEmail("nobody"), PASSWORD, uniqueAddress())),
            failure(client.login(email, "x", uniqueAddress()))))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          ServiceException wrong = all.resultAt(0);
          ServiceException unknown = all.resultAt(1);
          ServiceException tooShort = all.resultAt(2);
          assertThat(wrong.code()).isEqualTo(ErrorCode.UNAUTHORIZED);
          assertThat(unknown.code()).isEqualTo(ErrorCode.UNAUTHORIZED);
          assertThat(tooShort.code()).isEqualTo(ErrorCode.UNAUTHORIZED);
          assertThat(unknown.getMessage()).isEqualTo(wrong.getMessage()).isEqualTo(tooShort.getMessage()).isEqualTo(SignIn.REFUSED);
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  @DisplayName("per account and address: after the free failures each failure makes that pair wait (even with the right "
      + "password), twice as long the next time, while the owner signs in from another address")
  void pairDelays(VertxTestContext ctx) {
    String email = uniqueEmail("slowed");
    String attacker = uniqueAddress();
    String owner = uniqueAddress();
    String pair = LoginThrottle.pairSubject(email, attacker);
    List<Object> seen = new ArrayList<>();
    client.register(email, PASSWORD, "Slowed", uniqueAddress())
        .compose(user -> sequence(FREE_ATTEMPTS + 1, () -> failure(client.login(email, "wrong-password", attacker))))
        .compose(failures -> {
          seen.add(failures);
          return failure(client.login(email, PASSWORD, attacker));
        })
        .compose(waiting -> {
          seen.add(waiting);
          return failure(client.login(email.toUpperCase(Locale.ROOT), PASSWORD, attacker));
        })
        .compose(waitingOtherCase -> {
          seen.add(waitingOtherCase);
          return client.login(email, PASSWORD, owner);
        })
        .compose(ownerToken -> {
          seen.add(ownerToken);
          return endDelay(pair).compose(v -> failure(client.login(email, "wrong-again", attacker)));
        })
        .compose(second -> {
          seen.add(second);
          return failure(client.login(email, PASSWORD, attacker));
        })
        .compose(longer -> {
          seen.add(longer);
          return endDelay(pair).compose(v -> client.login(email, PASSWORD, attacker));
        })
        .compose(late -> attempts(LoginThrottle.PAIR, pair).map(row -> {
          seen.add(late);
          seen.add(row);
          return seen;
        }))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          @SuppressWarnings("unchecked")
          List<ServiceException> failures = (List<ServiceException>) all.get(0);
          assertThat(failures).extracting(ServiceException::code).containsOnly(ErrorCode.UNAUTHORIZED).hasSize(FREE_ATTEMPTS + 1);
          ServiceException waiting = (ServiceException) all.get(1);
          assertThat(waiting.code()).isEqualTo(ErrorCode.TOO_MANY_REQUESTS);
          assertThat(waiting.getMessage()).matches("too many failed sign-in attempts; try again in \\d+ s");
          int first = seconds(waiting);
          assertThat(first).isBetween(1, DELAY_SECONDS);
          assertThat(((ServiceException) all.get(2)).code()).as("the e-mail in another case").isEqualTo(ErrorCode.TOO_MANY_REQUESTS);
          assertThat(((JsonObject) all.get(3)).getString("token")).as("the owner from another address").isNotBlank();
          assertThat(((ServiceException) all.get(4)).code()).isEqualTo(ErrorCode.UNAUTHORIZED);
          ServiceException longer = (ServiceException) all.get(5);
          assertThat(longer.code()).isEqualTo(ErrorCode.TOO_MANY_REQUESTS);
          int second = seconds(longer);
          System.out.printf("pair delays: first %d s, second %d s%n", first, second);
          assertThat(second).isGreaterThan(DELAY_SECONDS).isLessThanOrEqualTo(2 * DELAY_SECONDS);
          assertThat(((JsonObject) all.get(6)).getString("token")).as("the right password once the delay is over").isNotBlank();
          assertThat(all.get(7)).as("the pair's row is gone after the success").isEqualTo(-1);
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("an unknown e-mail is slowed down exactly like a known one (the throttle does not reveal accounts)")
  void unknownEmailThrottledAlike(VertxTestContext ctx) {
    String nobody = uniqueEmail("nobody");
    String address = uniqueAddress();
    sequence(FREE_ATTEMPTS + 1, () -> failure(client.login(nobody, PASSWORD, address)))
        .compose(failures -> failure(client.login(nobody, PASSWORD, address)).map(last -> Map.entry(failures, last)))
        .onComplete(ctx.succeeding(result -> ctx.verify(() -> {
          assertThat(result.getKey()).extracting(ServiceException::code).containsOnly(ErrorCode.UNAUTHORIZED);
          assertThat(result.getValue().code()).isEqualTo(ErrorCode.TOO_MANY_REQUESTS);
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("a successful login resets its pair's failures")
  void successResetsPair(VertxTestContext ctx) {
    String email = uniqueEmail("reset");
    String address = uniqueAddress();
    Supplier<Future<ServiceException>> wrong = () -> failure(client.login(email, "wrong-password", address));
    // The free failures, a success, the free failures, a success: never slowed, because of the reset.
    client.register(email, PASSWORD, "Reset", uniqueAddress())
        .compose(user -> sequence(FREE_ATTEMPTS, wrong))
        .compose(first -> client.login(email, PASSWORD, address))
        .compose(ok -> attempts(LoginThrottle.PAIR, LoginThrottle.pairSubject(email, address)).compose(afterReset ->
            sequence(FREE_ATTEMPTS, wrong)
                .compose(second -> client.login(email, PASSWORD, address).map(last -> List.<Object>of(afterReset, second, last)))))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          assertThat(all.get(0)).as("the pair's row is gone after the success").isEqualTo(-1);
          @SuppressWarnings("unchecked")
          List<ServiceException> second = (List<ServiceException>) all.get(1);
          assertThat(second).extracting(ServiceException::code).containsOnly(ErrorCode.UNAUTHORIZED);
          assertThat(((JsonObject) all.get(2)).getString("token")).as("never slowed down").isNotBlank();
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("per address: failures against many accounts throttle the address, for every account, while other addresses pass")
  void addressThrottle(VertxTestContext ctx) {
    String email = uniqueEmail("victim");
    String address = uniqueAddress();
    // Each failure against a different unknown account: only the address limit can trip.
    client.register(email, PASSWORD, "Victim", uniqueAddress())
        .compose(user -> sequence(ADDRESS_LIMIT, () -> failure(client.login(uniqueEmail("spray"), PASSWORD, address))))
        .compose(failures -> failure(client.login(email, PASSWORD, address))
            .compose(blocked -> client.login(email, PASSWORD, uniqueAddress())
                .map(elsewhere -> List.<Object>of(failures, blocked, elsewhere))))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          @SuppressWarnings("unchecked")
          List<ServiceException> failures = (List<ServiceException>) all.get(0);
          assertThat(failures).extracting(ServiceException::code).containsOnly(ErrorCode.UNAUTHORIZED).hasSize(ADDRESS_LIMIT);
          assertThat(((ServiceException) all.get(1)).code()).isEqualTo(ErrorCode.TOO_MANY_REQUESTS);
          assertThat(((JsonObject) all.get(2)).getString("token")).isNotBlank();
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("successful logins do not use up their address's budget")
  void successesDoNotCountAgainstAddress(VertxTestContext ctx) {
    String email = uniqueEmail("busy");
    String address = uniqueAddress();
    client.register(email, PASSWORD, "Busy", uniqueAddress())
        .compose(user -> sequence(ADDRESS_LIMIT + 2, () -> client.login(email, PASSWORD, address)))
        .compose(replies -> attempts(LoginThrottle.ADDRESS, LoginThrottle.addressSubject(address)).map(count -> Map.entry(replies, count)))
        .onComplete(ctx.succeeding(result -> ctx.verify(() -> {
          assertThat(result.getKey()).hasSize(ADDRESS_LIMIT + 2).allSatisfy(reply -> assertThat(reply.getString("token")).isNotBlank());
          assertThat(result.getValue()).isEqualTo(0);
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  @DisplayName("ten concurrent wrong passwords from one address against one account: the free ones and the one that "
      + "earns the first delay are checked, the rest TOO_MANY_REQUESTS")
  void concurrentFailuresAreCountedExactly(VertxTestContext ctx) {
    String email = uniqueEmail("storm");
    String address = uniqueAddress();
    client.register(email, PASSWORD, "Storm", uniqueAddress())
        .compose(user -> {
          List<Future<ServiceException>> attempts = new ArrayList<>();
          for (int i = 0; i < 10; i++) {
            attempts.add(failure(client.login(email, "wrong-password-" + i, address)));
          }
          return Future.all(attempts).map(all -> all.<ServiceException>list());
        })
        .onComplete(ctx.succeeding(errors -> ctx.verify(() -> {
          assertThat(errors.stream().filter(e -> e.code() == ErrorCode.UNAUTHORIZED)).hasSize(FREE_ATTEMPTS + 1);
          assertThat(errors.stream().filter(e -> e.code() == ErrorCode.TOO_MANY_REQUESTS)).hasSize(10 - FREE_ATTEMPTS - 1);
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("a hash made with older Argon2 parameters still signs in, and is replaced by one with the current parameters")
  void rehashOnLogin(VertxTestContext ctx) {
    String email = uniqueEmail("legacy");
    String legacy = new PasswordHasher(new Argon2Params(512, 2, 2)).hash(PASSWORD);
    client.register(email, PASSWORD, "Legacy", uniqueAddress())
        .compose(user -> db.preparedQuery("UPDATE users SET password_hash = $2 WHERE id = $1")
            .execute(Tuple.of(UUID.fromString(user.getString("id")), legacy))
            .compose(v -> client.login(email, PASSWORD, uniqueAddress()))
            .compose(reply -> UsersFixtures.storedHash(db, user.getString("id")).map(hash -> Map.entry(reply, hash))))
        .onComplete(ctx.succeeding(result -> ctx.verify(() -> {
          assertThat(result.getKey().getString("token")).isNotBlank();
          String hash = result.getValue();
          assertThat(hash).isNotEqualTo(legacy).startsWith("$argon2id$v=19$m=1024,t=1,p=1$");
          assertThat(new PasswordHasher(new Argon2Params(1024, 1, 1)).verify(PASSWORD, hash)).isTrue();
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  @DisplayName("rows whose window or memory has passed are pruned; current ones, and a pair still waiting, stay")
  void pruning(VertxTestContext ctx) {
    String stale = "stale-" + UUID.randomUUID();
    String staleAddress = "stale-address-" + UUID.randomUUID();
    String staleSignUps = "stale-register-" + UUID.randomUUID();
    String fresh = "fresh-" + UUID.randomUUID();
    String waiting = "waiting-" + UUID.randomUUID();
    String insert = "INSERT INTO login_attempts (scope, subject, window_start, attempts, blocked_until) "
        + "VALUES ($1, $2, now() - make_interval(secs => $3), 1, now() + make_interval(secs => $4))";
    Future.all(List.of(
            db.preparedQuery(insert).execute(Tuple.of(LoginThrottle.PAIR, stale, 2.0 * 60, -1.0)),
            db.preparedQuery(insert).execute(Tuple.of(LoginThrottle.ADDRESS, staleAddress, 16.0 * 60, -1.0)),
            db.preparedQuery(insert).execute(Tuple.of(LoginThrottle.REGISTER, staleSignUps, 16.0 * 60, -1.0)),
            db.preparedQuery(insert).execute(Tuple.of(LoginThrottle.PAIR, fresh, 10.0, -1.0)),
            db.preparedQuery(insert).execute(Tuple.of(LoginThrottle.PAIR, waiting, 2.0 * 60, 600.0))))
        .compose(v -> UsersFixtures.eventually(node.vertx(), Duration.ofSeconds(20), () ->
            Future.all(attempts(LoginThrottle.PAIR, stale), attempts(LoginThrottle.ADDRESS, staleAddress),
                    attempts(LoginThrottle.REGISTER, staleSignUps))
                .map(all -> all.<Integer>resultAt(0) == -1 && all.<Integer>resultAt(1) == -1 && all.<Integer>resultAt(2) == -1
                    ? Boolean.TRUE : null)))
        .compose(gone -> Future.all(attempts(LoginThrottle.PAIR, fresh), attempts(LoginThrottle.PAIR, waiting)))
        .onComplete(ctx.succeeding(kept -> ctx.verify(() -> {
          assertThat(kept.<Integer>resultAt(0)).isEqualTo(1);
          assertThat(kept.<Integer>resultAt(1)).as("a pair still waiting out its delay").isEqualTo(1);
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("an attempt that never reached a verdict (hashing saturated) fails UNAVAILABLE and gives its attempts back")
  void undecidedAttemptIsGivenBack(VertxTestContext ctx) {
    String email = uniqueEmail("overload");
    String address = uniqueAddress();
    WorkerExecutor executor = node.vertx().createSharedWorkerExecutor("login-test-saturated", 1);
    PasswordHasher hasher = new PasswordHasher(new Argon2Params(1024, 1, 1));
    LoginThrottle throttle = new LoginThrottle(db,
        new DelayRule(FREE_ATTEMPTS, Duration.ofSeconds(DELAY_SECONDS), Duration.ofSeconds(30), Duration.ofMinutes(1)),
        new ThrottleRule(ADDRESS_LIMIT, Duration.ofMinutes(15)), new ThrottleRule(ADDRESS_LIMIT, Duration.ofMinutes(15)));
    // A hashing bound of zero: every check is refused, as under overload.
    SignIn saturated = new SignIn(new UserStore(db, () -> { }), throttle, new Hashing(executor, 0), hasher,
        new TokenIssuer(node.vertx(), SigningKey.generate(), Duration.ofMinutes(5), Clock.systemUTC()), hasher.hash("dummy"));
    client.register(email, PASSWORD, "Overload", uniqueAddress())
        .compose(user -> failure(saturated.login(new Login(email, PASSWORD, address))))
        .compose(error -> Future.all(attempts(LoginThrottle.PAIR, LoginThrottle.pairSubject(email, address)),
                attempts(LoginThrottle.ADDRESS, LoginThrottle.addressSubject(address)))
            .map(counts -> List.<Object>of(error, counts.resultAt(0), counts.resultAt(1))))
        .eventually(executor::close)
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          assertThat(((ServiceException) all.get(0)).code()).isEqualTo(ErrorCode.UNAVAILABLE);
          assertThat(all.get(1)).as("pair attempts").isEqualTo(0);
          assertThat(all.get(2)).as("address attempts").isEqualTo(0);
          ctx.completeNow();
        })));
  }

  static Stream<Arguments> badLogins() {
    JsonObject good = new JsonObject().put("email", "someone@example.com").put("password", PASSWORD).put("clientAddress", "192.0.2.1");
    return Stream.of(
        Arguments.of("not an object", "login please"),
        Arguments.of("no clientAddress", good.copy().put("clientAddress", null)),
        Arguments.of("clientAddress with spaces", good.copy().put("clientAddress", "1.2.3.4; DROP TABLE users")),
        Arguments.of("clientAddress of 65 characters", good.copy().put("clientAddress", "a".repeat(65))),
        Arguments.of("numeric clientAddress", good.copy().put("clientAddress", 19202)),
        Arguments.of("no email", good.copy().put("email", null)),
        Arguments.of("malformed email", good.copy().put("email", "someone")),
        Arguments.of("empty password", good.copy().put("password", "")),
        Arguments.of("password of 129 characters", good.copy().put("password", "p".repeat(129))),
        Arguments.of("numeric password", good.copy().put("password", 12345678)),
        Arguments.of("unknown field", good.copy().put("remember", true)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badLogins")
  @DisplayName("a malformed login request is BAD_REQUEST and counts no attempt")
  void validation(String label, Object body, VertxTestContext ctx) {
    failure(Bus.request(node.vertx(), UsersContract.LOGIN.address(), body, Duration.ofSeconds(5)))
        .compose(error -> attempts(LoginThrottle.ADDRESS, LoginThrottle.addressSubject("192.0.2.1")).map(count -> Map.entry(error, count)))
        .onComplete(ctx.succeeding(result -> ctx.verify(() -> {
          assertThat(result.getKey().code()).isEqualTo(ErrorCode.BAD_REQUEST);
          assertThat(result.getKey().getMessage()).doesNotContain(PASSWORD);
          assertThat(result.getValue()).isEqualTo(-1);
          ctx.completeNow();
        })));
  }

  /** Runs {@code count} calls one after the other (each waits for the previous); their results in order. */
  private static <T> Future<List<T>> sequence(int count, Supplier<Future<T>> call) {
    Future<List<T>> chain = Future.succeededFuture(new ArrayList<>());
    for (int i = 0; i < count; i++) {
      chain = chain.compose(list -> call.get().map(result -> {
        list.add(result);
        return list;
      }));
    }
    return chain;
  }

  /** The attempts counted for a subject, or -1 when it has no row. */
  private static Future<Integer> attempts(String scope, String subject) {
    return db.preparedQuery("SELECT attempts FROM login_attempts WHERE scope = $1 AND subject = $2")
        .execute(Tuple.of(scope, subject))
        .map(rows -> rows.size() == 0 ? -1 : rows.iterator().next().getInteger(0));
  }

  /** Ends a pair's delay now: what waiting it out would do, without the wait (its failures are kept). */
  private static Future<Void> endDelay(String pairSubject) {
    return db.preparedQuery("UPDATE login_attempts SET blocked_until = now() WHERE scope = 'pair' AND subject = $1 AND blocked_until > now()")
        .execute(Tuple.of(pairSubject))
        .compose(rows -> rows.rowCount() == 1 ? Future.<Void>succeededFuture() : Future.failedFuture("no delay to end"));
  }

  /** The seconds a TOO_MANY_REQUESTS message names. */
  private static int seconds(ServiceException error) {
    return Integer.parseInt(error.getMessage().replaceAll("\\D", ""));
  }
}
