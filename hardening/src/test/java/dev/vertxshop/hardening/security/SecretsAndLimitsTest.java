package dev.vertxshop.hardening.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vertxshop.hardening.security.Shop.Request;
import dev.vertxshop.hardening.security.Shop.Response;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Secrets and limits of the public API on the whole shop: passwords are neither logged (every log event
 * of every logger at DEBUG, and the console, captured) nor answered; failed sign-ins are throttled; an
 * oversize body is refused before anything is done with it.
 */
@DisplayName("Secrets and limits: passwords never logged nor returned, sign-in throttled (429), bodies over the limit 413")
class SecretsAndLimitsTest {

  private static Shop shop;

  @BeforeAll
  static void start() {
    shop = Shop.start(Map.of());
  }

  @AfterAll
  static void stop() {
    if (shop != null) {
      shop.close();
    }
  }

  @Test
  @DisplayName("register, duplicate, invalid, sign-in right and wrong: no password in any log line, console line or answer")
  void passwordsNeverLoggedNorReturned() {
    String email = Shop.email("secret");
    String good = "Correct-Horse-" + UUID.randomUUID();
    String wrong = "Wrong-Battery-" + UUID.randomUUID();
    String tooShort = "Sh0rt!x";
    String tooLong = "L0ng-" + "x".repeat(130);
    List<String> secrets = List.of(good, wrong, tooShort, tooLong);
    StringBuilder answers = new StringBuilder();
    String token;
    String userId;
    try (LogCapture capture = new LogCapture("dev.vertxshop", "io.vertx")) {
      Response registered = register(email, good);
      assertThat(registered.status()).isEqualTo(201);
      userId = registered.json().getString("id");
      answers.append(registered.text());
      Response duplicate = register(email.toUpperCase(), good);
      assertThat(duplicate.status()).isEqualTo(409);
      answers.append(duplicate.text());
      Response shortOne = register(Shop.email("short"), tooShort);
      assertThat(shortOne.status()).isEqualTo(400);
      answers.append(shortOne.text());
      Response longOne = register(Shop.email("long"), tooLong);
      assertThat(longOne.status()).isEqualTo(400);
      answers.append(longOne.text());

      Response signedIn = login(email, good);
      assertThat(signedIn.status()).isEqualTo(200);
      assertThat(signedIn.headers().get("Cache-Control")).contains("no-store");
      answers.append(signedIn.text());
      token = signedIn.json().getString("token");
      Response refused = login(email, wrong);
      assertThat(refused.status()).isEqualTo(401);
      answers.append(refused.text());
      Response unknown = login(Shop.email("nobody"), wrong);
      assertThat(unknown.status()).isEqualTo(401);
      assertThat(unknown.json()).isEqualTo(refused.json());
      answers.append(unknown.text());
      Response me = shop.get("/api/users/me", token);
      assertThat(me.status()).isEqualTo(200);
      answers.append(me.text());

      String logged = capture.text();
      assertThat(capture.lineCount()).as("the capture saw the requests").isGreaterThan(20);
      assertThat(logged).as("the capture saw the sign-in").contains(userId);
      for (String secret : secrets) {
        assertThat(logged).as("a password in the logs").doesNotContain(secret);
      }
      assertThat(logged).as("a hash in the logs").doesNotContain("$argon2id$");
      assertThat(logged).as("a token in the logs").doesNotContain(token).doesNotContain(token.substring(token.lastIndexOf('.') + 1));
    }
    for (String secret : secrets) {
      assertThat(answers.toString()).as("a password in an answer").doesNotContain(secret);
    }
    assertThat(answers.toString()).doesNotContain("argon2").doesNotContain("password_hash").doesNotContain("passwordHash");
  }

  @Test
  @DisplayName("five wrong passwords, then even the right one is 429 with Retry-After, for that account from that address only")
  void signInThrottled() {
    String email = Shop.email("throttled");
    String password = "Right-" + UUID.randomUUID();
    assertThat(register(email, password).status()).isEqualTo(201);
    for (int i = 1; i <= 5; i++) {
      assertThat(login(email, "wrong-" + i + "-" + UUID.randomUUID()).status()).as("wrong attempt %d", i).isEqualTo(401);
    }
    Response throttled = login(email, password);
    assertThat(throttled.status()).isEqualTo(429);
    assertThat(throttled.json().getString("error")).isEqualTo("too_many_requests");
    assertThat(Long.parseLong(throttled.headers().get("Retry-After"))).isPositive();
    assertThat(login(email, "wrong-again").status()).isEqualTo(429);

    // Another account from the same address is not affected.
    String other = Shop.email("neighbour");
    assertThat(register(other, password).status()).isEqualTo(201);
    assertThat(login(other, password).status()).isEqualTo(200);
  }

  @Test
  @DisplayName("a body over the 64 KiB limit is 413, announced or chunked, and nothing is written")
  void bodyLimit() {
    String email = Shop.email("huge");
    JsonObject body = new JsonObject().put("email", email).put("password", "Big-" + UUID.randomUUID()).put("name", "x".repeat(70_000));
    Response announced = shop.send(Request.of(HttpMethod.POST, "/api/users").json(body));
    assertThat(announced.status()).isEqualTo(413);
    assertThat(announced.json().getString("error")).isEqualTo("payload_too_large");
    Response chunked = shop.send(Request.of(HttpMethod.POST, "/api/users").json(body).inChunks());
    assertThat(chunked.status()).isEqualTo(413);
    Response padded = shop.send(Request.of(HttpMethod.POST, "/api/auth/login").body("application/json",
        Buffer.buffer("{\"email\":\"" + email + "\",\"password\":\"x\"}" + " ".repeat(80_000))));
    assertThat(padded.status()).isEqualTo(413);

    Shop.User user = shop.newUser("limit");
    Response cart = shop.send(Request.of(HttpMethod.POST, "/api/cart/items").bearer(user.token())
        .json("{\"productId\":\"" + UUID.randomUUID() + "\",\"quantity\":1,\"pad\":\"" + "p".repeat(70_000) + "\"}"));
    assertThat(cart.status()).isEqualTo(413);

    Pool users = shop.pool("users");
    try {
      long rows = Shop.await(users.preparedQuery("SELECT count(*) FROM users WHERE lower(email) = lower($1)")
          .execute(Tuple.of(email))).iterator().next().getLong(0);
      assertThat(rows).as("the oversize registration wrote nothing").isZero();
    } finally {
      Shop.await(users.close());
    }
  }

  private static Response register(String email, String password) {
    return shop.send(Request.of(HttpMethod.POST, "/api/users")
        .json(new JsonObject().put("email", email).put("password", password).put("name", "Secret Keeper")));
  }

  private static Response login(String email, String password) {
    return shop.send(Request.of(HttpMethod.POST, "/api/auth/login")
        .json(new JsonObject().put("email", email).put("password", password)));
  }
}
