package dev.vertxshop.provider;

import static dev.vertxshop.provider.ProviderFixtures.await;
import static dev.vertxshop.provider.ProviderFixtures.awaitFailure;
import static dev.vertxshop.provider.ProviderFixtures.eventually;
import static dev.vertxshop.provider.ProviderFixtures.uniqueReference;
import static dev.vertxshop.provider.ProviderHttp.chargeBody;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vertxshop.platform.boot.ShopNode;
import dev.vertxshop.provider.ProviderHttp.Answer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.net.ConnectException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("payment provider stand-in as a service: readiness, starting in an outage, graceful stop, bad configuration")
class ProviderLifecycleTest {

  private static Vertx vertx;

  @BeforeAll
  static void clientVertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void closeClientVertx() {
    await(vertx.close());
  }

  @Test
  @DisplayName("a stop lets an answer in flight finish, then both ports refuse connections")
  void gracefulStop() {
    int port = ProviderFixtures.freePort();
    int adminPort = ProviderFixtures.freePort();
    ShopNode node = await(ShopNode.start(ProviderFixtures.env(port, adminPort, Map.of("SHOP_PROVIDER_LATENCY", "700ms")),
        List.of(new ProviderService()), false));
    ProviderHttp http = new ProviderHttp(vertx, port, adminPort);
    try {
      Answer ready = await(WebClient.create(vertx).get(node.opsPort(), "127.0.0.1", "/health/ready").send()
          .map(r -> new Answer(r.statusCode(), r.bodyAsJsonObject())));
      String reference = uniqueReference();
      Future<Answer> inFlight = http.charge("charge-" + reference, chargeBody(1_000, reference));
      // Stop only once the charge is recorded, so that its answer is truly in flight (held by the latency).
      eventually(Duration.ofSeconds(5), () -> await(http.adminCharges(reference)).body().getJsonArray("items").isEmpty() ? null : true);
      Future<Void> stopped = node.stop();

      assertThat(ready.status()).isEqualTo(200);
      assertThat(await(inFlight).status()).isEqualTo(201);
      await(stopped);
      assertThat(awaitFailure(http.charges(reference))).isInstanceOf(ConnectException.class);
      assertThat(awaitFailure(http.stats())).isInstanceOf(ConnectException.class);
    } finally {
      http.close();
      await(node.stop());
    }
  }

  @Test
  @DisplayName("SHOP_PROVIDER_OUTAGE=true starts with /v1 closed and the admin open; ending the outage opens the configured port")
  void startsInOutage() {
    int port = ProviderFixtures.freePort();
    int adminPort = ProviderFixtures.freePort();
    ShopNode node = await(ShopNode.start(ProviderFixtures.env(port, adminPort, Map.of("SHOP_PROVIDER_OUTAGE", "true")),
        List.of(new ProviderService()), false));
    ProviderHttp http = new ProviderHttp(vertx, port, adminPort);
    try {
      Throwable refused = awaitFailure(http.charges("order-1"));
      Answer faults = await(http.faults());
      await(http.setFaults(new JsonObject().put("outage", false)));
      Answer open = await(http.charges("order-1"));

      assertThat(refused).isInstanceOf(ConnectException.class);
      assertThat(faults.body().getBoolean("outage")).isTrue();
      assertThat(open.status()).isEqualTo(200);
    } finally {
      http.close();
      await(node.stop());
    }
  }

  @Test
  @DisplayName("an invalid variable fails the node's start, naming the variable")
  void invalidConfiguration() {
    Throwable failure = awaitFailure(ShopNode.start(ProviderFixtures.env(ProviderFixtures.freePort(), ProviderFixtures.freePort(),
        Map.of("SHOP_PROVIDER_FAILURE_RATE", "2")), List.of(new ProviderService()), false));

    assertThat(failure).hasMessageContaining("SHOP_PROVIDER_FAILURE_RATE");
  }

  @Test
  @DisplayName("a port already taken fails the start instead of reporting a provider that does not listen")
  void portTaken() {
    int port = ProviderFixtures.freePort();
    int adminPort = ProviderFixtures.freePort();
    ShopNode first = await(ShopNode.start(ProviderFixtures.env(port, adminPort, Map.of()), List.of(new ProviderService()), false));
    try {
      Throwable failure = awaitFailure(ShopNode.start(ProviderFixtures.env(ProviderFixtures.freePort(), adminPort, Map.of()),
          List.of(new ProviderService()), false));

      assertThat(failure).hasMessageContaining("payment-provider");
    } finally {
      await(first.stop());
    }
  }
}
