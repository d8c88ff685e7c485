package dev.vertxshop.hardening.security;

import dev.vertxshop.hardening.security.Shop.Request;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;

/**
 * Random requests over every operation of the OpenAPI document, seeded: most are valid or one mistake away
 * from valid (so they reach the services), the rest are malformed in every way a client can be: broken
 * JSON, wrong types, huge numbers, unicode, oversize bodies, wrong methods, random paths, bad tokens, odd
 * headers.
 */
final class ApiFuzzer {

  /** An operation of the document: method, path template, whether it needs the admin or a user token. */
  record Operation(String id, HttpMethod method, String path, String security, List<String> queryParameters, boolean hasBody) {
  }

  /** A request and the kind of mistake it carries, for the figures. */
  record Fuzzed(String category, String operation, Request request) {
  }

  private static final List<String> CATEGORIES = List.of("valid", "body", "types", "params", "auth", "method", "path",
      "oversize", "headers", "checkout");
  private static final int[] WEIGHTS = {20, 12, 12, 12, 10, 7, 7, 3, 10, 7};

  private final Random random;
  private final List<Operation> operations;
  private final Context context;

  /** What the fuzzer knows of the shop: tokens, ids, forged credentials; {@code orderIds} grows during the run. */
  record Context(String adminToken, List<String> userTokens, List<String> forgedTokens, List<String> productIds,
      List<String> adminProductIds, List<String> emails, String category, List<String> orderIds) {
  }

  /**
   * The stock admin updates write, always the same, on products no cart holds: the checkout invariant allows
   * stock to change only through reservations, and this keeps the admin's writes out of its way.
   */
  static final int ADMIN_STOCK = 777;

  private final List<Operation> withBodies;

  ApiFuzzer(long seed, List<Operation> operations, Context context) {
    this.random = new Random(seed);
    this.operations = List.copyOf(operations);
    this.withBodies = operations.stream().filter(Operation::hasBody).toList();
    this.context = context;
  }

  /** The operations of an OpenAPI document (as JSON). */
  static List<Operation> operations(JsonObject document) {
    List<Operation> out = new ArrayList<>();
    JsonObject paths = document.getJsonObject("paths");
    for (String path : paths.fieldNames()) {
      JsonObject item = paths.getJsonObject(path);
      for (String method : item.fieldNames()) {
        if (!List.of("get", "post", "put", "delete", "patch").contains(method)) {
          continue;
        }
        JsonObject operation = item.getJsonObject(method);
        String security = "";
        JsonArray requirements = operation.getJsonArray("security");
        if (requirements != null && !requirements.isEmpty()) {
          security = requirements.getJsonObject(0).fieldNames().iterator().next();
        }
        List<String> query = new ArrayList<>();
        JsonArray parameters = operation.getJsonArray("parameters", new JsonArray());
        for (Object parameter : parameters) {
          JsonObject p = (JsonObject) parameter;
          if (p.containsKey("$ref")) {
            String ref = p.getString("$ref");
            p = document.getJsonObject("components").getJsonObject("parameters").getJsonObject(ref.substring(ref.lastIndexOf('/') + 1));
          }
          if ("query".equals(p.getString("in"))) {
            query.add(p.getString("name"));
          }
        }
        out.add(new Operation(operation.getString("operationId"), HttpMethod.valueOf(method.toUpperCase(Locale.ROOT)), path,
            security, List.copyOf(query), operation.containsKey("requestBody")));
      }
    }
    return out;
  }

  Fuzzed next() {
    String category = pick(CATEGORIES, WEIGHTS);
    // Body mistakes go to operations that take a body: elsewhere they would only measure the 405.
    List<Operation> from = List.of("body", "types", "oversize").contains(category) ? withBodies : operations;
    Operation op = from.get(random.nextInt(from.size()));
    return switch (category) {
      case "valid" -> new Fuzzed(category, op.id(), valid(op));
      case "body" -> new Fuzzed(category, op.id(), withBody(valid(op), brokenJson(op)));
      case "types" -> new Fuzzed(category, op.id(), withBody(valid(op), Buffer.buffer(wrongTypes(op).encode())));
      case "params" -> new Fuzzed(category, op.id(), params(op));
      case "auth" -> new Fuzzed(category, op.id(), auth(op));
      case "method" -> new Fuzzed(category, op.id(), wrongMethod(op));
      case "path" -> new Fuzzed(category, "random path", randomPath());
      case "oversize" -> new Fuzzed(category, op.id(), withBody(valid(op), oversize()));
      case "headers" -> new Fuzzed(category, op.id(), headers(op));
      default -> new Fuzzed(category, "checkout", checkout());
    };
  }

  // ---- valid requests ------------------------------------------------------------------------------

