package dev.vertxshop.payments;

import static dev.vertxshop.payments.PaymentsFixtures.await;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

/** The provider stand-in's admin API, as the tests (and the orders invariant checker) use it. Blocking. */
final class ProviderAdmin {

  private final WebClient client;
  private final int adminPort;

  ProviderAdmin(Vertx vertx, int adminPort) {
    this.client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setKeepAlive(false));
    this.adminPort = adminPort;
  }

  /** Sets some knobs; fails the test unless the provider applied them. */
  JsonObject faults(JsonObject partial) {
    HttpResponse<?> response = await(client.put(adminPort, "127.0.0.1", "/admin/faults").timeout(5_000).sendJsonObject(partial));
    if (response.statusCode() != 200) {
      throw new AssertionError("fault update refused: " + response.statusCode() + " " + response.bodyAsString());
    }
    return response.bodyAsJsonObject();
  }

  /** Back to a healthy provider. */
  void heal() {
    faults(new JsonObject().put("latencyMs", 0).put("failureRate", 0.0).put("declineRate", 0.0).put("outage", false)
        .put("refundFailureRate", 0.0).put("processingDelayMs", 0));
  }

  /** The provider forgets every charge and key, as after a restart that lost its books. */
  void forget() {
    HttpResponse<?> response = await(client.post(adminPort, "127.0.0.1", "/admin/forget").timeout(5_000).send());
    if (response.statusCode() != 200) {
      throw new AssertionError("forget refused: " + response.statusCode() + " " + response.bodyAsString());
    }
  }

  JsonObject stats() {
    return await(client.get(adminPort, "127.0.0.1", "/admin/stats").timeout(5_000).send()).bodyAsJsonObject();
  }

  /** Every charge the provider holds for the order. */
  JsonArray charges(String orderId) {
    return await(client.get(adminPort, "127.0.0.1", "/admin/charges").addQueryParam("reference", orderId).timeout(5_000).send())
        .bodyAsJsonObject().getJsonArray("items");
  }

  /** What the provider holds for the order: captured minus refunded, in minor units. */
  long netCaptured(String orderId) {
    long net = 0;
    for (Object item : charges(orderId)) {
      JsonObject charge = (JsonObject) item;
      if ("captured".equals(charge.getString("status")) && !charge.getBoolean("refunded")) {
        net += charge.getLong("amount");
      }
    }
    return net;
  }
}
