package dev.vertxshop.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vertxshop.platform.errors.ErrorCode;
import dev.vertxshop.platform.errors.ServiceException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@DisplayName("The failure handler maps every failure code to its status and JSON body")
@ExtendWith(VertxExtension.class)
class FailureHandlerTest {

  private static HttpServer server;
  private static WebClient client;

  @BeforeAll
  static void start(Vertx vertx, VertxTestContext ctx) {
    Router router = Router.router(vertx);
    // /fail/<CODE> fails with that code, as a service's answer relayed by the gateway would.
    router.get("/fail/:code").handler(routing -> {
      ErrorCode code = ErrorCode.valueOf(routing.pathParam("code"));
      if (routing.queryParam("challenge").size() > 0) {
        routing.put(FailureHandler.CHALLENGE, "Bearer realm=\"test\"");
      }
      if (routing.queryParam("details").size() > 0) {
        routing.put(FailureHandler.DETAILS, new JsonObject().put("orderId", "o-1").put("error", "spoofed").put("message", "spoofed"));
      }
      routing.fail(new ServiceException(code, "because " + code.key()));
    });
    router.route().failureHandler(new FailureHandler(65536, Duration.ofMillis(2500)));
    client = WebClient.create(vertx);
    vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").onComplete(ctx.succeeding(s -> {
      server = s;
      ctx.completeNow();
    }));
  }

  @AfterAll
  static void stop(VertxTestContext ctx) {
    server.close().onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("every ErrorCode becomes its HTTP status and key, with the service's message (except INTERNAL's)")
  void everyCode(VertxTestContext ctx) {
    List<Future<?>> checks = new ArrayList<>();
    for (ErrorCode code : ErrorCode.values()) {
      checks.add(client.get(server.actualPort(), "127.0.0.1", "/fail/" + code.name()).send().map(response -> {
        assertThat(response.statusCode()).as(code.name()).isEqualTo(code.httpStatus());
        assertThat(response.getHeader("content-type")).isEqualTo(Responses.JSON);
        assertThat(response.getHeader("cache-control")).isEqualTo("no-store");
        JsonObject body = response.bodyAsJsonObject();
        assertThat(body.getString("error")).isEqualTo(code.key());
        assertThat(body.getString("message")).isEqualTo(code == ErrorCode.INTERNAL ? "internal error" : "because " + code.key());
        assertThat(response.getHeader("retry-after")).as(code.name()).isEqualTo(code == ErrorCode.UNAVAILABLE ? "3" : null);
        assertThat(response.getHeader("www-authenticate")).as(code.name())
            .isEqualTo(code == ErrorCode.UNAUTHORIZED ? FailureHandler.DEFAULT_CHALLENGE : null);
        return null;
      }));
    }
    assertThat(ErrorCode.PAYMENT_DECLINED.httpStatus()).isEqualTo(402);
    assertThat(ErrorCode.TOO_MANY_REQUESTS.httpStatus()).isEqualTo(429);
    Future.all(checks).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("fields a handler names are added to the error body, never in place of error or message")
  void details(VertxTestContext ctx) {
    client.get(server.actualPort(), "127.0.0.1", "/fail/CONFLICT?details=1").send().map(response -> {
      assertThat(response.statusCode()).isEqualTo(409);
      assertThat(response.bodyAsJsonObject()).isEqualTo(new JsonObject()
          .put("error", "conflict").put("message", "because conflict").put("orderId", "o-1"));
      return null;
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  @DisplayName("a 401's WWW-Authenticate is the refusing handler's challenge when it set one")
  void challenge(VertxTestContext ctx) {
    client.get(server.actualPort(), "127.0.0.1", "/fail/UNAUTHORIZED?challenge=1").send().map(response -> {
      assertThat(response.statusCode()).isEqualTo(401);
      assertThat(response.getHeader("www-authenticate")).isEqualTo("Bearer realm=\"test\"");
      return null;
    }).onComplete(ctx.succeedingThenComplete());
  }
}