  Request valid(Operation op) {
    Request request = new Request(op.method(), uri(op, true) + query(op, true), MultiMap.caseInsensitiveMultiMap(), null, false);
    if (op.security().equals("adminToken")) {
      request = request.bearer(context.adminToken());
    } else if (op.security().equals("bearerToken")) {
      request = request.bearer(any(context.userTokens()));
    }
    if (op.id().equals("checkout")) {
      request = request.header("Idempotency-Key", "fz-" + UUID.randomUUID());
    }
    if (op.hasBody()) {
      request = request.json(validBody(op));
    }
    return request;
  }

  private JsonObject validBody(Operation op) {
    return switch (op.id()) {
      case "createProduct", "updateProduct" -> new JsonObject()
          .put("sku", "FZ-" + Long.toString(Math.abs(random.nextLong()), 36).toUpperCase(Locale.ROOT))
          .put("name", "Fuzzed " + word()).put("description", word() + " " + word()).put("category", context.category())
          .put("price", new JsonObject().put("amount", 100 + random.nextInt(10_000)).put("currency", "EUR"))
          .put("stock", op.id().equals("updateProduct") ? ADMIN_STOCK : 500 + random.nextInt(500));
      case "registerUser" -> new JsonObject().put("email", "fz-" + UUID.randomUUID().toString().substring(0, 12) + "@example.com")
          .put("password", "fuzz-" + UUID.randomUUID()).put("name", "Fuzz " + word());
      case "login" -> new JsonObject().put("email", any(context.emails())).put("password", "wrong-" + random.nextInt(1000));
      case "addCartItem" -> new JsonObject().put("productId", any(context.productIds())).put("quantity", 1 + random.nextInt(3));
      case "setCartItem" -> new JsonObject().put("quantity", random.nextInt(4));
      default -> new JsonObject();
    };
  }

  private String uri(Operation op, boolean valid) {
    String path = op.path();
    if (path.contains("{id}")) {
      List<String> products = op.method() == HttpMethod.PUT ? context.adminProductIds() : context.productIds();
      String id = op.path().startsWith("/api/orders") && !context.orderIds().isEmpty() && random.nextBoolean()
          ? any(context.orderIds()) : op.path().startsWith("/api/products") && random.nextInt(4) > 0 ? any(products)
          : UUID.randomUUID().toString();
      path = path.replace("{id}", valid ? id : junkSegment());
    }
    if (path.contains("{productId}")) {
      path = path.replace("{productId}", valid ? any(context.productIds()) : junkSegment());
    }
    return path;
  }

  private String query(Operation op, boolean valid) {
    if (op.queryParameters().isEmpty() || random.nextInt(3) == 0) {
      return "";
    }
    StringBuilder query = new StringBuilder();
    for (String name : op.queryParameters()) {
      if (random.nextBoolean()) {
        continue;
      }
      query.append(query.length() == 0 ? "?" : "&").append(name).append('=')
          .append(valid ? validParameter(name) : junkParameter());
    }
    return query.toString();
  }

  private String validParameter(String name) {
    return switch (name) {
      case "page" -> String.valueOf(1 + random.nextInt(3));
      case "size" -> String.valueOf(1 + random.nextInt(100));
      case "sort" -> any(List.of("name", "-name", "price", "-price"));
      case "category" -> context.category();
      case "q" -> word();
      case "minPrice" -> String.valueOf(random.nextInt(1000));
      case "maxPrice" -> String.valueOf(1000 + random.nextInt(100_000));
      default -> "1";
    };
  }

  // ---- mistakes -----------------------------------------------------------------------------------

  private Buffer brokenJson(Operation op) {
    String valid = validBody(op).encode();
    return switch (random.nextInt(16)) {
      case 0 -> Buffer.buffer(valid.substring(0, random.nextInt(valid.length())));
      case 1 -> Buffer.buffer(valid + "}}garbage");
      case 2 -> Buffer.buffer("{\"a\":");
      case 3 -> Buffer.buffer("");
      case 4 -> Buffer.buffer(any(List.of("null", "[]", "\"text\"", "123", "true", "{}", "[{}]", "-0", "1e999999")));
      case 5 -> Buffer.buffer("[".repeat(5_000) + "]".repeat(5_000));
      case 6 -> Buffer.buffer("{\"a\":".repeat(2_000) + "1" + "}".repeat(2_000));
      case 7 -> Buffer.buffer(valid.replaceFirst(":", ": 123456789012345678901234567890123456789,\"x\":"));
      case 8 -> Buffer.buffer(new byte[] {'{', '"', 'n', '"', ':', '"', (byte) 0xC3, (byte) 0x28, (byte) 0xFF, '"', '}'});
      case 9 -> Buffer.buffer("\uFEFF" + valid, StandardCharsets.UTF_8.name());
      case 10 -> Buffer.buffer(valid.replaceFirst("\\{", "{\"quantity\":1,\"quantity\":\"two\","));
      case 11 -> Buffer.buffer("{\"name\":\"\\ud800\\u0000\\u202e\\uffff\",\"email\":\"\\u0000@x.y\"}");
      case 12 -> Buffer.buffer("{'single':'quotes'}");
      case 13 -> Buffer.buffer("{\"price\":{\"amount\":NaN,\"currency\":\"EUR\"}}");
      case 14 -> Buffer.buffer("\0\0\0\0");
      default -> Buffer.buffer(valid.replace("\"", "'"));
    };
  }

