package dev.vertxshop.gateway;

import dev.vertxshop.platform.boot.ShopNode;
import dev.vertxshop.platform.boot.ShopService;
import dev.vertxshop.platform.config.Env;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Test fixtures: nodes running the gateway, and an HTTP client pointed at it. */
final class GatewayNodes {

  static final String ADMIN_TOKEN = "test-admin-token-0123456789";
  static final String BEARER = "Bearer " + ADMIN_TOKEN;

  private GatewayNodes() {
  }

  /** Gateway settings every test node shares: loopback, a random port shared by two instances, an admin token. */
  static Map<String, String> gatewayVars(Map<String, String> extra) {
    Map<String, String> vars = new HashMap<>();
    vars.put("SHOP_GATEWAY_HOST", "127.0.0.1");
    vars.put("SHOP_GATEWAY_PORT", "0");
    vars.put("SHOP_GATEWAY_INSTANCES", "2");
    vars.put("SHOP_ADMIN_TOKEN", ADMIN_TOKEN);
    vars.putAll(extra);
    return vars;
  }

  /** A node without database or Kafka: enough for a gateway alone (and fault-injecting consumers). */
  static Env gatewayOnlyEnv(Map<String, String> extra) {
    Map<String, String> vars = new HashMap<>();
    vars.put("SHOP_OPS_HOST", "127.0.0.1");
    vars.put("SHOP_OPS_PORT", "0");
    vars.put("SHOP_EVENT_LOOPS", "2");
    vars.put("SHOP_SHUTDOWN_GRACE", "2s");
    vars.putAll(gatewayVars(extra));
    return Env.of(vars);
  }

  static Future<ShopNode> start(Env env, ShopService... services) {
    return ShopNode.start(env, List.of(services), false);
  }

  /** A request to the gateway of {@code gateway}. */
  static HttpRequest<Buffer> request(WebClient client, GatewayService gateway, HttpMethod method, String uri) {
    return client.request(method, gateway.port(), "127.0.0.1", uri);
  }

  static Future<HttpResponse<Buffer>> get(WebClient client, GatewayService gateway, String uri) {
    return request(client, gateway, HttpMethod.GET, uri).send();
  }

  /** An admin write with a JSON body given as text (so that malformed JSON can be sent too). */
  static Future<HttpResponse<Buffer>> write(WebClient client, GatewayService gateway, HttpMethod method, String uri,
      String authorization, String body) {
    HttpRequest<Buffer> request = request(client, gateway, method, uri).putHeader("content-type", "application/json");
    if (authorization != null) {
      request.putHeader("authorization", authorization);
    }
    return request.sendBuffer(Buffer.buffer(body));
  }

  /** A valid new product in {@code category}. */
  static JsonObject product(String sku, String category) {
    return new JsonObject()
        .put("sku", sku)
        .put("name", "Test " + sku)
        .put("description", "made by a gateway test")
        .put("category", category)
        .put("price", new JsonObject().put("amount", 1234).put("currency", "EUR"))
        .put("stock", 7);
  }
}
