package dev.vertxshop.loadtest.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

/**
 * A plain JDK HTTP client for what a simulation does before the load starts (read the catalog, register
 * the user pool, restock). Never used under load: Gatling's own client measures the requests that count.
 */
public final class ShopClient {

  static final ObjectMapper JSON = new ObjectMapper();

  private final String baseUrl;
  private final HttpClient http = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5))
      .version(HttpClient.Version.HTTP_1_1)
      .build();

  public ShopClient(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  public String baseUrl() {
    return baseUrl;
  }

  /** An answer: status and parsed JSON body (a missing node for an empty or non-JSON body). */
  public record Answer(int status, JsonNode body, String raw) {
    public boolean ok() {
      return status >= 200 && status < 300;
    }
  }

  public Answer get(String path, String bearer) {
    return send(request(path, bearer).GET().build());
  }

  public Answer post(String path, Object body, String bearer) {
    return send(request(path, bearer).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(write(body))).build());
  }

  public Answer put(String path, Object body, String bearer, String ifMatch) {
    HttpRequest.Builder builder = request(path, bearer).header("Content-Type", "application/json");
    if (ifMatch != null) {
      builder.header("If-Match", ifMatch);
    }
    return send(builder.PUT(HttpRequest.BodyPublishers.ofString(write(body))).build());
  }

  /**
   * Waits until {@code path} answers 2xx: a run may be started the moment the shop printed "ready",
   * or while an orchestrator is still rolling it out.
   */
  public Answer await(String path, Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    Answer last = null;
    RuntimeException failure = null;
    while (Instant.now().isBefore(deadline)) {
      try {
        last = get(path, null);
        if (last.ok()) {
          return last;
        }
      } catch (RuntimeException e) {
        failure = e;
      }
      sleep(Duration.ofMillis(500));
    }
    String why = last != null ? "last answer " + last.status() + " " + abbreviate(last.raw())
        : failure != null ? failure.getMessage() : "no answer";
    throw new IllegalStateException("GET " + baseUrl + path + " did not answer 2xx within " + timeout.toSeconds() + " s: " + why);
  }

  public static ObjectNode object() {
    return JSON.createObjectNode();
  }

  private HttpRequest.Builder request(String path, String bearer) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path))
        .timeout(Duration.ofSeconds(30))
        .header("Accept", "application/json")
        .header("x-correlation-id", "loadtest-setup");
    if (bearer != null) {
      builder.header("Authorization", "Bearer " + bearer);
    }
    return builder;
  }

  private Answer send(HttpRequest request) {
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      String raw = response.body();
      JsonNode body;
      try {
        body = raw == null || raw.isBlank() ? JSON.missingNode() : JSON.readTree(raw);
      } catch (IOException notJson) {
        body = JSON.missingNode();
      }
      return new Answer(response.statusCode(), body, raw);
    } catch (ConnectException e) {
      throw new IllegalStateException("cannot connect to " + request.uri(), e);
    } catch (IOException e) {
      throw new IllegalStateException(request.method() + " " + request.uri() + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static String write(Object body) {
    try {
      return JSON.writeValueAsString(body);
    } catch (IOException e) {
      throw new IllegalArgumentException(e);
    }
  }

  static String abbreviate(String text) {
    if (text == null) {
      return "";
    }
    return text.length() > 300 ? text.substring(0, 300) + "..." : text;
  }

  static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
