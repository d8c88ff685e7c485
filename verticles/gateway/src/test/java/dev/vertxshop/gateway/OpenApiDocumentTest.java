package dev.vertxshop.gateway;

import static dev.vertxshop.gateway.GatewayNodes.get;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vertxshop.gateway.auth.Authenticator;
import dev.vertxshop.gateway.resilience.Breakers;
import dev.vertxshop.platform.boot.ShopNode;
import dev.vertxshop.platform.config.Env;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("The OpenAPI document: served, valid, and the exact routing table")
@ExtendWith(VertxExtension.class)
class OpenApiDocumentTest {

  private static ShopNode node;
  private static GatewayService gateway;
  private static WebClient client;

  @BeforeAll
  static void start(Vertx vertx, VertxTestContext ctx) {
    gateway = new GatewayService();
    client = WebClient.create(vertx);
    GatewayNodes.start(GatewayNodes.gatewayOnlyEnv(Map.of()), gateway).onComplete(ctx.succeeding(started -> {
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
  @DisplayName("GET /api/openapi.yaml serves the document, and it parses as an OpenAPI 3.1 contract")
  void yaml(Vertx vertx, VertxTestContext ctx, @TempDir Path dir) {
    get(client, gateway, "/api/openapi.yaml").compose(response -> {
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.getHeader("content-type")).isEqualTo("application/yaml; charset=utf-8");
      Path copy = dir.resolve("served.yaml");
      try {
        Files.writeString(copy, response.bodyAsString());
      } catch (java.io.IOException e) {
        return Future.failedFuture(e);
      }
      return OpenAPIContract.from(vertx, copy.toString());
    }).map(contract -> {
      assertThat(contract.getRawContract().getString("openapi")).isEqualTo("3.1.0");
      assertThat(contract.operations()).extracting(Operation::getOperationId)
          .contains("listProducts", "getProduct", "createProduct", "updateProduct", "adjustProductStock", "listCategories");
      return null;
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("GET /api/openapi.json serves the same document as JSON")
  void json(Vertx vertx, VertxTestContext ctx) {
    Future.all(get(client, gateway, "/api/openapi.json"), OpenAPIContract.from(vertx, ApiRouter.CONTRACT))
        .compose(all -> {
          io.vertx.ext.web.client.HttpResponse<?> response = all.resultAt(0);
          OpenAPIContract bundled = all.resultAt(1);
          assertThat(response.statusCode()).isEqualTo(200);
          assertThat(response.getHeader("content-type")).isEqualTo("application/json; charset=utf-8");
          JsonObject served = response.bodyAsJsonObject();
          Set<String> bundledPaths = new HashSet<>();
          bundled.getPaths().forEach(path -> bundledPaths.add(path.getName()));
          assertThat(served.getJsonObject("paths").fieldNames()).isEqualTo(bundledPaths);
          assertThat(served.encode()).doesNotContain("__absolute_uri__");
          return OpenAPIContract.from(vertx, served);
        }).map(contract -> {
          assertThat(contract.operations()).hasSize(21);
          return null;
        }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("every route of the router is an operation of the document, and every operation is routed")
  void routesMatchTheDocument(Vertx vertx, VertxTestContext ctx) {
    GatewayConfig config = GatewayConfig.from(Env.of(GatewayNodes.gatewayVars(Map.of())));
    Breakers breakers = new Breakers(config, new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
    vertx.deployVerticle(breakers)
        .compose(id -> Future.all(OpenAPIContract.from(vertx, ApiRouter.CONTRACT), vertx.fileSystem().readFile(ApiRouter.CONTRACT),
            Authenticator.create(vertx, config)))
        .map(all -> {
          OpenAPIContract contract = all.resultAt(0);
          Router router = ApiRouter.create(vertx, contract, all.resultAt(1), config, breakers, all.resultAt(2));
          Set<String> routed = new HashSet<>();
          for (Route route : router.getRoutes()) {
            if (route.getPath() == null) {
              // The root handlers and the failure handler apply to every path; they are not endpoints.
              assertThat(route.methods()).isNullOrEmpty();
              continue;
            }
            assertThat(route.methods()).hasSize(1);
            String path = route.getPath().replaceAll(":([A-Za-z0-9_]+)", "{$1}");
            for (HttpMethod method : route.methods()) {
              Operation operation = contract.findOperation(path.replaceAll("\\{[A-Za-z]+}", "00000000-0000-4000-8000-000000000000"), method);
              assertThat(operation).as(method + " " + path + " is in the document").isNotNull();
              assertThat(operation.getOpenAPIPath()).isEqualTo(path);
              routed.add(operation.getOperationId());
            }
          }
          Set<String> documented = new HashSet<>();
          contract.operations().forEach(operation -> documented.add(operation.getOperationId()));
          assertThat(routed).isEqualTo(documented);
          return null;
        }).onComplete(ctx.succeedingThenComplete());
  }
}
