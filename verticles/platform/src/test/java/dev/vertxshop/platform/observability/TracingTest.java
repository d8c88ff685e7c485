package dev.vertxshop.platform.observability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vertxshop.platform.boot.ShopNode;
import dev.vertxshop.platform.testing.ProbeService;
import dev.vertxshop.platform.testing.ShopTestEnv;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.internal.VertxInternal;
import io.vertx.ext.web.client.WebClient;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Tracing end to end against a tiny OTLP/HTTP receiver run by the test: spans of a real node arrive as
 * protobuf; a node without an endpoint has no tracer.
 */
@DisplayName("NodeTracing: spans exported over OTLP/HTTP when SHOP_OTEL_ENDPOINT is set, no tracer otherwise")
class TracingTest {

  /** One OTLP export request as the receiver got it. */
  record Export(String contentType, byte[] body) {
  }

  private static Vertx receiverVertx;
  private static HttpServer receiver;
  private static final Queue<Export> EXPORTS = new ConcurrentLinkedQueue<>();

  @BeforeAll
  static void startReceiver() throws Exception {
    receiverVertx = Vertx.vertx();
    receiver = await(receiverVertx.createHttpServer().requestHandler(request -> {
      if (request.method() != HttpMethod.POST || !request.path().equals("/v1/traces")) {
        request.response().setStatusCode(404).end();
        return;
      }
      request.body().onSuccess(body -> {
        EXPORTS.add(new Export(request.getHeader("content-type"), body.getBytes()));
        // An empty ExportTraceServiceResponse: full success.
        request.response().putHeader("content-type", "application/x-protobuf").end(Buffer.buffer());
      });
    }).listen(0, "127.0.0.1"));
  }

  @AfterAll
  static void stopReceiver() throws Exception {
    if (receiverVertx != null) {
      await(receiverVertx.close());
    }
  }

  @Test
  @DisplayName("an HTTP request to the node is exported as a protobuf span batch naming the service")
  void exportsSpans() throws Exception {
    EXPORTS.clear();
    ShopNode node = await(ShopNode.start(ShopTestEnv.shared(Map.of(
            "SHOP_OTEL_ENDPOINT", "http://127.0.0.1:" + receiver.actualPort(),
            "SHOP_OTEL_EXPORT_DELAY", "100ms")),
        List.of(new ProbeService()), false));
    WebClient client = WebClient.create(node.vertx());
    try {
      assertThat(((VertxInternal) node.vertx()).tracer()).isNotNull();
      int status = await(client.get(node.opsPort(), "127.0.0.1", "/health/live").send()).statusCode();
      assertThat(status).isEqualTo(200);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (EXPORTS.isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
    } finally {
      client.close();
      await(node.stop());
    }
    assertThat(EXPORTS).as("at least one export reached the receiver").isNotEmpty();
    Export first = EXPORTS.peek();
    assertThat(first.contentType()).isEqualTo("application/x-protobuf");
    assertThat(first.body()).isNotEmpty();
    String raw = EXPORTS.stream().map(e -> new String(e.body(), StandardCharsets.ISO_8859_1)).reduce("", String::concat);
    assertThat(raw).as("the resource's service.name").contains("service.name").contains("probe");
    assertThat(raw).as("the HTTP server span's path").contains("/health/live");
  }

  @Test
  @DisplayName("without SHOP_OTEL_ENDPOINT the node's Vert.x has no tracer")
  void noTracerByDefault() throws Exception {
    ShopNode node = await(ShopNode.start(ShopTestEnv.shared(Map.of()), List.of(new ProbeService()), false));
    try {
      assertThat(((VertxInternal) node.vertx()).tracer()).isNull();
    } finally {
      await(node.stop());
    }
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
