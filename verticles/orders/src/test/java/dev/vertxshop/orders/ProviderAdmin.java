package dev.vertxshop.orders;

import static dev.vertxshop.orders.OrdersFixtures.await;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.List;

/** The payment provider stand-in's admin port as a test drives it: knobs, totals, charges by reference. */
final class ProviderAdmin {

  private final WebClient client;
  private final int adminPort;

  ProviderAdmin(Vertx vertx, int adminPort) {
    this.client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setKeepAlive(false));
    this.adminPort = adminPort;
  }

  String url() {
    return "http://127.0.0.1:" + adminPort;
  }

  /** Changes the knobs given ({@code latencyMs}, {@code failureRate}, {@code declineRate}, {@code outage}). */
  void faults(JsonObject knobs) {
    HttpResponse<Buffer> response = await(client.put(adminPort, "127.0.0.1", "/admin/faults").timeout(10_000).sendJsonObject(knobs));
    if (response.statusCode() != 200) {
      throw new AssertionError("provider refused faults " + knobs.encode() + ": " + response.bodyAsString());
    }
  }

  /** Every knob back to healthy. */
  void heal() {
    faults(new JsonObject().put("latencyMs", 0).put("failureRate", 0.0).put("declineRate", 0.0).put("outage", false)
        .put("refundFailureRate", 0.0).put("processingDelayMs", 0));
  }

  /** {@code {requests, captures, declines, refunds, capturedAmount, refundedAmount, netCapturedAmount, ...}}. */
  JsonObject stats() {
    return await(client.get(adminPort, "127.0.0.1", "/admin/stats").timeout(10_000).send()).bodyAsJsonObject();
  }

  /** The provider's charges for {@code reference} (an order id), oldest first. */
  List<JsonObject> charges(String reference) {
    JsonArray items = await(client.get(adminPort, "127.0.0.1", "/admin/charges").addQueryParam("reference", reference)
        .timeout(10_000).send()).bodyAsJsonObject().getJsonArray("items");
    return items.stream().map(JsonObject.class::cast).toList();
  }

  /** Captures of {@code reference} that were not refunded. */
  long keptCaptures(String reference) {
    return kept(charges(reference));
  }

  /** Captures in {@code charges} (one snapshot) that were not refunded. */
  static long kept(List<JsonObject> charges) {
    return charges.stream()
        .filter(c -> "captured".equals(c.getString("status")) && !c.getBoolean("refunded", false))
        .count();
  }

  void close() {
    client.close();
  }
}
