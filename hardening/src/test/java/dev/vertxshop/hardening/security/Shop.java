package dev.vertxshop.hardening.security;

import dev.vertxshop.gateway.GatewayService;
import dev.vertxshop.platform.boot.ShopMain;
import dev.vertxshop.platform.boot.ShopNode;
import dev.vertxshop.platform.boot.ShopService;
import dev.vertxshop.platform.config.DatabaseConfig;
import dev.vertxshop.platform.config.Env;
import dev.vertxshop.platform.db.Databases;
import dev.vertxshop.platform.testing.ShopTestEnv;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The whole shop in this JVM (every service on the class path, as the all-in-one launcher runs them) on
 * the JVM-shared embedded PostgreSQL and Kafka, plus what the security tests need around it: the admin
 * token, the users service's RSA key (so that tests can sign tokens of their own), a category for
 * products, a plain HTTP client that sends exactly what it is given, and blocking helpers for the test
 * thread. One per test class.
 */
final class Shop implements AutoCloseable {

  static final Duration WAIT = Duration.ofSeconds(60);
  static final String CATEGORY = "security-tests";

  final ShopNode node;
  final Env env;
  final int gatewayPort;
  final int providerAdminPort;
  final String adminToken;
  final KeyPair jwtKeys;
  private final Vertx clientVertx;
  private final HttpClient http;

