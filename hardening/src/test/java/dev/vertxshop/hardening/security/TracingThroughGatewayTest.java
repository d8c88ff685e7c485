package dev.vertxshop.hardening.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * OpenTelemetry through the gateway: a request to the public API is exported as spans, over OTLP/HTTP,
 * to a receiver the test runs; both the HTTP span and the event-bus hop to the catalog are in it.
 */
@DisplayName("Tracing: a request through the gateway reaches an OTLP/HTTP receiver as protobuf spans")
class TracingThroughGatewayTest {

  /** One export as received. */
  record Export(String contentType, byte[] body) {
  }

  private static final Queue<Export> EXPORTS = new ConcurrentLinkedQueue<>();
  private static Vertx receiverVertx;
  private static HttpServer receiver;

  @BeforeAll
  static void startReceiver() {
    receiverVertx = Vertx.vertx();
    receiver = Shop.await(receiverVertx.createHttpServer().requestHandler(request -> {
      if (request.method() != HttpMethod.POST || !request.path().equals("/v1/traces")) {
        request.response().setStatusCode(404).end();
        return;
      }
      request.body().onSuccess(body -> {
        EXPORTS.add(new Export(request.getHeader("content-type"), body.getBytes()));
        request.response().putHeader("content-type", "application/x-protobuf").end(Buffer.buffer());
      });
    }).listen(0, "127.0.0.1"));
  }

  @AfterAll
  static void stopReceiver() {
    if (receiverVertx != null) {
      Shop.await(receiverVertx.close());
    }
  }

  @Test
  @DisplayName("GET /api/products: the exported batch names the service, the route and the catalog's address")
  void exportsSpans() {
    Shop shop = Shop.start(Map.of(
        "SHOP_OTEL_ENDPOINT", "http://127.0.0.1:" + receiver.actualPort(),
        "SHOP_OTEL_EXPORT_DELAY", "100ms"), List.of("catalog"));
    try {
      Shop.Response products = shop.get("/api/products?size=2", null);
      assertThat(products.status()).isEqualTo(200);
      Shop.eventually(Shop.WAIT, "spans of the request exported",
          () -> raw().contains("catalog.product.list") && raw().contains("/api/products"));
    } finally {
      shop.close();
    }
    Export first = EXPORTS.peek();
    assertThat(first.contentType()).isEqualTo("application/x-protobuf");
    assertThat(first.body()).isNotEmpty();
    assertThat(raw()).as("resource service.name of a node of several services").contains("vertx-shop");
    long bytes = EXPORTS.stream().mapToLong(export -> export.body().length).sum();
    System.out.printf("OTLP exports received: %d, %d bytes of protobuf%n", EXPORTS.size(), bytes);
  }

  private static String raw() {
    StringBuilder all = new StringBuilder();
    EXPORTS.forEach(export -> all.append(new String(export.body(), StandardCharsets.ISO_8859_1)));
    return all.toString();
  }
}
