package dev.vertxshop.gateway;

import static dev.vertxshop.gateway.GatewayNodes.BEARER;
import static dev.vertxshop.gateway.GatewayNodes.get;
import static dev.vertxshop.gateway.GatewayNodes.product;
import static dev.vertxshop.gateway.GatewayNodes.request;
import static dev.vertxshop.gateway.GatewayNodes.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vertxshop.catalog.CatalogService;
import dev.vertxshop.platform.boot.ShopNode;
import dev.vertxshop.platform.testing.ShopTestEnv;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@DisplayName("Gateway in front of a real catalog (embedded PostgreSQL and Kafka)")
@ExtendWith(VertxExtension.class)
class GatewayCatalogTest {

  /** Seeded with 30 products and never written by these tests, so its counts are exact. */
  private static final String READ_ONLY_CATEGORY = "garden";
  /** Where the write tests create their products. */
  private static final String WRITE_CATEGORY = "office";
  private static final int SEEDED_PER_CATEGORY = 30;

  private static ShopNode node;
  private static GatewayService gateway;
  private static WebClient client;

  @BeforeAll
  @Timeout(value = 3, timeUnit = TimeUnit.MINUTES)
  static void start(Vertx vertx, VertxTestContext ctx) {
    gateway = new GatewayService();
    client = WebClient.create(vertx);
    GatewayNodes.start(ShopTestEnv.shared(GatewayNodes.gatewayVars(Map.of("SHOP_CATALOG_SEED_DEMO", "true"))),
            new CatalogService(), gateway)
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

  @Test
  @DisplayName("GET /api/products answers the first page of 20 by name, as JSON with the API's headers")
  void listDefaults(VertxTestContext ctx) {
    get(client, gateway, "/api/products").map(response -> {
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.getHeader("content-type")).isEqualTo("application/json; charset=utf-8");
      assertThat(response.getHeader("x-content-type-options")).isEqualTo("nosniff");
      JsonObject page = response.bodyAsJsonObject();
      assertThat(page.getInteger("page")).isEqualTo(1);
      assertThat(page.getInteger("size")).isEqualTo(20);
      assertThat(page.getInteger("total")).isGreaterThanOrEqualTo(10 * SEEDED_PER_CATEGORY);
      assertThat(page.getJsonArray("items")).hasSize(20);
      JsonObject first = page.getJsonArray("items").getJsonObject(0);
      assertThat(first.fieldNames()).contains("id", "sku", "name", "category", "price", "stock", "version");
      return null;
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("paging: size 1 and 100 are accepted, the last page holds the rest, a page past the end is empty")
  void pagingBoundaries(VertxTestContext ctx) {
    String base = "/api/products?category=" + READ_ONLY_CATEGORY;
    get(client, gateway, base + "&size=1").compose(response -> {
      JsonObject page = response.bodyAsJsonObject();
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(page.getInteger("total")).isEqualTo(SEEDED_PER_CATEGORY);
      assertThat(page.getJsonArray("items")).hasSize(1);
      return get(client, gateway, base + "&size=100");
    }).compose(response -> {
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.bodyAsJsonObject().getInteger("size")).isEqualTo(100);
      assertThat(response.bodyAsJsonObject().getJsonArray("items")).hasSize(SEEDED_PER_CATEGORY);
      return get(client, gateway, base + "&size=7&page=5");
    }).compose(response -> {
      // 30 = 4 pages of 7 + 2.
      assertThat(response.bodyAsJsonObject().getJsonArray("items")).hasSize(2);
      assertThat(response.bodyAsJsonObject().getInteger("page")).isEqualTo(5);
      return get(client, gateway, base + "&size=7&page=6");
    }).map(response -> {
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.bodyAsJsonObject().getJsonArray("items")).isEmpty();
      assertThat(response.bodyAsJsonObject().getInteger("total")).isEqualTo(SEEDED_PER_CATEGORY);
      return null;
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("the category filter returns only that category")
  void categoryFilter(VertxTestContext ctx) {
    get(client, gateway, "/api/products?size=100&category=" + READ_ONLY_CATEGORY).map(response -> {
      JsonArray items = response.bodyAsJsonObject().getJsonArray("items");
      assertThat(items).hasSize(SEEDED_PER_CATEGORY);
      for (int i = 0; i < items.size(); i++) {
        assertThat(items.getJsonObject(i).getString("category")).isEqualTo(READ_ONLY_CATEGORY);
      }
      return null;
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("sorts: price ascending and descending are ordered, -name is exactly name reversed")
  void sorts(VertxTestContext ctx) {
    String base = "/api/products?size=100&category=" + READ_ONLY_CATEGORY + "&sort=";
    Future.all(get(client, gateway, base + "price"), get(client, gateway, base + "-price"),
        get(client, gateway, base + "name"), get(client, gateway, base + "-name")).map(all -> {
          List<Long> ascending = field(all.resultAt(0), p -> p.getJsonObject("price").getLong("amount"));
          List<Long> descending = field(all.resultAt(1), p -> p.getJsonObject("price").getLong("amount"));
          assertThat(ascending).hasSize(SEEDED_PER_CATEGORY).isSorted();
          assertThat(descending).isSortedAccordingTo(Collections.reverseOrder());
          List<String> byName = field(all.resultAt(2), p -> p.getString("id"));
          List<String> byNameReversed = new ArrayList<>(field(all.resultAt(3), p -> p.getString("id")));
          Collections.reverse(byNameReversed);
          assertThat(byName).hasSize(SEEDED_PER_CATEGORY).isEqualTo(byNameReversed);
          return null;
        }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("GET /api/products/{id} answers the product with its version as ETag; an unknown id is 404")
  void getOne(VertxTestContext ctx) {
    get(client, gateway, "/api/products?size=1&category=" + READ_ONLY_CATEGORY).compose(response -> {
      JsonObject listed = response.bodyAsJsonObject().getJsonArray("items").getJsonObject(0);
      return get(client, gateway, "/api/products/" + listed.getString("id")).map(one -> {
        assertThat(one.statusCode()).isEqualTo(200);
        assertThat(one.bodyAsJsonObject()).isEqualTo(listed);
        assertThat(one.getHeader("etag")).isEqualTo("\"" + listed.getLong("version") + "\"");
        return null;
      });
    }).compose(v -> get(client, gateway, "/api/products/" + UUID.randomUUID())).map(response -> {
      assertError(response, 404, "not_found");
      return null;
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("a product id that is not a UUID is a 400 naming the id")
  void malformedId(VertxTestContext ctx) {
    get(client, gateway, "/api/products/not-a-uuid").map(response -> {
      assertError(response, 400, "bad_request");
      assertThat(message(response)).contains("path parameter id");
      return null;
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("GET /api/categories answers the seeded categories")
  void categories(VertxTestContext ctx) {
    get(client, gateway, "/api/categories").map(response -> {
      assertThat(response.statusCode()).isEqualTo(200);
      JsonArray items = response.bodyAsJsonObject().getJsonArray("items");
      assertThat(items.size()).isGreaterThanOrEqualTo(10);
      List<String> ids = new ArrayList<>();
      items.forEach(item -> ids.add(((JsonObject) item).getString("id")));
      assertThat(ids).contains(READ_ONLY_CATEGORY, WRITE_CATEGORY, "books");
      return null;
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("POST with the admin token creates (201, Location, ETag); the product is then readable")
  void create(VertxTestContext ctx) {
    JsonObject fields = product(sku(), WRITE_CATEGORY);
    write(client, gateway, HttpMethod.POST, "/api/products", BEARER, fields.encode()).compose(response -> {
      assertThat(response.statusCode()).isEqualTo(201);
      JsonObject created = response.bodyAsJsonObject();
      assertThat(created.getString("sku")).isEqualTo(fields.getString("sku"));
      assertThat(created.getLong("version")).isEqualTo(1L);
      assertThat(response.getHeader("location")).isEqualTo("/api/products/" + created.getString("id"));
      assertThat(response.getHeader("etag")).isEqualTo("\"1\"");
      return get(client, gateway, response.getHeader("location")).map(read -> {
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(read.bodyAsJsonObject()).isEqualTo(created);
        return null;
      });
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("PUT updates with If-Match, a version field, or neither (then without stock); a stale version is 412 and changes nothing")
  void update(VertxTestContext ctx) {
    JsonObject fields = product(sku(), WRITE_CATEGORY);
    write(client, gateway, HttpMethod.POST, "/api/products", BEARER, fields.encode()).compose(created -> {
      String uri = created.getHeader("location");
      JsonObject renamed = fields.copy().put("name", "Renamed once");
      return request(client, gateway, HttpMethod.PUT, uri)
          .putHeader("authorization", BEARER)
          .putHeader("if-match", "\"1\"")
          .sendJsonObject(renamed)
          .compose(response -> {
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.bodyAsJsonObject().getLong("version")).isEqualTo(2L);
            assertThat(response.bodyAsJsonObject().getString("name")).isEqualTo("Renamed once");
            assertThat(response.getHeader("etag")).isEqualTo("\"2\"");
            // Stale If-Match.
            return request(client, gateway, HttpMethod.PUT, uri)
                .putHeader("authorization", BEARER)
                .putHeader("if-match", "\"1\"")
                .sendJsonObject(fields.copy().put("name", "Lost update"));
          }).compose(response -> {
            assertError(response, 412, "precondition_failed");
            // Stale version field.
            return write(client, gateway, HttpMethod.PUT, uri, BEARER, fields.copy().put("name", "Lost too").put("version", 1).encode());
          }).compose(response -> {
            assertError(response, 412, "precondition_failed");
            return write(client, gateway, HttpMethod.PUT, uri, BEARER, fields.copy().put("name", "Current").put("version", 2).encode());
          }).compose(response -> {
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.bodyAsJsonObject().getLong("version")).isEqualTo(3L);
            // Without a version, the last write wins, and the stock is kept.
            JsonObject noStock = fields.copy().put("name", "Unconditional");
            noStock.remove("stock");
            return write(client, gateway, HttpMethod.PUT, uri, BEARER, noStock.encode());
          }).compose(response -> {
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.bodyAsJsonObject().getLong("version")).isEqualTo(4L);
            assertThat(response.bodyAsJsonObject().getInteger("stock")).isEqualTo(fields.getInteger("stock"));
            // If-Match: * matches any version of an existing product (so it sets no stock).
            JsonObject noStock = fields.copy().put("name", "Any version");
            noStock.remove("stock");
            return request(client, gateway, HttpMethod.PUT, uri)
                .putHeader("authorization", BEARER)
                .putHeader("if-match", "*")
                .sendJsonObject(noStock);
          }).compose(response -> {
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.bodyAsJsonObject().getLong("version")).isEqualTo(5L);
            return get(client, gateway, uri);
          }).map(read -> {
            assertThat(read.bodyAsJsonObject().getString("name")).isEqualTo("Any version");
            return null;
          });
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("stock: POST /api/admin/products/{id}/stock adjusts relatively (200, new level, ETag); below held 409, stale If-Match 412, a PUT of stock without If-Match 400; all change nothing")
  void stockAdjustments(VertxTestContext ctx) {
    JsonObject fields = product(sku(), WRITE_CATEGORY);
    write(client, gateway, HttpMethod.POST, "/api/products", BEARER, fields.encode()).compose(created -> {
      String uri = created.getHeader("location");
      String stockUri = uri.replace("/api/products/", "/api/admin/products/") + "/stock";
      return write(client, gateway, HttpMethod.POST, stockUri, BEARER, new JsonObject().put("delta", 5).put("reason", "delivery").encode())
          .compose(response -> {
            assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
            JsonObject level = response.bodyAsJsonObject();
            assertThat(level.getInteger("stock")).isEqualTo(12);
            assertThat(level.getInteger("held")).isZero();
            assertThat(level.getString("reason")).isEqualTo("delivery");
            assertThat(response.getHeader("etag")).isEqualTo("\"2\"");
            return write(client, gateway, HttpMethod.POST, stockUri, BEARER, new JsonObject().put("delta", -13).put("reason", "stocktake").encode());
          }).compose(response -> {
            assertError(response, 409, "conflict");
            assertThat(message(response)).contains("12 units available").contains("at most 12");
            return request(client, gateway, HttpMethod.POST, stockUri).putHeader("authorization", BEARER).putHeader("if-match", "\"1\"")
                .sendJsonObject(new JsonObject().put("delta", -1).put("reason", "late"));
          }).compose(response -> {
            assertError(response, 412, "precondition_failed");
            return write(client, gateway, HttpMethod.PUT, uri, BEARER, fields.copy().put("stock", 7).encode());
          }).compose(response -> {
            assertError(response, 400, "bad_request");
            assertThat(message(response)).contains("stock");
            return request(client, gateway, HttpMethod.PUT, uri).putHeader("authorization", BEARER).putHeader("if-match", "\"1\"")
                .sendJsonObject(fields.copy().put("stock", 7));
          }).compose(response -> {
            assertError(response, 412, "precondition_failed");
            return write(client, gateway, HttpMethod.POST, stockUri, null, new JsonObject().put("delta", 1).put("reason", "anon").encode());
          }).compose(response -> {
            assertError(response, 401, "unauthorized");
            return write(client, gateway, HttpMethod.POST, stockUri, BEARER, new JsonObject().put("delta", 1).encode());
          }).compose(response -> {
            assertError(response, 400, "bad_request");
            assertThat(message(response)).contains("reason");
            return write(client, gateway, HttpMethod.POST, stockUri, BEARER, new JsonObject().put("delta", 0).put("reason", "none").encode());
          }).compose(response -> {
            assertError(response, 400, "bad_request");
            return get(client, gateway, uri);
          }).map(read -> {
            assertThat(read.bodyAsJsonObject().getInteger("stock")).as("only the first adjustment moved it").isEqualTo(12);
            assertThat(read.bodyAsJsonObject().getLong("version")).isEqualTo(2L);
            assertThat(read.getHeader("etag")).isEqualTo("\"2\"");
            return null;
          });
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("If-Match and a version field that disagree are a 400")
  void versionsDisagree(VertxTestContext ctx) {
    JsonObject fields = product(sku(), WRITE_CATEGORY);
    write(client, gateway, HttpMethod.POST, "/api/products", BEARER, fields.encode()).compose(created ->
        request(client, gateway, HttpMethod.PUT, created.getHeader("location"))
            .putHeader("authorization", BEARER)
            .putHeader("if-match", "\"1\"")
            .sendJsonObject(fields.copy().put("version", 2))
    ).map(response -> {
      assertError(response, 400, "bad_request");
      assertThat(message(response)).contains("If-Match").contains("version");
      return null;
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("writes without the admin token, or with a wrong one, are 401 and write nothing")
  void unauthorized(VertxTestContext ctx) {
    JsonObject fields = product(sku(), WRITE_CATEGORY);
    String existing = "/api/products/" + UUID.randomUUID();
    unchanged(ctx, List.of(
        () -> write(client, gateway, HttpMethod.POST, "/api/products", null, fields.encode()),
        () -> write(client, gateway, HttpMethod.POST, "/api/products", "Bearer not-the-token-at-all-000", fields.encode()),
        () -> write(client, gateway, HttpMethod.POST, "/api/products", "Basic " + GatewayNodes.ADMIN_TOKEN, fields.encode()),
        () -> write(client, gateway, HttpMethod.PUT, existing, null, fields.encode())),
        response -> {
          assertError(response, 401, "unauthorized");
          assertThat(response.getHeader("www-authenticate")).startsWith("Bearer");
        });
  }

  @Test
  @DisplayName("invalid create bodies are 400s naming the problem, and write nothing")
  void invalidBodies(VertxTestContext ctx) {
    String sku = sku();
    JsonObject valid = product(sku, WRITE_CATEGORY);
    List<Call> calls = List.of(
        () -> post("{\"sku\": \"" + sku + "\", \"name\": "),
        () -> post(valid.copy().put("price", new JsonObject().put("amount", "12").put("currency", "EUR")).encode()),
        () -> post(valid.copy().put("stock", 1.5).encode()),
        () -> post(valid.copy().put("color", "red").encode()),
        () -> post(valid.copy().put("id", UUID.randomUUID().toString()).encode()),
        () -> post(withoutField(valid, "name").encode()),
        () -> post(valid.copy().put("price", new JsonObject().put("amount", 1)).encode()),
        () -> post(valid.copy().put("sku", "lower-case").encode()),
        () -> post(valid.copy().put("price", new JsonObject().put("amount", -1).put("currency", "EUR")).encode()),
        () -> post("[]"),
        () -> post(""),
        () -> request(client, gateway, HttpMethod.POST, "/api/products")
            .putHeader("authorization", BEARER)
            .putHeader("content-type", "text/plain")
            .sendBuffer(Buffer.buffer(valid.encode())));
    List<String> expected = List.of("not valid JSON", "'price.amount'", "'stock'", "unknown field 'color'",
        "unknown field 'id'", "missing required field 'name'", "missing required field 'price.currency'", "'sku'",
        "'price.amount'", "request body", "body is required", "application/json");
    int[] index = {0};
    unchanged(ctx, calls, response -> {
      assertError(response, 400, "bad_request");
      assertThat(message(response)).contains(expected.get(index[0]++));
    });
  }

  @Test
  @DisplayName("an unknown field in an update is a 400 and changes nothing")
  void invalidUpdate(VertxTestContext ctx) {
    JsonObject fields = product(sku(), WRITE_CATEGORY);
    write(client, gateway, HttpMethod.POST, "/api/products", BEARER, fields.encode()).compose(created -> {
      String uri = created.getHeader("location");
      return write(client, gateway, HttpMethod.PUT, uri, BEARER, fields.copy().put("name", "Changed").put("colour", "red").encode())
          .compose(response -> {
            assertError(response, 400, "bad_request");
            assertThat(message(response)).contains("unknown field 'colour'");
            return get(client, gateway, uri);
          }).map(read -> {
            assertThat(read.bodyAsJsonObject().getString("name")).isEqualTo(fields.getString("name"));
            assertThat(read.bodyAsJsonObject().getLong("version")).isEqualTo(1L);
            return null;
          });
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("the catalog's own refusals come through: unknown category 400, duplicate sku 409")
  void catalogRefusals(VertxTestContext ctx) {
    JsonObject fields = product(sku(), WRITE_CATEGORY);
    write(client, gateway, HttpMethod.POST, "/api/products", BEARER, product(sku(), "no-such-category").encode())
        .compose(response -> {
          assertError(response, 400, "bad_request");
          assertThat(message(response)).contains("category");
          return write(client, gateway, HttpMethod.POST, "/api/products", BEARER, fields.encode());
        }).compose(response -> {
          assertThat(response.statusCode()).isEqualTo(201);
          return write(client, gateway, HttpMethod.POST, "/api/products", BEARER, fields.encode());
        }).map(response -> {
          assertError(response, 409, "conflict");
          return null;
        }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("invalid query parameters are 400s naming the parameter")
  void invalidQueries(VertxTestContext ctx) {
    Map<String, String> cases = Map.of(
        "size=0", "size", "size=-1", "size", "size=101", "size", "size=99999999999", "size",
        "page=0", "page", "page=abc", "page", "sort=colour", "sort", "category=NOT%20A%20SLUG", "category");
    List<Future<?>> checks = new ArrayList<>();
    cases.forEach((query, parameter) -> checks.add(get(client, gateway, "/api/products?" + query).map(response -> {
      assertError(response, 400, "bad_request");
      assertThat(message(response)).as(query).contains("query parameter " + parameter);
      return null;
    })));
    Future.all(checks).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("a body over the limit is 413 and writes nothing")
  void oversizeBody(VertxTestContext ctx) {
    JsonObject fields = product(sku(), WRITE_CATEGORY).put("description", "x".repeat(80 * 1024));
    unchanged(ctx, List.of(() -> write(client, gateway, HttpMethod.POST, "/api/products", BEARER, fields.encode())),
        response -> assertError(response, 413, "payload_too_large"));
  }

  @Test
  @DisplayName("unknown routes are 404 and wrong methods 405, both as JSON")
  void unknownRoutes(VertxTestContext ctx) {
    get(client, gateway, "/api/nothing-here").compose(response -> {
      assertError(response, 404, "not_found");
      return request(client, gateway, HttpMethod.DELETE, "/api/products").send();
    }).compose(response -> {
      assertError(response, 405, "method_not_allowed");
      return request(client, gateway, HttpMethod.PATCH, "/api/products/" + UUID.randomUUID()).send();
    }).map(response -> {
      assertError(response, 405, "method_not_allowed");
      return null;
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("the correlation id is echoed, or created when the client sends none")
  void correlationId(VertxTestContext ctx) {
    request(client, gateway, HttpMethod.GET, "/api/categories").putHeader("x-correlation-id", "test-corr-42").send()
        .compose(response -> {
          assertThat(response.getHeader("x-correlation-id")).isEqualTo("test-corr-42");
          return get(client, gateway, "/api/nothing-here");
        }).map(response -> {
          assertThat(response.getHeader("x-correlation-id")).isNotBlank().isNotEqualTo("test-corr-42");
          return null;
        }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("CORS: by default any origin may read, and a preflight for a write is not granted")
  void cors(VertxTestContext ctx) {
    request(client, gateway, HttpMethod.GET, "/api/categories").putHeader("origin", "https://elsewhere.example").send()
        .compose(response -> {
          assertThat(response.statusCode()).isEqualTo(200);
          assertThat(response.getHeader("access-control-allow-origin")).isEqualTo("*");
          return request(client, gateway, HttpMethod.OPTIONS, "/api/products")
              .putHeader("origin", "https://elsewhere.example")
              .putHeader("access-control-request-method", "POST")
              .send();
        }).map(response -> {
          String allowed = response.getHeader("access-control-allow-methods");
          assertThat(allowed == null ? "" : allowed).doesNotContain("POST");
          return null;
        }).onComplete(ctx.succeedingThenComplete());
  }

  /** One HTTP call of a "writes nothing" check. */
  private interface Call {
    Future<HttpResponse<Buffer>> send();
  }

  /** Runs {@code calls} one after the other, checks each answer, then that the write category did not change. */
  private static void unchanged(VertxTestContext ctx, List<Call> calls, java.util.function.Consumer<HttpResponse<Buffer>> check) {
    total(WRITE_CATEGORY).compose(before -> {
      Future<Void> chain = Future.succeededFuture();
      for (Call call : calls) {
        chain = chain.compose(v -> call.send()).map(response -> {
          check.accept(response);
          return null;
        });
      }
      return chain.compose(v -> total(WRITE_CATEGORY)).map(after -> {
        assertThat(after).as("products in " + WRITE_CATEGORY).isEqualTo(before);
        return null;
      });
    }).onComplete(ctx.succeedingThenComplete());
  }

  private static Future<HttpResponse<Buffer>> post(String body) {
    return write(client, gateway, HttpMethod.POST, "/api/products", BEARER, body);
  }

  private static Future<Integer> total(String category) {
    return get(client, gateway, "/api/products?size=1&category=" + category)
        .map(response -> response.bodyAsJsonObject().getInteger("total"));
  }

  private static <T> List<T> field(HttpResponse<Buffer> response, Function<JsonObject, T> extract) {
    assertThat(response.statusCode()).isEqualTo(200);
    List<T> values = new ArrayList<>();
    response.bodyAsJsonObject().getJsonArray("items").forEach(item -> values.add(extract.apply((JsonObject) item)));
    return values;
  }

  static void assertError(HttpResponse<Buffer> response, int status, String key) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(status);
    assertThat(response.getHeader("content-type")).isEqualTo("application/json; charset=utf-8");
    assertThat(response.getHeader("cache-control")).isEqualTo("no-store");
    JsonObject body = response.bodyAsJsonObject();
    assertThat(body.fieldNames()).containsExactlyInAnyOrder("error", "message");
    assertThat(body.getString("error")).isEqualTo(key);
    assertThat(body.getString("message")).isNotBlank().doesNotContain("Exception").doesNotContain("\tat ");
  }

  static String message(HttpResponse<Buffer> response) {
    return response.bodyAsJsonObject().getString("message");
  }

  private static JsonObject withoutField(JsonObject json, String field) {
    JsonObject copy = json.copy();
    copy.remove(field);
    return copy;
  }

  private static String sku() {
    return "GW-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE).toUpperCase();
  }
}
