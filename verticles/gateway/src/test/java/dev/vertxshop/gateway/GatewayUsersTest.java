package dev.vertxshop.gateway;

import static dev.vertxshop.gateway.GatewayCatalogTest.assertError;
import static dev.vertxshop.gateway.GatewayCatalogTest.message;
import static dev.vertxshop.gateway.GatewayNodes.PASSWORD;
import static dev.vertxshop.gateway.GatewayNodes.authorized;
import static dev.vertxshop.gateway.GatewayNodes.request;
import static dev.vertxshop.gateway.GatewayNodes.send;
import static dev.vertxshop.gateway.GatewayNodes.signUp;
import static dev.vertxshop.gateway.GatewayNodes.uniqueEmail;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vertxshop.contracts.users.UsersContract;
import dev.vertxshop.platform.boot.ShopNode;
import dev.vertxshop.platform.testing.ShopTestEnv;
import dev.vertxshop.users.UsersService;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The users' routes and the token check, against the real users service. The users service signs with a key
 * made here ({@code SHOP_JWT_PRIVATE_KEY}), so that tests can also sign tokens that are right in every way
 * but one (expired, other audience...); the gateway itself only learns the key from {@code users.jwks}.
 */
@DisplayName("Gateway in front of the real users service: sign-up, sign-in, /me and the token check")
@ExtendWith(VertxExtension.class)
class GatewayUsersTest {

  private static final int FREE_FAILURES = 2;
  private static final int ADDRESS_ATTEMPTS = 4;
  private static final AtomicInteger ADDRESSES = new AtomicInteger();

  private static final TestTokens.Key USERS_KEY = TestTokens.Key.generate();
  private static final TestTokens.Key OTHER_KEY = TestTokens.Key.generate();

  private static ShopNode node;
  private static GatewayService gateway;
  private static WebClient client;