  private Shop(ShopNode node, Env env, int gatewayPort, int providerAdminPort, String adminToken, KeyPair jwtKeys) {
    this.node = node;
    this.env = env;
    this.gatewayPort = gatewayPort;
    this.providerAdminPort = providerAdminPort;
    this.adminToken = adminToken;
    this.jwtKeys = jwtKeys;
    // The client runs on its own Vert.x: its connections and metrics are not the shop's.
    this.clientVertx = Vertx.vertx();
    this.http = clientVertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
        new io.vertx.core.http.PoolOptions().setHttp1MaxSize(16));
  }

  /** Starts every service; {@code extra} overrides or adds {@code SHOP_*} variables. */
  static Shop start(Map<String, String> extra) {
    return start(extra, List.of());
  }

  /** Starts the services named {@code only} (all when empty; the gateway always). */
  static Shop start(Map<String, String> extra, List<String> only) {
    KeyPair keys = rsaKeys();
    String adminToken = HexFormat.of().formatHex(UUID.randomUUID().toString().getBytes()).substring(0, 40);
    int providerPort = freePort();
    int providerAdminPort = freePort();
    Map<String, String> vars = new HashMap<>();
    vars.put("SHOP_GATEWAY_HOST", "127.0.0.1");
    vars.put("SHOP_GATEWAY_PORT", "0");
    vars.put("SHOP_GATEWAY_INSTANCES", "2");
    vars.put("SHOP_ADMIN_TOKEN", adminToken);
    vars.put("SHOP_JWT_PRIVATE_KEY", pem(keys));
    vars.put("SHOP_PROVIDER_HOST", "127.0.0.1");
    vars.put("SHOP_PROVIDER_PORT", String.valueOf(providerPort));
    vars.put("SHOP_PROVIDER_ADMIN_PORT", String.valueOf(providerAdminPort));
    vars.put("SHOP_PAYMENTS_PROVIDER_URL", "http://127.0.0.1:" + providerPort);
    // Real Argon2id, but cheap: the tests are about who may do what, not about hashing cost.
    vars.put("SHOP_USERS_ARGON2_MEMORY_KIB", "1024");
    vars.put("SHOP_USERS_ARGON2_ITERATIONS", "1");
    // Every request comes from 127.0.0.1: the per-address limits would mix up unrelated tests.
    vars.put("SHOP_USERS_THROTTLE_ADDRESS_ATTEMPTS", "100000");
    vars.put("SHOP_USERS_REGISTER_ADDRESS_ATTEMPTS", "1000000");
    // Four free failures per account and address, then a wait long enough to be seen by the next request.
    vars.put("SHOP_USERS_THROTTLE_FREE_ATTEMPTS", "4");
    vars.put("SHOP_USERS_THROTTLE_DELAY", "60s");
    vars.put("SHOP_CART_INSTANCES", "1");
    vars.put("SHOP_ORDERS_INSTANCES", "1");
    vars.put("SHOP_USERS_INSTANCES", "1");
    vars.put("SHOP_CATALOG_INSTANCES", "1");
    vars.putAll(extra);
    Env env = ShopTestEnv.shared(vars);
    List<ShopService> services = new ArrayList<>(ShopMain.available().values());
    if (!only.isEmpty()) {
      services.removeIf(service -> !only.contains(service.name()) && !(service instanceof GatewayService));
    }
    GatewayService gateway = services.stream().filter(GatewayService.class::isInstance).map(GatewayService.class::cast)
        .findFirst().orElseThrow(() -> new IllegalStateException("no gateway on the class path"));
    ShopNode node = await(ShopNode.start(env, services, false), Duration.ofMinutes(3));
    Shop shop = new Shop(node, env, gateway.port(), providerAdminPort, adminToken, keys);
    if (services.stream().anyMatch(service -> service.name().equals("catalog"))) {
      Pool catalog = shop.pool("catalog");
      try {
        await(catalog.preparedQuery("INSERT INTO categories (id, name) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING")
            .execute(Tuple.of(CATEGORY, "Security tests")));
      } finally {
        await(catalog.close());
      }
    }
    return shop;
  }

  @Override
  public void close() {
    try {
      await(node.stop());
    } finally {
      await(clientVertx.close());
    }
  }

  /** A pool on one service's schema (the caller closes it). */
  Pool pool(String schema) {
    return Databases.pool(node.vertx(), DatabaseConfig.from(env), schema);
  }

  String providerAdminUrl() {
    return "http://127.0.0.1:" + providerAdminPort;
  }

  // ---- HTTP ----------------------------------------------------------------------------------------

  /** One answer: status, headers, body. */
  record Response(int status, MultiMap headers, Buffer body) {

    JsonObject json() {
      return new JsonObject(body);
    }

    String text() {
      return body.toString();
    }
  }

  /** A request sent as is: any method, the URI unnormalized, any headers, any body (chunked if asked). */
  record Request(HttpMethod method, String uri, MultiMap headers, Buffer body, boolean chunked) {

    static Request of(HttpMethod method, String uri) {
      return new Request(method, uri, MultiMap.caseInsensitiveMultiMap(), null, false);
    }

    Request header(String name, String value) {
      headers.add(name, value);
      return this;
    }

    Request bearer(String token) {
      return header("Authorization", "Bearer " + token);
    }

    Request json(JsonObject json) {
      return json(json.encode());
    }

    Request json(String text) {
      return body("application/json", Buffer.buffer(text));
    }

    Request body(String contentType, Buffer buffer) {
      if (contentType != null) {
        headers.set("Content-Type", contentType);
      }
      return new Request(method, uri, headers, buffer, chunked);
    }

    /** The body sent with {@code Transfer-Encoding: chunked}, without a length announced up front. */
    Request inChunks() {
      return new Request(method, uri, headers, body, true);
    }

    @Override
    public String toString() {
      String shown = uri.length() > 120 ? uri.substring(0, 120) + "..." : uri;
      return method.name() + " " + shown + (body == null ? "" : " (" + body.length() + " bytes)");
    }
  }

  Future<Response> sendAsync(Request request) {
    return sendAsync(gatewayPort, request);
  }

  /** To another port of the node (its ops endpoint, say). */
  Response sendTo(int port, Request request) {
    return await(sendAsync(port, request));
  }

  Future<Response> sendAsync(int port, Request request) {
    RequestOptions options = new RequestOptions()
        .setMethod(request.method())
        .setHost("127.0.0.1")
        .setPort(port)
        .setURI(request.uri())
        .setHeaders(request.headers())
        .setIdleTimeout(30_000);
    return http.request(options).compose(req -> {
      if (request.chunked()) {
        req.setChunked(true);
      }
      Future<io.vertx.core.http.HttpClientResponse> sent = request.body() == null ? req.send() : req.send(request.body());
      return sent.compose(response -> response.body().map(body -> new Response(response.statusCode(), response.headers(), body)));
    });
  }

  Response send(Request request) {
    return await(sendAsync(request));
  }

  Response get(String uri, String token) {
    Request request = Request.of(HttpMethod.GET, uri);
    return send(token == null ? request : request.bearer(token));
  }

  // ---- shop helpers -----------------------------------------------------------------------------------

  /** A unique e-mail address for this run. */
  static String email(String who) {
    return who + "-" + UUID.randomUUID().toString().substring(0, 12) + "@example.com";
  }

  /** A new account; returns the user as the API answered it. */
  JsonObject register(String email, String password) {
    Response response = send(Request.of(HttpMethod.POST, "/api/users")
        .json(new JsonObject().put("email", email).put("password", password).put("name", "Test " + email.substring(0, 6))));
    if (response.status() != 201) {
      throw new AssertionError("register " + email + ": " + response.status() + " " + response.text());
    }
    return response.json();
  }

  /** A signed-in user's token. */
  String login(String email, String password) {
    Response response = send(Request.of(HttpMethod.POST, "/api/auth/login")
        .json(new JsonObject().put("email", email).put("password", password)));
    if (response.status() != 200) {
      throw new AssertionError("login " + email + ": " + response.status() + " " + response.text());
    }
    return response.json().getString("token");
  }

  /** A registered, signed-in user. */
  record User(String id, String email, String password, String token) {
  }

  User newUser(String who) {
    String email = email(who);
    String password = "pw-" + UUID.randomUUID();
    JsonObject user = register(email, password);
    return new User(user.getString("id"), email, password, login(email, password));
  }

  /** A new product through the admin API; returns its id. */
  String createProduct(long priceMinor, int stock) {
    String sku = "SEC-" + UUID.randomUUID().toString().substring(0, 13).toUpperCase(Locale.ROOT);
    Response response = send(Request.of(HttpMethod.POST, "/api/products").bearer(adminToken).json(new JsonObject()
        .put("sku", sku).put("name", "Security test " + sku).put("category", CATEGORY)
        .put("price", new JsonObject().put("amount", priceMinor).put("currency", "EUR")).put("stock", stock)));
    if (response.status() != 201) {
      throw new AssertionError("create product: " + response.status() + " " + response.text());
    }
    return response.json().getString("id");
  }

  Response addToCart(User user, String productId, int quantity) {
    return send(Request.of(HttpMethod.POST, "/api/cart/items").bearer(user.token())
        .json(new JsonObject().put("productId", productId).put("quantity", quantity)));
  }

  Response checkout(User user, String key) {
    return send(Request.of(HttpMethod.POST, "/api/orders").bearer(user.token()).header("Idempotency-Key", key));
  }

  // ---- waiting ---------------------------------------------------------------------------------------

  static <T> T await(Future<T> future) {
    return await(future, WAIT);
  }

  static <T> T await(Future<T> future, Duration timeout) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError("failed: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("no result within " + timeout, e);
    }
  }

  /** Polls {@code condition} until it holds, failing after {@code timeout}: a bounded wait, not a sleep. */
  static void eventually(Duration timeout, String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + timeout + ": " + what);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static KeyPair rsaKeys() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return generator.generateKeyPair();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** PKCS#8 PEM, as {@code SHOP_JWT_PRIVATE_KEY} takes it. */
  private static String pem(KeyPair keys) {
    String body = Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(keys.getPrivate().getEncoded());
    return "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n";
  }
}