  private JsonObject wrongTypes(Operation op) {
    JsonObject body = validBody(op);
    List<String> fields = new ArrayList<>(body.fieldNames());
    if (fields.isEmpty() || random.nextInt(4) == 0) {
      fields.add(any(List.of("userId", "id", "admin", "role", "version", "__proto__", "constructor", "$where", "price")));
    }
    int changes = 1 + random.nextInt(2);
    for (int i = 0; i < changes; i++) {
      String field = any(fields);
      if (field.equals("price") && random.nextBoolean()) {
        body.put("price", new JsonObject().put("amount", oddValue()).put("currency", oddValue()));
      } else {
        body.put(field, oddValue());
      }
    }
    return body;
  }

  private Object oddValue() {
    return switch (random.nextInt(16)) {
      case 0 -> null;
      case 1 -> random.nextBoolean();
      case 2 -> Long.MAX_VALUE;
      case 3 -> Long.MIN_VALUE;
      case 4 -> new java.math.BigInteger("123456789012345678901234567890");
      case 5 -> 1.5;
      case 6 -> -1;
      case 7 -> 1e308;
      case 8 -> "";
      case 9 -> "\u0000\ud83d\ude00\u202e\u200b";
      case 10 -> "x".repeat(5_000);
      case 11 -> new JsonArray().add(1).add("two").add(new JsonObject());
      case 12 -> new JsonObject().put("nested", new JsonObject().put("deeper", new JsonArray()));
      case 13 -> "' OR '1'='1";
      case 14 -> UUID.randomUUID().toString();
      default -> "99";
    };
  }

  private Request params(Operation op) {
    Request request = valid(op);
    String uri = random.nextBoolean() ? uri(op, false) + query(op, true) : uri(op, true) + junkQuery(op);
    return new Request(request.method(), uri, request.headers(), request.body(), false);
  }

  private String junkQuery(Operation op) {
    List<String> names = new ArrayList<>(op.queryParameters());
    names.add("userId");
    names.add("page");
    StringBuilder query = new StringBuilder("?");
    for (int i = 0; i < 1 + random.nextInt(4); i++) {
      query.append(i == 0 ? "" : "&").append(any(names)).append('=').append(junkParameter());
    }
    return query.toString();
  }

  private String junkParameter() {
    return any(List.of("-1", "0", "1.5", "99999999999999999999999", "1e9", "abc", "", "%00", "%ff%fe", "%F0%9F%98%80",
        "name%27%20OR%201=1", "price&sort=price", "%2e%2e%2f", "x".repeat(3_000), "NaN", "null", "true", "[1]",
        "-9223372036854775809", "%C3%A9t%C3%A9"));
  }

  private String junkSegment() {
    return any(List.of("not-a-uuid", "1-1-1-1-1", "00000000-0000-0000-0000-00000000000g", "%00", "..", "%2e%2e", "%2F",
        "%F0%9F%98%80", "'%20OR%201=1--", "x".repeat(2_000), UUID.randomUUID().toString().toUpperCase(Locale.ROOT) + "x",
        "-1", "null", "%20"));
  }

  private Request auth(Operation op) {
    Request request = valid(op);
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().addAll(request.headers());
    headers.remove("Authorization");
    switch (random.nextInt(8)) {
      case 0 -> { }
      case 1 -> headers.add("Authorization", "Bearer " + any(context.forgedTokens()));
      case 2 -> headers.add("Authorization", "Bearer");
      case 3 -> headers.add("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString("admin:admin".getBytes()));
      case 4 -> headers.add("Authorization", "Bearer " + context.adminToken() + "x");
      case 5 -> headers.add("Authorization", "Bearer " + any(context.userTokens()));
      case 6 -> headers.add("Authorization", "Bearer " + "A".repeat(random.nextInt(6_000)));
      default -> headers.add("Authorization", "Bearer " + context.adminToken());
    }
    return new Request(request.method(), request.uri(), headers, request.body(), false);
  }

  private Request wrongMethod(Operation op) {
    List<HttpMethod> methods = new ArrayList<>(List.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT, HttpMethod.DELETE,
        HttpMethod.PATCH, HttpMethod.HEAD, HttpMethod.OPTIONS, HttpMethod.TRACE, HttpMethod.valueOf("FOO"),
        HttpMethod.valueOf("PROPFIND")));
    methods.remove(op.method());
    Request request = valid(op);
    return new Request(any(methods), request.uri(), request.headers(), request.body(), false);
  }