  @BeforeAll
  @Timeout(value = 3, timeUnit = TimeUnit.MINUTES)
  static void start(Vertx vertx, VertxTestContext ctx) {
    gateway = new GatewayService();
    client = WebClient.create(vertx);
    Map<String, String> vars = new HashMap<>(GatewayNodes.cheapUsers());
    vars.put("SHOP_JWT_PRIVATE_KEY", USERS_KEY.privatePem());
    // Behind "our own proxy": each test speaks from addresses of its own, so throttling never crosses tests.
    vars.put("SHOP_GATEWAY_TRUST_FORWARDED", "true");
    vars.put("SHOP_USERS_THROTTLE_FREE_ATTEMPTS", String.valueOf(FREE_FAILURES));
    vars.put("SHOP_USERS_THROTTLE_DELAY", "5s");
    vars.put("SHOP_USERS_THROTTLE_ADDRESS_ATTEMPTS", String.valueOf(ADDRESS_ATTEMPTS));
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

  /** An address that only the calling test uses. */
  private static String address() {
    int n = ADDRESSES.incrementAndGet();
    return "10.77." + (n / 250) + "." + (n % 250 + 1);
  }

  private static JsonObject registration(String email) {
    return new JsonObject().put("email", email).put("password", PASSWORD).put("name", "Ada Lovelace");
  }

  private static Future<HttpResponse<Buffer>> register(String body) {
    return send(client, gateway, HttpMethod.POST, "/api/users", null, body);
  }

  private static Future<HttpResponse<Buffer>> login(String forwardedFor, String body) {
    return request(client, gateway, HttpMethod.POST, "/api/auth/login")
        .putHeader("content-type", "application/json")
        .putHeader("x-forwarded-for", forwardedFor)
        .sendBuffer(Buffer.buffer(body));
  }

  private static String credentials(String email, String password) {
    return new JsonObject().put("email", email).put("password", password).encode();
  }

  private static Future<HttpResponse<Buffer>> me(String authorization) {
    var request = request(client, gateway, HttpMethod.GET, "/api/users/me");
    if (authorization != null) {
      request.putHeader("authorization", authorization);
    }
    return request.send();
  }

  @Test
  @DisplayName("POST /api/users is 201 with Location /api/users/me; login answers a Bearer token; /me answers the account")
  void registerLoginMe(VertxTestContext ctx) {
    String email = uniqueEmail("Reg.Ok");
    register(registration(email).encode()).compose(response -> {
      assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(201);
      assertThat(response.getHeader("location")).isEqualTo("/api/users/me");
      JsonObject user = response.bodyAsJsonObject();
      assertThat(user.fieldNames()).containsExactlyInAnyOrder("id", "email", "name", "createdAt");
      assertThat(user.getString("email")).isEqualTo(email);
      assertThat(response.bodyAsString()).doesNotContain(PASSWORD);
      return login(address(), credentials(email.toUpperCase(), PASSWORD)).compose(signedIn -> {
        assertThat(signedIn.statusCode()).as(signedIn.bodyAsString()).isEqualTo(200);
        assertThat(signedIn.getHeader("cache-control")).isEqualTo("no-store");
        JsonObject token = signedIn.bodyAsJsonObject();
        assertThat(token.getString("tokenType")).isEqualTo("Bearer");
        assertThat(token.getJsonObject("user")).isEqualTo(user);
        assertThat(Instant.parse(token.getString("expiresAt"))).isAfter(Instant.now());
        JsonObject claims = TestTokens.payload(token.getString("token"));
        assertThat(claims.getString("sub")).isEqualTo(user.getString("id"));
        return me("Bearer " + token.getString("token"));
      }).map(read -> {
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(read.bodyAsJsonObject()).isEqualTo(user);
        assertThat(read.getHeader("cache-control")).isEqualTo("no-store");
        return null;
      });
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("an e-mail already registered, in any case, is 409")
  void duplicate(VertxTestContext ctx) {
    String email = uniqueEmail("Reg.Dup");
    register(registration(email).encode())
        .compose(first -> {
          assertThat(first.statusCode()).isEqualTo(201);
          return register(registration(email.toUpperCase()).encode());
        }).map(second -> {
          assertError(second, 409, "conflict");
          return null;
        }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("invalid registrations are 400s naming the problem, and create nothing (the e-mail stays free)")
  void invalidRegistrations(VertxTestContext ctx) {
    String email = uniqueEmail("Reg.Bad");
    JsonObject valid = registration(email);
    List<String> bodies = List.of(
        valid.copy().put("email", "not-an-email").encode(),
        valid.copy().put("email", "a".repeat(250) + "@example.com").encode(),
        valid.copy().put("password", "short").encode(),
        valid.copy().put("password", "p".repeat(129)).encode(),
        valid.copy().put("name", "").encode(),
        valid.copy().put("name", "n".repeat(101)).encode(),
        valid.copy().put("password", 12345678).encode(),
        valid.copy().put("role", "admin").encode(),
        without(valid, "name").encode(),
        "{\"email\": ",
        "[]");
    List<String> expected = List.of("'email'", "'email'", "'password'", "'password'", "'name'", "'name'", "'password'",
        "unknown field 'role'", "missing required field 'name'", "not valid JSON", "request body");
    Future<Void> chain = Future.succeededFuture();
    for (int i = 0; i < bodies.size(); i++) {
      String body = bodies.get(i);
      String part = expected.get(i);
      chain = chain.compose(v -> register(body)).map(response -> {
        assertError(response, 400, "bad_request");
        assertThat(message(response)).as(body).contains(part);
        assertThat(message(response)).doesNotContain(PASSWORD);
        return null;
      });
    }
    chain.compose(v -> register(valid.encode())).map(response -> {
      assertThat(response.statusCode()).as("the e-mail was not taken by a refused request").isEqualTo(201);
      return null;
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("a registration over the body limit is 413 and creates nothing")
  void oversize(VertxTestContext ctx) {
    String email = uniqueEmail("Reg.Big");
    register(registration(email).put("name", "n".repeat(80 * 1024)).encode()).compose(response -> {
      assertError(response, 413, "payload_too_large");
      return register(registration(email).encode());
    }).map(response -> {
      assertThat(response.statusCode()).isEqualTo(201);
      return null;
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("a wrong password and an unknown e-mail are the same 401; invalid login bodies are 400")
  void badLogins(VertxTestContext ctx) {
    String from = address();
    signUp(client, gateway, "Login.Bad", from).compose(session ->
        login(from, credentials(session.email(), "wrong password")).compose(wrong ->
            login(from, credentials(uniqueEmail("Nobody"), PASSWORD)).map(unknown -> {
              assertError(wrong, 401, "unauthorized");
              assertError(unknown, 401, "unauthorized");
              assertThat(message(wrong)).isEqualTo(message(unknown));
              assertThat(wrong.getHeader("www-authenticate")).startsWith("Bearer");
              return session;
            }))
    ).compose(session -> {
      List<String> bodies = List.of(
          new JsonObject().put("email", session.email()).encode(),
          new JsonObject().put("email", session.email()).put("password", PASSWORD).put("clientAddress", "1.2.3.4").encode(),
          new JsonObject().put("email", "nope").put("password", PASSWORD).encode(),
          new JsonObject().put("email", session.email()).put("password", "").encode(),
          "not json");
      List<Future<?>> checks = new ArrayList<>();
      for (String body : bodies) {
        checks.add(login(from, body).map(response -> {
          assertError(response, 400, "bad_request");
          return null;
        }));
      }
      return Future.all(checks);
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("a sign-in slowed down (an account guessed at from one address) is 429 with Retry-After in seconds")
  void throttledAccount(VertxTestContext ctx) {
    String from = address();
    String guesser = address();
    signUp(client, gateway, "Login.Throttle", from).compose(session -> {
      Future<Void> chain = Future.succeededFuture();
      for (int i = 0; i <= FREE_FAILURES; i++) {
        chain = chain.compose(v -> login(guesser, credentials(session.email(), "wrong password"))).map(response -> {
          assertError(response, 401, "unauthorized");
          return null;
        });
      }
      // Even the right password now waits for the delay to pass, from that address.
      return chain.compose(v -> login(guesser, credentials(session.email(), PASSWORD)));
    }).map(response -> {
      assertError(response, 429, "too_many_requests");
      assertThat(Integer.parseInt(response.getHeader("retry-after"))).isBetween(1, 5);
      return null;
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("behind a trusted proxy, failed sign-ins count against the first X-Forwarded-For hop, not the others")
  void forwardedForFirstHop(VertxTestContext ctx) {
    String client1 = address();
    String client2 = address();
    String proxy = "192.168.77.1";
    Future<Void> chain = Future.succeededFuture();
    for (int i = 0; i < ADDRESS_ATTEMPTS; i++) {
      // Unknown accounts each time, so that only the address limit can be reached.
      chain = chain.compose(v -> login(client1 + ", " + proxy, credentials(uniqueEmail("Hop"), "wrong password")))
          .map(response -> {
            assertError(response, 401, "unauthorized");
            return null;
          });
    }
    chain.compose(v -> login(client1 + ", 192.168.77.2", credentials(uniqueEmail("Hop"), "wrong password")))
        .compose(sameClient -> {
          assertError(sameClient, 429, "too_many_requests");
          return login(client2 + ", " + proxy, credentials(uniqueEmail("Hop"), "wrong password"));
        }).compose(sameProxy -> {
          assertError(sameProxy, 401, "unauthorized");
          return login("not an address, " + proxy, credentials(uniqueEmail("Hop"), PASSWORD));
        }).map(garbage -> {
          assertError(garbage, 400, "bad_request");
          assertThat(message(garbage)).contains("X-Forwarded-For");
          return null;
        }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("/api/users/me without a token is 401 with WWW-Authenticate: Bearer, and never reaches the users service")
  void meWithoutToken(VertxTestContext ctx) {
    me(null).map(response -> {
      assertError(response, 401, "unauthorized");
      assertThat(response.getHeader("www-authenticate")).isEqualTo("Bearer realm=\"shop\"");
      return null;
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("every kind of bad token is 401: malformed, tampered, expired, other audience or issuer, alg none, HS256 with the public key, another key")
  void badTokens(VertxTestContext ctx) {
    signUp(client, gateway, "Tokens", address()).compose(session -> {
      String good = session.token();
      JsonObject claims = TestTokens.payload(good);
      long now = Instant.now().getEpochSecond();
      String[] parts = good.split("\\.");
      char last = parts[2].charAt(10);
      String flipped = parts[0] + "." + parts[1] + "." + parts[2].substring(0, 10) + (last == 'A' ? 'B' : 'A') + parts[2].substring(11);
      Map<String, String> cases = new java.util.LinkedHashMap<>();
      cases.put("Basic scheme", "Basic " + good);
      cases.put("empty bearer", "Bearer ");
      cases.put("one segment", "Bearer abc");
      cases.put("two segments", "Bearer " + parts[0] + "." + parts[1]);
      cases.put("four segments", "Bearer " + good + ".abc");
      cases.put("not base64", "Bearer " + parts[0] + ".%%%." + parts[2]);
      cases.put("header not JSON", "Bearer " + TestTokens.encode(new JsonObject()).substring(0, 2) + "." + parts[1] + "." + parts[2]);
      cases.put("tampered signature", "Bearer " + flipped);
      cases.put("tampered claims", "Bearer " + TestTokens.withPayload(good, claims.copy().put("sub", UUID.randomUUID().toString())));
      cases.put("expired", "Bearer " + USERS_KEY.sign(USERS_KEY.header(), claims.copy().put("iat", now - 7200).put("exp", now - 120)));
      cases.put("other audience", "Bearer " + USERS_KEY.sign(USERS_KEY.header(), claims.copy().put("aud", "another-api")));
      cases.put("other issuer", "Bearer " + USERS_KEY.sign(USERS_KEY.header(), claims.copy().put("iss", "someone-else")));
      cases.put("no expiry", "Bearer " + USERS_KEY.sign(USERS_KEY.header(), without(claims, "exp")));
      cases.put("subject not a user id", "Bearer " + USERS_KEY.sign(USERS_KEY.header(), claims.copy().put("sub", "admin")));
      cases.put("alg none", "Bearer " + TestTokens.unsigned(claims, true));
      cases.put("alg none, no dot", "Bearer " + TestTokens.unsigned(claims, false));
      cases.put("HS256 keyed with the public PEM", "Bearer " + TestTokens.hs256(USERS_KEY.header(), claims,
          USERS_KEY.publicPem().getBytes(StandardCharsets.US_ASCII)));
      cases.put("HS256 keyed with the public DER", "Bearer " + TestTokens.hs256(USERS_KEY.header(), claims,
          USERS_KEY.pair().getPublic().getEncoded()));
      cases.put("RS384", "Bearer " + USERS_KEY.sign(USERS_KEY.header().put("alg", "RS384"), claims));
      cases.put("another key under the users' kid", "Bearer " + OTHER_KEY.sign(USERS_KEY.header(), claims));
      cases.put("another key without kid", "Bearer " + OTHER_KEY.sign(new JsonObject().put("alg", "RS256"), claims));
      List<Supplier<Future<Void>>> checks = new ArrayList<>();
      cases.forEach((name, authorization) -> checks.add(() -> me(authorization).map(response -> {
        assertThat(response.statusCode()).as(name + ": " + response.bodyAsString()).isEqualTo(401);
        assertError(response, 401, "unauthorized");
        assertThat(response.getHeader("www-authenticate")).as(name).startsWith("Bearer realm=\"shop\"");
        if (name.equals("expired")) {
          assertThat(message(response)).contains("expired");
        }
        return null;
      })));
      Future<Void> chain = Future.succeededFuture();
      for (Supplier<Future<Void>> check : checks) {
        chain = chain.compose(v -> check.get());
      }
      // The same claims, properly signed, pass: each case above failed for its one difference.
      return chain.compose(v -> me("Bearer " + USERS_KEY.sign(USERS_KEY.header(), claims.copy().put("jti", "x"))));
    }).map(response -> {
      assertThat(response.statusCode()).isEqualTo(200);
      return null;
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("a token expired for less than the leeway (30 s) is still accepted")
  void leeway(VertxTestContext ctx) {
    signUp(client, gateway, "Leeway", address()).compose(session -> {
      long now = Instant.now().getEpochSecond();
      JsonObject claims = TestTokens.payload(session.token()).put("iat", now - 3600).put("exp", now - 5);
      return authorized(client, gateway, HttpMethod.GET, "/api/users/me", USERS_KEY.sign(USERS_KEY.header(), claims)).send();
    }).map(response -> {
      assertThat(response.statusCode()).isEqualTo(200);
      return null;
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("a valid token whose account does not exist is 404 on /me")
  void unknownAccount(VertxTestContext ctx) {
    String token = USERS_KEY.sign(USERS_KEY.header(), TestTokens.claims(UUID.randomUUID().toString()));
    authorized(client, gateway, HttpMethod.GET, "/api/users/me", token).send().map(response -> {
      assertError(response, 404, "not_found");
      return null;
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("the claims' issuer and audience are the contract's")
  void contractClaims(VertxTestContext ctx) {
    signUp(client, gateway, "Claims", address()).map(session -> {
      JsonObject claims = TestTokens.payload(session.token());
      assertThat(claims.getString("iss")).isEqualTo(UsersContract.ISSUER);
      assertThat(claims.getValue("aud")).isEqualTo(UsersContract.AUDIENCE);
      return null;
    }).onComplete(ctx.succeedingThenComplete());
  }

  private static JsonObject without(JsonObject json, String field) {
    JsonObject copy = json.copy();
    copy.remove(field);
    return copy;
  }
}
