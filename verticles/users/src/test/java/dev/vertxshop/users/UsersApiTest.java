package dev.vertxshop.users;

import static dev.vertxshop.users.UsersFixtures.failure;
import static dev.vertxshop.users.UsersFixtures.registration;
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
import dev.vertxshop.users.UsersFixtures.Counts;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@DisplayName("users event-bus API: register, get, jwks against PostgreSQL")
@ExtendWith(VertxExtension.class)
class UsersApiTest {

  private static final String PASSWORD = "Tr0ub4dor&3-horse";

  private static ShopNode node;
  private static Pool db;
  private static UsersClient client;
  private static SigningKey key;
  private static final int SIGN_UPS_PER_ADDRESS = 3;

  @BeforeAll
  @Timeout(value = 3, timeUnit = TimeUnit.MINUTES)
  static void startNode(VertxTestContext ctx) {
    key = SigningKey.generate();
    Env env = ShopTestEnv.shared(Map.of(
        "SHOP_USERS_ARGON2_MEMORY_KIB", UsersFixtures.TEST_MEMORY_KIB,
        "SHOP_USERS_ARGON2_ITERATIONS", UsersFixtures.TEST_ITERATIONS,
        "SHOP_USERS_REGISTER_ADDRESS_ATTEMPTS", String.valueOf(SIGN_UPS_PER_ADDRESS),
        "SHOP_JWT_PRIVATE_KEY", key.privateKeyPem()));
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

  @Test
  @DisplayName("register returns the public user (e-mail as given, name trimmed); get returns the same; no hash anywhere")
  void registerThenGet(VertxTestContext ctx) {
    String email = uniqueEmail("Ada.Lovelace").replace("example.com", "Example.COM");
    client.register(email, PASSWORD, "  Ada Lovelace  ", uniqueAddress())
        .compose(created -> client.get(created.getString("id"))
            .compose(read -> UsersFixtures.storedHash(db, created.getString("id")).map(hash -> List.of(created, read, hash))))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          JsonObject created = (JsonObject) all.get(0);
          String hash = (String) all.get(2);
          assertThat(created.fieldNames()).containsExactlyInAnyOrder("id", "email", "name", "createdAt");
          assertThat(UUID.fromString(created.getString("id")).toString()).isEqualTo(created.getString("id"));
          assertThat(created.getString("email")).isEqualTo(email);
          assertThat(created.getString("name")).isEqualTo("Ada Lovelace");
          assertThat(Instant.parse(created.getString("createdAt"))).isBetween(Instant.now().minusSeconds(60), Instant.now().plusSeconds(5));
          assertThat(all.get(1)).isEqualTo(created);
          assertThat(hash).startsWith("$argon2id$v=19$m=1024,t=1,p=1$");
          assertThat(new PasswordHasher(new Argon2Params(1024, 1, 1)).verify(PASSWORD, hash)).isTrue();
          assertThat(created.encode()).doesNotContain(PASSWORD).doesNotContain("argon2");
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("register writes exactly one UserRegistered outbox row carrying the public user")
  void registerWritesOutboxRow(VertxTestContext ctx) {
    client.register(uniqueEmail("outbox"), PASSWORD, "Outbox", uniqueAddress())
        .compose(created -> UsersFixtures.outboxFor(db, created.getString("id")).map(rows -> Map.entry(created, rows)))
        .onComplete(ctx.succeeding(result -> ctx.verify(() -> {
          assertThat(result.getValue()).hasSize(1);
          assertThat(result.getValue().get(0).type()).isEqualTo(UsersContract.USER_REGISTERED);
          assertThat(result.getValue().get(0).payload()).isEqualTo(result.getKey());
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("sign-ups from one address beyond the limit (a taken e-mail counts) fail TOO_MANY_REQUESTS naming the "
      + "seconds and write nothing; another address still signs up")
  void signUpsThrottledPerAddress(VertxTestContext ctx) {
    String address = uniqueAddress();
    String first = uniqueEmail("flood");
    List<Object> seen = new ArrayList<>();
    client.register(first, PASSWORD, "Flood 1", address)
        .compose(one -> failure(client.register(first, PASSWORD, "Flood again", address)))
        .compose(taken -> {
          seen.add(taken);
          return client.register(uniqueEmail("flood"), PASSWORD, "Flood 3", address);
        })
        .compose(third -> UsersFixtures.counts(db))
        .compose(before -> {
          String refused = uniqueEmail("flood");
          return failure(client.register(refused, PASSWORD, "Flood 4", address))
              .compose(error -> UsersFixtures.counts(db).compose(after -> UsersFixtures.usersWithEmail(db, refused)
                  .map(count -> {
                    seen.addAll(List.of(error, before, after, count));
                    return seen;
                  })));
        })
        .compose(all -> client.register(uniqueEmail("flood"), PASSWORD, "Elsewhere", uniqueAddress()).map(elsewhere -> {
          all.add(elsewhere);
          return all;
        }))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          assertThat(((ServiceException) all.get(0)).code()).isEqualTo(ErrorCode.CONFLICT);
          ServiceException error = (ServiceException) all.get(1);
          assertThat(error.code()).isEqualTo(ErrorCode.TOO_MANY_REQUESTS);
          assertThat(error.getMessage()).matches("too many sign-ups from this address; try again in \\d+ s");
          assertThat(all.get(3)).as("no user and no outbox row written").isEqualTo(all.get(2));
          assertThat(all.get(4)).isEqualTo(0L);
          assertThat(((JsonObject) all.get(5)).getString("id")).isNotBlank();
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("the same e-mail in another case fails CONFLICT and leaves one account")
  void duplicateInOtherCase(VertxTestContext ctx) {
    String email = uniqueEmail("grace");
    client.register(email, PASSWORD, "Grace", uniqueAddress())
        .compose(first -> UsersFixtures.counts(db)
            .compose(before -> failure(client.register(email.toUpperCase(Locale.ROOT), "another-password", "Grace II", uniqueAddress()))
                .compose(error -> UsersFixtures.counts(db).compose(after -> UsersFixtures.usersWithEmail(db, email)
                    .map(count -> List.of(error, before, after, count))))))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          ServiceException error = (ServiceException) all.get(0);
          assertThat(error.code()).isEqualTo(ErrorCode.CONFLICT);
          assertThat(error.getMessage()).contains("already exists");
          assertThat(all.get(2)).as("no user and no outbox row written").isEqualTo(all.get(1));
          assertThat(all.get(3)).isEqualTo(1L);
          ctx.completeNow();
        })));
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  @DisplayName("ten concurrent registrations of one e-mail (various cases): exactly one succeeds, nine fail CONFLICT")
  void concurrentDuplicates(VertxTestContext ctx) {
    String email = uniqueEmail("race");
    List<Future<Object>> attempts = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      String variant = i % 2 == 0 ? email : email.toUpperCase(Locale.ROOT);
      attempts.add(UsersFixtures.outcome(client.register(variant, PASSWORD + i, "Racer " + i, uniqueAddress())));
    }
    Future.all(attempts)
        .compose(all -> UsersFixtures.usersWithEmail(db, email).map(count -> Map.entry(all.<Object>list(), count)))
        .onComplete(ctx.succeeding(result -> ctx.verify(() -> {
          List<Object> outcomes = result.getKey();
          assertThat(outcomes.stream().filter(JsonObject.class::isInstance)).hasSize(1);
          assertThat(outcomes.stream().filter(ServiceException.class::isInstance).map(e -> ((ServiceException) e).code()))
              .hasSize(9).containsOnly(ErrorCode.CONFLICT);
          assertThat(result.getValue()).isEqualTo(1L);
          ctx.completeNow();
        })));
  }

  static Stream<Arguments> badRegistrations() {
    String email = "valid.user@example.com";
    String local64 = "a".repeat(64);
    String domain190 = "b".repeat(63) + "." + "b".repeat(63) + "." + "b".repeat(62);
    return Stream.of(
        Arguments.of("a string body", "not an object", "JSON object"),
        Arguments.of("an array body", new JsonArray().add(email), "JSON object"),
        Arguments.of("no email", new JsonObject().put("password", PASSWORD).put("name", "N"), "'email' is required"),
        Arguments.of("null email", registration(null, PASSWORD, "N"), "'email' is required"),
        Arguments.of("numeric email", new JsonObject().put("email", 42).put("password", PASSWORD).put("name", "N"), "'email' must be a string"),
        Arguments.of("email without @", registration("no-at-sign.example.com", PASSWORD, "N"), "not an e-mail"),
        Arguments.of("email without domain dot", registration("ada@localhost", PASSWORD, "N"), "not an e-mail"),
        Arguments.of("email with a space", registration("ada lovelace@example.com", PASSWORD, "N"), "not an e-mail"),
        Arguments.of("email with surrounding spaces", registration(" " + email + " ", PASSWORD, "N"), "not an e-mail"),
        Arguments.of("email with two dots", registration("ada..l@example.com", PASSWORD, "N"), "not an e-mail"),
        Arguments.of("email of 255 characters", registration(local64 + "@" + domain190, PASSWORD, "N"), "at most 254"),
        Arguments.of("no password", new JsonObject().put("email", email).put("name", "N"), "'password' is required"),
        Arguments.of("numeric password", new JsonObject().put("email", email).put("password", 12345678).put("name", "N"), "'password' must be a string"),
        Arguments.of("password of 7 characters", registration(email, "short-7", "N"), "8 to 128"),
        Arguments.of("password of 129 characters", registration(email, "p".repeat(129), "N"), "8 to 128"),
        Arguments.of("password with a lone surrogate", registration(email, "password\ud800x", "N"), "well-formed"),
        Arguments.of("no name", new JsonObject().put("email", email).put("password", PASSWORD), "'name' is required"),
        Arguments.of("empty name", registration(email, PASSWORD, ""), "'name' must be 1 to 100"),
        Arguments.of("blank name", registration(email, PASSWORD, " \t "), "'name' must be 1 to 100"),
        Arguments.of("name of 101 characters", registration(email, PASSWORD, "n".repeat(101)), "'name' must be 1 to 100"),
        Arguments.of("name with a newline", registration(email, PASSWORD, "Ada\nLovelace"), "control characters"),
        Arguments.of("name with NUL", registration(email, PASSWORD, "Ada\u0000"), "NUL"),
        Arguments.of("boolean name", new JsonObject().put("email", email).put("password", PASSWORD).put("name", true), "'name' must be a string"),
        Arguments.of("no clientAddress", registration(email, PASSWORD, "N").put("clientAddress", null), "'clientAddress' is required"),
        Arguments.of("clientAddress with spaces", registration(email, PASSWORD, "N").put("clientAddress", "1.2.3.4; x"), "'clientAddress' must be"),
        Arguments.of("unknown field", registration(email, PASSWORD, "N").put("role", "admin"), "unknown field 'role'"),
        Arguments.of("a hash instead of a password", registration(email, PASSWORD, "N").put("passwordHash", "$argon2id$"), "unknown field 'passwordHash'"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badRegistrations")
  @DisplayName("every validation failure is BAD_REQUEST naming the field, never echoing the password, and writes nothing")
  void validation(String label, Object body, String message, VertxTestContext ctx) {
    UsersFixtures.counts(db)
        .compose(before -> failure(Bus.request(node.vertx(), UsersContract.REGISTER.address(), body, Duration.ofSeconds(10)))
            .compose(error -> UsersFixtures.counts(db).map(after -> List.<Object>of(error, before, after))))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          ServiceException error = (ServiceException) all.get(0);
          assertThat(error.code()).isEqualTo(ErrorCode.BAD_REQUEST);
          assertThat(error.getMessage()).contains(message).doesNotContain(PASSWORD).doesNotContain("short-7");
          assertThat((Counts) all.get(2)).isEqualTo(all.get(1));
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("the limits themselves are accepted: 254-character e-mail, 8- and 128-character passwords, 100-character name")
  void boundariesAccepted(VertxTestContext ctx) {
    String unique = UUID.randomUUID().toString().replace("-", "");
    String longEmail = unique + "a".repeat(64 - unique.length()) + "@" + "b".repeat(63) + "." + "b".repeat(63) + "." + "b".repeat(61);
    assertThat(longEmail).hasSize(254);
    Future.all(
            client.register(longEmail, "p".repeat(128), "n".repeat(100), uniqueAddress()),
            client.register(uniqueEmail("short"), "eight-ch", "N", uniqueAddress()),
            // Code points, not UTF-16 units: 8 emoji are 8 characters.
            client.register(uniqueEmail("emoji"), "\ud83d\udd11".repeat(8), "\ud83d\ude00", uniqueAddress()))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          assertThat(all.<JsonObject>resultAt(0).getString("email")).isEqualTo(longEmail);
          assertThat(all.<JsonObject>resultAt(0).getString("name")).hasSize(100);
          assertThat(all.<JsonObject>resultAt(2).getString("name")).isEqualTo("\ud83d\ude00");
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("get of an unknown id fails NOT_FOUND; of a malformed id or with an unknown field BAD_REQUEST")
  void getFailures(VertxTestContext ctx) {
    Future.all(
            failure(client.get(UUID.randomUUID().toString())),
            failure(client.get("not-a-uuid")),
            failure(client.get("1-1-1-1-1")),
            failure(Bus.request(node.vertx(), UsersContract.GET.address(), new JsonObject().put("id", 7), Duration.ofSeconds(5))),
            failure(Bus.request(node.vertx(), UsersContract.GET.address(),
                new JsonObject().put("id", UUID.randomUUID().toString()).put("withHash", true), Duration.ofSeconds(5))))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          assertThat(all.<ServiceException>resultAt(0).code()).isEqualTo(ErrorCode.NOT_FOUND);
          for (int i = 1; i < 5; i++) {
            assertThat(all.<ServiceException>resultAt(i).code()).as("case %d", i).isEqualTo(ErrorCode.BAD_REQUEST);
          }
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("jwks returns the configured key's public JWK (kty, use, alg, kid, n, e), nothing private, and the token lifetime")
  void jwks(VertxTestContext ctx) {
    Future.all(client.jwks(), failure(Bus.request(node.vertx(), UsersContract.JWKS.address(), new JsonObject().put("x", 1), Duration.ofSeconds(5))))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          JsonObject jwks = all.resultAt(0);
          assertThat(jwks.fieldNames()).containsExactlyInAnyOrder("keys", "tokenLifetimeSeconds");
          assertThat(jwks.getJsonArray("keys")).hasSize(1);
          JsonObject jwk = jwks.getJsonArray("keys").getJsonObject(0);
          assertThat(jwk).isEqualTo(key.jwk());
          assertThat(jwk.fieldNames()).containsExactlyInAnyOrder("kty", "use", "alg", "kid", "n", "e");
          // SHOP_JWT_TTL's default: the grace a verifier gives a key once it is no longer published.
          assertThat(jwks.getLong("tokenLifetimeSeconds")).isEqualTo(3600L);
          assertThat(all.<ServiceException>resultAt(1).code()).isEqualTo(ErrorCode.BAD_REQUEST);
          ctx.completeNow();
        })));
  }
}
