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
import dev.vertxshop.users.Requests.Credentials;
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
  private static final int ACCOUNT_LIMIT = 3;
  private static final int ADDRESS_LIMIT = 6;
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
    vars.put("SHOP_USERS_THROTTLE_ACCOUNT_ATTEMPTS", String.valueOf(ACCOUNT_LIMIT));
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
    client.register(email, PASSWORD, "Login OK")
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
    client.register(email, PASSWORD, "Forge")
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
    client.register(email, PASSWORD, "Alike")
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
  @DisplayName("per account: after the limit of failures even the right password gets TOO_MANY_REQUESTS, from any address, until the window passes")
  void accountThrottle(VertxTestContext ctx) {
    String email = uniqueEmail("locked");
    client.register(email, PASSWORD, "Locked")
        .compose(user -> sequence(ACCOUNT_LIMIT, () -> failure(client.login(email, "wrong-password", uniqueAddress()))))
        .compose(failures -> failure(client.login(email, PASSWORD, uniqueAddress()))
            .compose(locked -> failure(client.login(email.toUpperCase(Locale.ROOT), PASSWORD, uniqueAddress()))
                .compose(lockedOtherCase -> expireWindow(LoginThrottle.ACCOUNT, LoginThrottle.accountSubject(email))
                    .compose(v -> client.login(email, PASSWORD, uniqueAddress()))
                    .map(reply -> List.<Object>of(failures, locked, lockedOtherCase, reply)))))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          @SuppressWarnings("unchecked")
          List<ServiceException> failures = (List<ServiceException>) all.get(0);
          assertThat(failures).extracting(ServiceException::code).containsOnly(ErrorCode.UNAUTHORIZED).hasSize(ACCOUNT_LIMIT);
          ServiceException locked = (ServiceException) all.get(1);
          assertThat(locked.code()).isEqualTo(ErrorCode.TOO_MANY_REQUESTS);
          assertThat(locked.getMessage()).matches("too many failed sign-in attempts; try again in \\d+ s");
          int seconds = Integer.parseInt(locked.getMessage().replaceAll("\\D", ""));
          assertThat(seconds).isBetween(1, 15 * 60);
          assertThat(((ServiceException) all.get(2)).code()).isEqualTo(ErrorCode.TOO_MANY_REQUESTS);
          assertThat(((JsonObject) all.get(3)).getString("token")).isNotBlank();
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("an unknown e-mail is throttled exactly like a known one (the throttle does not reveal accounts)")
  void unknownEmailThrottledAlike(VertxTestContext ctx) {
    String nobody = uniqueEmail("nobody");
    sequence(ACCOUNT_LIMIT, () -> failure(client.login(nobody, PASSWORD, uniqueAddress())))
        .compose(failures -> failure(client.login(nobody, PASSWORD, uniqueAddress())).map(last -> Map.entry(failures, last)))
        .onComplete(ctx.succeeding(result -> ctx.verify(() -> {
          assertThat(result.getKey()).extracting(ServiceException::code).containsOnly(ErrorCode.UNAUTHORIZED);
          assertThat(result.getValue().code()).isEqualTo(ErrorCode.TOO_MANY_REQUESTS);
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("a successful login resets its account's counter")
  void successResetsAccount(VertxTestContext ctx) {
    String email = uniqueEmail("reset");
    String address = uniqueAddress();
    Supplier<Future<ServiceException>> wrong = () -> failure(client.login(email, "wrong-password", address));
    // limit - 1 failures, a success, limit - 1 failures, a success: never throttled, because of the reset.
    client.register(email, PASSWORD, "Reset")
        .compose(user -> sequence(ACCOUNT_LIMIT - 1, wrong))
        .compose(first -> client.login(email, PASSWORD, address))
        .compose(ok -> attempts(LoginThrottle.ACCOUNT, LoginThrottle.accountSubject(email)).compose(afterReset ->
            sequence(ACCOUNT_LIMIT - 1, wrong)
                .compose(second -> client.login(email, PASSWORD, address).map(last -> List.<Object>of(afterReset, second, last)))))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          assertThat(all.get(0)).as("the account row is gone after the success").isEqualTo(-1);
          @SuppressWarnings("unchecked")
          List<ServiceException> second = (List<ServiceException>) all.get(1);
          assertThat(second).extracting(ServiceException::code).containsOnly(ErrorCode.UNAUTHORIZED);
          assertThat(((JsonObject) all.get(2)).getString("token")).isNotBlank();
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("per address: failures against many accounts throttle the address, for every account, while other addresses pass")
  void addressThrottle(VertxTestContext ctx) {
    String email = uniqueEmail("victim");
    String address = uniqueAddress();
    // Each failure against a different unknown account: only the address limit can trip.
    client.register(email, PASSWORD, "Victim")
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
    client.register(email, PASSWORD, "Busy")
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
  @DisplayName("ten concurrent wrong passwords against one account: exactly the limit are checked, the rest TOO_MANY_REQUESTS")
  void concurrentFailuresAreCountedExactly(VertxTestContext ctx) {
    String email = uniqueEmail("storm");
    client.register(email, PASSWORD, "Storm")
        .compose(user -> {
          List<Future<ServiceException>> attempts = new ArrayList<>();
          for (int i = 0; i < 10; i++) {
            attempts.add(failure(client.login(email, "wrong-password-" + i, uniqueAddress())));
          }
          return Future.all(attempts).map(all -> all.<ServiceException>list());
        })
        .onComplete(ctx.succeeding(errors -> ctx.verify(() -> {
          assertThat(errors.stream().filter(e -> e.code() == ErrorCode.UNAUTHORIZED)).hasSize(ACCOUNT_LIMIT);
          assertThat(errors.stream().filter(e -> e.code() == ErrorCode.TOO_MANY_REQUESTS)).hasSize(10 - ACCOUNT_LIMIT);
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("a hash made with older Argon2 parameters still signs in, and is replaced by one with the current parameters")
  void rehashOnLogin(VertxTestContext ctx) {
    String email = uniqueEmail("legacy");
    String legacy = new PasswordHasher(new Argon2Params(512, 2, 2)).hash(PASSWORD);
    client.register(email, PASSWORD, "Legacy")
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
  @DisplayName("rows whose window has passed are pruned; current ones stay")
  void pruning(VertxTestContext ctx) {
    String stale = "stale-" + UUID.randomUUID();
    String staleAddress = "stale-address-" + UUID.randomUUID();
    String fresh = "fresh-" + UUID.randomUUID();
    String insert = "INSERT INTO login_attempts (scope, subject, window_start, attempts) VALUES ($1, $2, now() - make_interval(secs => $3), 1)";
    Future.all(
            db.preparedQuery(insert).execute(Tuple.of(LoginThrottle.ACCOUNT, stale, 16.0 * 60)),
            db.preparedQuery(insert).execute(Tuple.of(LoginThrottle.ADDRESS, staleAddress, 16.0 * 60)),
            db.preparedQuery(insert).execute(Tuple.of(LoginThrottle.ACCOUNT, fresh, 60.0)))
        .compose(v -> UsersFixtures.eventually(node.vertx(), Duration.ofSeconds(20), () ->
            Future.all(attempts(LoginThrottle.ACCOUNT, stale), attempts(LoginThrottle.ADDRESS, staleAddress))
                .map(all -> all.<Integer>resultAt(0) == -1 && all.<Integer>resultAt(1) == -1 ? Boolean.TRUE : null)))
        .compose(gone -> attempts(LoginThrottle.ACCOUNT, fresh))
        .onComplete(ctx.succeeding(freshAttempts -> ctx.verify(() -> {
          assertThat(freshAttempts).isEqualTo(1);
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
    LoginThrottle throttle = new LoginThrottle(db, new ThrottleRule(ACCOUNT_LIMIT, Duration.ofMinutes(15)),
        new ThrottleRule(ADDRESS_LIMIT, Duration.ofMinutes(15)));
    // A hashing bound of zero: every check is refused, as under overload.
    SignIn saturated = new SignIn(new UserStore(db, () -> { }), throttle, new Hashing(executor, 0), hasher,
        new TokenIssuer(node.vertx(), SigningKey.generate(), Duration.ofMinutes(5), Clock.systemUTC()), hasher.hash("dummy"));
    client.register(email, PASSWORD, "Overload")
        .compose(user -> failure(saturated.login(new Credentials(email, PASSWORD, address))))
        .compose(error -> Future.all(attempts(LoginThrottle.ACCOUNT, LoginThrottle.accountSubject(email)),
                attempts(LoginThrottle.ADDRESS, LoginThrottle.addressSubject(address)))
            .map(counts -> List.<Object>of(error, counts.resultAt(0), counts.resultAt(1))))
        .eventually(executor::close)
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          assertThat(((ServiceException) all.get(0)).code()).isEqualTo(ErrorCode.UNAVAILABLE);
          assertThat(all.get(1)).as("account attempts").isEqualTo(0);
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
    failure(Bus.request(node.vertx(), UsersContract.LOGIN, body, Duration.ofSeconds(5)))
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

  /** Moves a subject's window into the past: what waiting out the window would do, without the wait. */
  private static Future<Void> expireWindow(String scope, String subject) {
    return db.preparedQuery("UPDATE login_attempts SET window_start = now() - interval '1 day' WHERE scope = $1 AND subject = $2")
        .execute(Tuple.of(scope, subject))
        .compose(rows -> rows.rowCount() == 1 ? Future.<Void>succeededFuture() : Future.failedFuture("no row to expire"));
  }
}
