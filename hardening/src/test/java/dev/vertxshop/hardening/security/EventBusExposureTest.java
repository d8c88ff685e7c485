package dev.vertxshop.hardening.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vertxshop.gateway.GatewayConfig;
import dev.vertxshop.gateway.GatewayService;
import dev.vertxshop.hardening.security.Shop.Request;
import dev.vertxshop.hardening.security.Shop.Response;
import dev.vertxshop.platform.boot.NodeConfig;
import dev.vertxshop.platform.boot.ShopNode;
import dev.vertxshop.platform.config.ClusterConfig;
import dev.vertxshop.platform.config.Env;
import dev.vertxshop.platform.testing.ShopTestEnv;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The event bus stays inside the cluster: the gateway serves only the routes of its OpenAPI document, has no
 * SockJS bridge and never takes an address from a request; its port is not the ops port nor a cluster port.
 */
@DisplayName("Event bus not reachable through the gateway: no bridge, no proxy of addresses, distinct ports, /eventbus paths 404")
class EventBusExposureTest {

  private static final Pattern SEND = Pattern.compile(
      "eventBus\\(\\)\\s*\\.\\s*(?:<[^>]*>)?\\s*(request|send|publish)\\s*\\(\\s*([^,()]+(?:\\([^)]*\\))?)\\s*,");
  private static final Pattern BUS_REQUEST = Pattern.compile("Bus\\s*\\.\\s*(?:<[^>]*>)?\\s*(?:requestIdempotent|request|callWith|call)\\s*\\(\\s*[^,]+,\\s*([^,]+),");
  private static final Pattern CONSTANT = Pattern.compile("(?:[A-Za-z_][A-Za-z0-9_]*\\.)*[A-Z][A-Z0-9_]*");

  private static Shop shop;

  @BeforeAll
  static void start() {
    shop = Shop.start(Map.of(), List.of("catalog"));
  }

  @AfterAll
  static void stop() {
    if (shop != null) {
      shop.close();
    }
  }

  @Test
  @DisplayName("event-bus and SockJS paths, raw or disguised, are 404 for every method; a WebSocket upgrade is refused")
  void eventBusPathsAreNotFound() {
    List<String> paths = List.of("/eventbus", "/eventbus/", "/eventbus/info", "/eventbus/websocket",
        "/eventbus/123/abcdefgh/xhr_send", "/eventbus/123/abcdefgh/websocket", "/api/eventbus", "/api/eventbus/info",
        "/api/../eventbus", "/api/../eventbus/info", "/api/%2e%2e/eventbus/info", "/api/..%2feventbus/info",
        "/api//eventbus", "/api/./eventbus", "/sockjs/info", "/bridge", "/api/bus", "/__vertx.reply.1",
        "/catalog.product.create", "/api/catalog.product.create", "/api/catalog.stock.reserve", "/api/orders.checkout",
        "/%65ventbus/info", "/EVENTBUS/info");
    String sockJsSend = new JsonObject().put("type", "send").put("address", "catalog.product.create")
        .put("body", new JsonObject().put("sku", "X")).encode();
    List<String> problems = new ArrayList<>();
    for (String path : paths) {
      for (HttpMethod method : List.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT, HttpMethod.DELETE)) {
        Request request = Request.of(method, path);
        if (method == HttpMethod.POST || method == HttpMethod.PUT) {
          request = request.json(sockJsSend);
        }
        Response response = shop.send(request);
        if (response.status() != 404 && response.status() != 400) {
          problems.add(method + " " + path + " -> " + response.status() + " " + response.text());
        }
      }
    }
    assertThat(problems).as("answers other than 404 (or 400 for a path that is not even a valid URI)").isEmpty();
    assertThat(shop.get("/eventbus/info", null).json().getString("error")).isEqualTo("not_found");