  private Request randomPath() {
    String path = switch (random.nextInt(10)) {
      case 0 -> "/api/" + junkSegment();
      case 1 -> "/api/products/" + junkSegment() + "/" + junkSegment();
      case 2 -> "/" + word() + "/" + word();
      case 3 -> "/api/../../etc/passwd";
      case 4 -> "//api//products///";
      case 5 -> "/api/%2e%2e/%2e%2e/admin";
      case 6 -> "/api/" + "a/".repeat(500);
      case 7 -> "/api/orders/" + UUID.randomUUID() + "/cancel";
      case 8 -> "/api/users/" + UUID.randomUUID();
      default -> "/api/%F0%9F%98%80?%F0%9F%98%80=%F0%9F%98%80";
    };
    HttpMethod method = any(List.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT, HttpMethod.DELETE));
    Request request = Request.of(method, path);
    return method == HttpMethod.POST || method == HttpMethod.PUT ? request.json("{\"x\":1}") : request;
  }

  private Buffer oversize() {
    int size = 65_536 + 1 + random.nextInt(200_000);
    return Buffer.buffer("{\"name\":\"" + "o".repeat(size) + "\"}");
  }

  private Request headers(Operation op) {
    Request request = valid(op);
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().addAll(request.headers());
    switch (random.nextInt(9)) {
      case 0 -> headers.set("Content-Type", any(List.of("text/plain", "application/xml", "application/json; charset=utf-16",
          "multipart/form-data; boundary=x", "application/x-www-form-urlencoded", "", "application/json;;;", "*/*")));
      case 1 -> headers.remove("Content-Type");
      case 2 -> headers.set("Idempotency-Key", any(List.of("", " ", "has space", "x".repeat(65), "caf\u00e9", "\t",
          Long.toString(random.nextLong()), "fz-" + random.nextInt(5))));
      case 3 -> headers.set("x-correlation-id", any(List.of("", "x".repeat(200), "a\"b", "\u00e9\u00e8", "../../", "{}")));
      case 4 -> headers.set("If-Match", any(List.of("\"1\"", "*", "W/\"999999999999999999999\"", "garbage", "\"-1\"")));
      case 5 -> headers.set("X-Forwarded-For", any(List.of("1.2.3.4", "garbage, 5.6.7.8", "", "::1", "x".repeat(300))));
      case 6 -> headers.set("Accept", any(List.of("application/xml", "*/*", "text/html", "")));
      case 7 -> headers.set("Content-Encoding", any(List.of("gzip", "deflate", "br", "identity")));
      default -> headers.set("Origin", any(List.of("https://evil.example", "null", "http://localhost:3000")));
    }
    return new Request(request.method(), request.uri(), headers, request.body(), false);
  }

  /** Half fill carts, half check them out, some with a key used before: real sagas run during the fuzz. */
  private Request checkout() {
    String token = any(context.userTokens());
    if (random.nextBoolean()) {
      return Request.of(HttpMethod.POST, "/api/cart/items").bearer(token)
          .json(new JsonObject().put("productId", any(context.productIds())).put("quantity", 1 + random.nextInt(2)));
    }
    String key = random.nextInt(4) == 0 ? "fz-repeat-" + random.nextInt(3) : "fz-" + UUID.randomUUID();
    return Request.of(HttpMethod.POST, "/api/orders").bearer(token).header("Idempotency-Key", key);
  }

  private Request withBody(Request request, Buffer body) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().addAll(request.headers());
    headers.set("Content-Type", "application/json");
    return new Request(request.method() == HttpMethod.GET || request.method() == HttpMethod.DELETE ? HttpMethod.POST : request.method(),
        request.uri(), headers, body, false);
  }

  private String word() {
    return any(List.of("desk", "lamp", "chair", "\u00e9t\u00e9", "\u4e2d\u6587", "emoji\ud83d\ude00", "tab\tbed", "quote\"d",
        "back\\slash", "x"));
  }

  private <T> T any(List<T> values) {
    return values.get(random.nextInt(values.size()));
  }

  private String pick(List<String> values, int[] weights) {
    int total = 0;
    for (int weight : weights) {
      total += weight;
    }
    int roll = random.nextInt(total);
    for (int i = 0; i < values.size(); i++) {
      roll -= weights[i];
      if (roll < 0) {
        return values.get(i);
      }
    }
    return values.get(values.size() - 1);
  }
}
