package dev.vertxshop.gateway;

import dev.vertxshop.platform.boot.ShopNode;
import dev.vertxshop.platform.boot.ShopService;
import dev.vertxshop.platform.config.Env;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Test fixtures: nodes running the gateway, and an HTTP client pointed at it. */
final class GatewayNodes {

  static final String ADMIN_TOKEN = "test-admin-token-0123456789";
  static final String BEARER = "Bearer " + ADMIN_TOKEN;
  static final String PASSWORD = "correct horse battery";

  private static final AtomicLong SEQUENCE = new AtomicLong();

  private GatewayNodes() {
  }

  /** Gateway settings every test node shares: loopback, a random port shared by two instances, an admin token. */
  static Map<String, String> gatewayVars(Map<String, String> extra) {
    Map<String, String> vars = new HashMap<>();
    vars.put("SHOP_GATEWAY_HOST", "127.0.0.1");
    vars.put("SHOP_GATEWAY_PORT", "0");
    vars.put("SHOP_GATEWAY_INSTANCES", "2");
    vars.put("SHOP_ADMIN_TOKEN", ADMIN_TOKEN);
    vars.putAll(extra);
    return vars;
  }

  /** A node without database or Kafka: enough for a gateway alone (and fault-injecting consumers). */
  static Env gatewayOnlyEnv(Map<String, String> extra) {
    Map<String, String> vars = new HashMap<>();
    vars.put("SHOP_OPS_HOST", "127.0.0.1");
    vars.put("SHOP_OPS_PORT", "0");
    vars.put("SHOP_EVENT_LOOPS", "2");
    vars.put("SHOP_SHUTDOWN_GRACE", "2s");
    vars.putAll(gatewayVars(extra));
    return Env.of(vars);
  }

  static Future<ShopNode> start(Env env, ShopService... services) {
    return ShopNode.start(env, List.of(services), false);
  }

  /** A request to the gateway of {@code gateway}. */
  static HttpRequest<Buffer> request(WebClient client, GatewayService gateway, HttpMethod method, String uri) {
    return client.request(method, gateway.port(), "127.0.0.1", uri);
  }

  static Future<HttpResponse<Buffer>> get(WebClient client, GatewayService gateway, String uri) {
    return request(client, gateway, HttpMethod.GET, uri).send();
  }

  /** An admin write with a JSON body given as text (so that malformed JSON can be sent too). */
  static Future<HttpResponse<Buffer>> write(WebClient client, GatewayService gateway, HttpMethod method, String uri,
      String authorization, String body) {
    HttpRequest<Buffer> request = request(client, gateway, method, uri).putHeader("content-type", "application/json");
    if (authorization != null) {
      request.putHeader("authorization", authorization);
    }
    return request.sendBuffer(Buffer.buffer(body));
  }

  /** A valid new product in {@code category}. */
  static JsonObject product(String sku, String category) {
    return new JsonObject()
        .put("sku", sku)
        .put("name", "Test " + sku)
        .put("description", "made by a gateway test")
        .put("category", category)
        .put("price", new JsonObject().put("amount", 1234).put("currency", "EUR"))
        .put("stock", 7);
  }

  /** Users service settings for tests: cheap Argon2 so that sign-ups and sign-ins take milliseconds. */
  static Map<String, String> cheapUsers() {
    // Sign-ups from 127.0.0.1 are counted across every test class of the JVM (one shared database).
    return Map.of("SHOP_USERS_ARGON2_MEMORY_KIB", "1024", "SHOP_USERS_ARGON2_ITERATIONS", "1",
        "SHOP_USERS_HASH_THREADS", "2", "SHOP_USERS_REGISTER_ADDRESS_ATTEMPTS", "1000000");
  }

