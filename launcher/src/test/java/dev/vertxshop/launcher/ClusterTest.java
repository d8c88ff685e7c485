package dev.vertxshop.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vertxshop.platform.boot.ShopMain;
import dev.vertxshop.platform.boot.ShopNode;
import dev.vertxshop.platform.testing.ShopTestEnv;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Two JVM-like nodes clustered over Hazelcast on 127.0.0.1: the catalog on one, the gateway on the other. */
@DisplayName("Cluster: gateway and catalog on two clustered Vert.x instances")
class ClusterTest {

  private static ShopNode catalogNode;
  private static ShopNode gatewayNode;
  private static int gatewayPort;
  private static WebClient client;

  @BeforeAll
  static void start() throws Exception {
    int hzA = freePort();
    int hzB = freePort();
    String members = "127.0.0.1:" + hzA + ",127.0.0.1:" + hzB;
    gatewayPort = freePort();
    // A closed cluster, as in production: the shared secret and the cluster certificate.
    Map<String, String> common = with(dev.vertxshop.platform.testing.ClusterKeys.shared().env(), Map.of(
        "SHOP_CLUSTER_MEMBERS", members,
        "SHOP_CLUSTER_NAME", "cluster-test-" + ProcessHandle.current().pid(),
        "SHOP_CATALOG_SEED_DEMO", "true",
        "SHOP_GATEWAY_PORT", String.valueOf(gatewayPort),
        "SHOP_GATEWAY_HOST", "127.0.0.1"));
    catalogNode = await(ShopNode.start(ShopTestEnv.shared(with(common, Map.of(
        "SHOP_CLUSTER_HAZELCAST_PORT", String.valueOf(hzA),
        "SHOP_CLUSTER_EVENTBUS_PORT", String.valueOf(freePort())))), ShopMain.select(List.of("catalog")), true));
    gatewayNode = await(ShopNode.start(ShopTestEnv.shared(with(common, Map.of(
        "SHOP_CLUSTER_HAZELCAST_PORT", String.valueOf(hzB),
        "SHOP_CLUSTER_EVENTBUS_PORT", String.valueOf(freePort())))), ShopMain.select(List.of("gateway")), true));
    client = WebClient.create(gatewayNode.vertx());
  }

  @AfterAll
  static void stop() throws Exception {
    if (gatewayNode != null) {
      await(gatewayNode.stop());
    }
    if (catalogNode != null) {
      await(catalogNode.stop());
    }
  }

  @Test
  @DisplayName("a request to the gateway is served by the catalog on the other node")
  void requestCrossesTheCluster() throws Exception {
    assertThat(catalogNode.vertx().isClustered()).isTrue();
    HttpResponse<Buffer> list = await(client.get(gatewayPort, "127.0.0.1", "/api/products?size=5").send());
    assertThat(list.statusCode()).isEqualTo(200);
    JsonObject page = list.bodyAsJsonObject();
    assertThat(page.getJsonArray("items")).hasSize(5);
    String id = page.getJsonArray("items").getJsonObject(0).getString("id");

    HttpResponse<Buffer> one = await(client.get(gatewayPort, "127.0.0.1", "/api/products/" + id).send());
    assertThat(one.statusCode()).isEqualTo(200);
    assertThat(one.bodyAsJsonObject().getString("id")).isEqualTo(id);
  }

  @Test
  @DisplayName("both nodes report ready, including cluster membership")
  void bothReady() throws Exception {
    for (ShopNode node : List.of(catalogNode, gatewayNode)) {
      HttpResponse<Buffer> ready = await(client.get(node.opsPort(), "127.0.0.1", "/health/ready").send());
      assertThat(ready.statusCode()).isEqualTo(200);
      assertThat(ready.bodyAsString()).contains("\"cluster\"");
    }
  }

  private static Map<String, String> with(Map<String, String> a, Map<String, String> b) {
    Map<String, String> merged = new java.util.HashMap<>(a);
    merged.putAll(b);
    return merged;
  }

  /** Below the ephemeral range, where the shop's own embedded servers and client connections never land. */
  static int freePort() throws IOException {
    return dev.vertxshop.embedded.LoopbackPorts.reserve();
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(90, TimeUnit.SECONDS);
  }
}
