package dev.vertxshop.provider;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

/** The stand-in's two HTTP APIs as a test sees them: real requests over loopback. */
final class ProviderHttp {

  /** An answer: status and JSON body. */
  record Answer(int status, JsonObject body) {
  }

  private final WebClient client;
  private final int port;
  private final int adminPort;

  ProviderHttp(Vertx vertx, int port, int adminPort) {
    // No keep-alive: an outage closes the listener, and a test must never reuse a connection from before it.
    this.client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setKeepAlive(false));
    this.port = port;
    this.adminPort = adminPort;
  }

  Future<Answer> charge(String key, JsonObject body) {
    return send(v1("POST", "/v1/charges", key), Buffer.buffer(body.encode()));
  }

  /** A charge body as the payments service sends it. */
  static JsonObject chargeBody(long amount, String reference) {
    return new JsonObject().put("amount", amount).put("currency", "EUR").put("reference", reference);
  }

  Future<Answer> refund(String chargeId, String key) {
    return send(v1("POST", "/v1/charges/" + chargeId + "/refunds", key), null);
  }

  Future<Answer> charges(String reference) {
    return send(v1("GET", "/v1/charges?reference=" + reference, null), null);
  }

  /** Any request on {@code /v1}, with a raw body (may be null) and an optional key. */
  Future<Answer> raw(String method, String path, String key, Buffer body, long timeoutMs) {
    HttpRequest<Buffer> request = v1(method, path, key);
    if (timeoutMs > 0) {
      request.timeout(timeoutMs);
    }
    return send(request, body);
  }

  Future<Answer> faults() {
    return send(admin("GET", "/admin/faults"), null);
  }

  Future<Answer> setFaults(JsonObject partial) {
    return send(admin("PUT", "/admin/faults"), Buffer.buffer(partial.encode()));
  }

  Future<Answer> setFaultsRaw(Buffer body) {
    return send(admin("PUT", "/admin/faults"), body);
  }

  /** Puts every knob back to healthy. */
  Future<Answer> heal() {
    return setFaults(Faults.none().toJson());
  }

  Future<JsonObject> stats() {
    return send(admin("GET", "/admin/stats"), null).map(Answer::body);
  }

  Future<Answer> forget() {
    return send(admin("POST", "/admin/forget"), null);
  }

  Future<Answer> adminCharges(String reference) {
    return send(admin("GET", reference == null ? "/admin/charges" : "/admin/charges?reference=" + reference), null);
  }

  void close() {
    client.close();
  }

  private HttpRequest<Buffer> v1(String method, String path, String key) {
    HttpRequest<Buffer> request = client.request(io.vertx.core.http.HttpMethod.valueOf(method), port, "127.0.0.1", path);
    if (key != null) {
      request.putHeader(ProviderVerticle.IDEMPOTENCY_KEY, key);
    }
    return request;
  }

  private HttpRequest<Buffer> admin(String method, String path) {
    return client.request(io.vertx.core.http.HttpMethod.valueOf(method), adminPort, "127.0.0.1", path).timeout(5_000);
  }

  private static Future<Answer> send(HttpRequest<Buffer> request, Buffer body) {
    Future<HttpResponse<Buffer>> sent = body == null ? request.send() : request.putHeader("content-type", "application/json").sendBuffer(body);
    return sent.map(response -> new Answer(response.statusCode(),
        response.body() == null || response.body().length() == 0 ? null : response.bodyAsJsonObject()));
  }
}