  /** An e-mail address no other test, run or class uses. */
  static String uniqueEmail(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8) + "-" + SEQUENCE.incrementAndGet() + "@example.com";
  }

  static int freePort() {
    return dev.vertxshop.embedded.LoopbackPorts.reserve();
  }

  /** A request with {@code Authorization: Bearer <token>} (none when {@code token} is null). */
  static HttpRequest<Buffer> authorized(WebClient client, GatewayService gateway, HttpMethod method, String uri, String token) {
    HttpRequest<Buffer> request = request(client, gateway, method, uri);
    if (token != null) {
      request.putHeader("authorization", "Bearer " + token);
    }
    return request;
  }

  /** A JSON body given as text, so that malformed JSON can be sent too, with the user's token. */
  static Future<HttpResponse<Buffer>> send(WebClient client, GatewayService gateway, HttpMethod method, String uri,
      String token, String body) {
    return authorized(client, gateway, method, uri, token).putHeader("content-type", "application/json")
        .sendBuffer(Buffer.buffer(body));
  }

  /** A signed-in test user. */
  record Session(String userId, String email, String token) {
  }

  /** Registers a new user through the gateway and signs in; {@code forwardedFor} is sent as X-Forwarded-For if set. */
  static Future<Session> signUp(WebClient client, GatewayService gateway, String prefix, String forwardedFor) {
    String email = uniqueEmail(prefix);
    return send(client, gateway, HttpMethod.POST, "/api/users", null,
        new JsonObject().put("email", email).put("password", PASSWORD).put("name", prefix).encode())
        .compose(registered -> {
          if (registered.statusCode() != 201) {
            return Future.failedFuture("registration answered " + registered.statusCode() + ": " + registered.bodyAsString());
          }
          HttpRequest<Buffer> login = request(client, gateway, HttpMethod.POST, "/api/auth/login");
          if (forwardedFor != null) {
            login.putHeader("x-forwarded-for", forwardedFor);
          }
          return login.sendJsonObject(new JsonObject().put("email", email).put("password", PASSWORD));
        })
        .compose(login -> login.statusCode() == 200
            ? Future.succeededFuture(new Session(login.bodyAsJsonObject().getJsonObject("user").getString("id"), email,
                login.bodyAsJsonObject().getString("token")))
            : Future.failedFuture("login answered " + login.statusCode() + ": " + login.bodyAsString()));
  }

  /**
   * Repeats {@code attempt} until its result satisfies {@code done}, at most for {@code limit}; fails with the
   * last result when it never does. For outcomes that arrive asynchronously (Kafka, background key loading).
   */
  static <T> Future<T> poll(Vertx vertx, Supplier<Future<T>> attempt, Predicate<T> done, Duration limit) {
    long deadline = System.nanoTime() + limit.toNanos();
    Promise<T> result = Promise.promise();
    pollOnce(vertx, attempt, done, deadline, result);
    return result.future();
  }

  private static <T> void pollOnce(Vertx vertx, Supplier<Future<T>> attempt, Predicate<T> done, long deadline, Promise<T> result) {
    attempt.get().onComplete(value -> {
      if (done.test(value)) {
        result.complete(value);
      } else if (System.nanoTime() > deadline) {
        result.fail(new AssertionError("condition not met in time; last result: " + describe(value)));
      } else {
        vertx.setTimer(100, id -> pollOnce(vertx, attempt, done, deadline, result));
      }
    }, failure -> {
      if (System.nanoTime() > deadline) {
        result.fail(failure);
      } else {
        vertx.setTimer(100, id -> pollOnce(vertx, attempt, done, deadline, result));
      }
    });
  }

  private static String describe(Object value) {
    return value instanceof HttpResponse<?> response ? response.statusCode() + " " + response.bodyAsString() : String.valueOf(value);
  }

  /** Completes after {@code ms}: only to let time pass (a rate limit's interval), never as an assertion. */
  static Future<Void> pause(Vertx vertx, long ms) {
    Promise<Void> done = Promise.promise();
    vertx.setTimer(ms, id -> done.complete());
    return done.future();
  }

  static Duration seconds(long seconds) {
    return Duration.ofSeconds(seconds);
  }
}