    WebSocketClient ws = shop.node.vertx().createWebSocketClient();
    try {
      Future<?> upgrade = ws.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(shop.gatewayPort)
          .setURI("/eventbus/websocket"));
      Throwable refused = upgrade.toCompletionStage().toCompletableFuture().handle((ok, failure) -> failure).join();
      assertThat(refused).as("the WebSocket upgrade").isNotNull();
      assertThat(refused.getMessage()).contains("404");
    } finally {
      Shop.await(ws.close());
    }
  }

  @Test
  @DisplayName("the gateway and the ops endpoint are separate ports that do not serve each other's paths")
  void gatewayAndOpsApart() {
    int ops = shop.node.opsPort();
    assertThat(shop.gatewayPort).isNotEqualTo(ops);
    for (String path : List.of("/metrics", "/health/ready", "/health/live")) {
      assertThat(shop.get(path, null).status()).as("gateway %s", path).isEqualTo(404);
      assertThat(shop.sendTo(ops, Request.of(HttpMethod.GET, path)).status()).as("ops %s", path).isIn(200, 503);
    }
    for (String path : List.of("/api/products", "/api/openapi.json", "/eventbus/info")) {
      assertThat(shop.sendTo(ops, Request.of(HttpMethod.GET, path)).status()).as("ops %s", path).isEqualTo(404);
    }
    assertThat(shop.get("/api/products", null).status()).isEqualTo(200);
  }

  @Test
  @DisplayName("default ports are pairwise distinct: gateway, ops, Hazelcast, event bus")
  void defaultPortsDistinct() {
    Env defaults = Env.of(Map.of());
    NodeConfig node = NodeConfig.from(defaults);
    ClusterConfig cluster = ClusterConfig.from(defaults);
    GatewayConfig gateway = GatewayConfig.from(defaults);
    List<Integer> ports = List.of(gateway.port(), node.opsPort(), cluster.hazelcastPort(), cluster.eventBusPort());
    System.out.printf("default ports: gateway %d, ops %d, hazelcast %d, event bus %d%n", ports.get(0), ports.get(1), ports.get(2),
        ports.get(3));
    assertThat(Set.copyOf(ports)).hasSize(4);
  }

  /**
   * Today such a node starts: Vert.x shares a listening socket between servers of one instance on the same
   * host and port, so the gateway and the ops router would take turns answering both, /metrics on the public
   * port included. The gateway's configuration should refuse it, naming the variable.
   */
  @Test
  @DisplayName("a gateway told to listen on the ops port does not start")
  void gatewayOnOpsPortRefused() {
    int port = Shop.freePort();
    Env clash = ShopTestEnv.shared(Map.of("SHOP_OPS_PORT", String.valueOf(port), "SHOP_GATEWAY_PORT", String.valueOf(port),
        "SHOP_GATEWAY_HOST", "127.0.0.1"));
    Future<ShopNode> start = ShopNode.start(clash, List.of(new GatewayService()), false);
    ShopNode started = null;
    try {
      started = Shop.await(start);
    } catch (AssertionError refused) {
      assertThat(refused.getCause()).hasMessageContaining("SHOP_GATEWAY_PORT");
    } finally {
      if (started != null) {
        Shop.await(started.stop());
      }
    }
    assertThat(started).as("a node whose gateway shares the ops port").isNull();
  }

  @Test
  @DisplayName("the OpenAPI document has /api routes only, none for the event bus")
  void documentRoutes() throws IOException {
    try (InputStream in = GatewayService.class.getClassLoader().getResourceAsStream("openapi/shop.yaml")) {
      assertThat(in).isNotNull();
      Map<String, Object> document = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
      @SuppressWarnings("unchecked")
      Map<String, Object> paths = (Map<String, Object>) document.get("paths");
      assertThat(paths).isNotEmpty();
      assertThat(paths.keySet()).allSatisfy(path -> {
        assertThat(path).startsWith("/api/");
        assertThat(path.toLowerCase()).doesNotContain("eventbus").doesNotContain("sockjs").doesNotContain("bridge");
      });
      System.out.printf("OpenAPI document: %d paths, all under /api/%n", paths.size());
    }
  }

  @Test
  @DisplayName("the gateway's sources and jar: no SockJS bridge; every address it sends to is a constant, as in the typed clients")
  void noBridgeNoProxy() throws IOException, URISyntaxException {
    Path root = SqlBoundParametersTest.repositoryRoot();
    List<String> violations = new ArrayList<>();
    int sends = 0;
    int clientRequests = 0;
    for (Path source : sources(root.resolve("verticles/gateway/src/main/java"))) {
      String text = Files.readString(source);
      String name = root.relativize(source).toString();
      for (String banned : List.of("SockJSHandler", "SockJSBridgeOptions", "BridgeOptions", ".bridge(", "\"/eventbus")) {
        if (text.contains(banned)) {
          violations.add(name + " mentions " + banned);
        }
      }
      Matcher send = SEND.matcher(text);
      while (send.find()) {
        sends++;
        if (!CONSTANT.matcher(send.group(2).trim()).matches()) {
          violations.add(name + " sends to a computed address: " + send.group(2).trim());
        }
      }
    }
    for (Path source : sources(root.resolve("verticles/contracts/src/main/java"))) {
      Matcher request = BUS_REQUEST.matcher(Files.readString(source));
      while (request.find()) {
        clientRequests++;
        if (!CONSTANT.matcher(request.group(1).trim()).matches()) {
          violations.add(root.relativize(source) + " requests a computed address: " + request.group(1).trim());
        }
      }
    }
    // What ships: the gateway jar's classes reference no SockJS or bridge type.
    Path jar = Path.of(GatewayService.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    int classes = 0;
    if (Files.isRegularFile(jar)) {
      try (JarFile file = new JarFile(jar.toFile())) {
        Enumeration<JarEntry> entries = file.entries();
        while (entries.hasMoreElements()) {
          JarEntry entry = entries.nextElement();
          if (entry.getName().endsWith(".class")) {
            classes++;
            String constants = new String(file.getInputStream(entry).readAllBytes(), StandardCharsets.ISO_8859_1);
            if (constants.contains("handler/sockjs") || constants.contains("ext/bridge")) {
              violations.add(entry.getName() + " references SockJS or the event-bus bridge");
            }
          }
        }
      }
    }
    System.out.printf("gateway: %d event-bus sends checked, %d classes in %s; contracts: %d client requests checked%n", sends,
        classes, jar.getFileName(), clientRequests);
    assertThat(clientRequests).as("the typed clients were found").isGreaterThan(10);
    assertThat(violations).isEmpty();
  }

  private static List<Path> sources(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(path -> path.toString().endsWith(".java")).sorted().toList();
    }
  }
}
