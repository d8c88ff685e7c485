package dev.vertxshop.loadtest.harness;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

/** Readiness probes over HTTP: status codes only, short timeouts, never an exception. */
final class Http {

  private static final HttpClient CLIENT = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(2))
      .version(HttpClient.Version.HTTP_1_1)
      .build();

  private Http() {
  }

  /** The status of GET {@code url}, or -1 when nothing answered within 5 s. */
  static int status(String url) {
    try {
      HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).GET().build();
      return CLIENT.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException | IllegalArgumentException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** A status and a body; status -1 when nothing answered. */
  record Response(int status, String body) {
    boolean ok() {
      return status >= 200 && status < 300;
    }
  }

  /** GET {@code url} with its body, or status -1 when nothing answered within {@code timeout}. */
  static Response get(String url, Duration timeout) {
    try {
      HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout).GET().build();
      HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
      return new Response(response.statusCode(), response.body());
    } catch (IOException | IllegalArgumentException e) {
      return new Response(-1, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Response(-1, "interrupted");
    }
  }

  static boolean ok(String url) {
    int status = status(url);
    return status >= 200 && status < 300;
  }

  static boolean allOk(List<String> urls) {
    for (String url : urls) {
      if (!ok(url)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Polls {@code condition} every 250 ms until it holds (returns the elapsed milliseconds) or
   * {@code timeout} passes (returns -1). {@code alive} false ends the wait early (a process died).
   */
  static long await(BooleanSupplier condition, BooleanSupplier alive, Duration timeout) {
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return (System.nanoTime() - start) / 1_000_000;
      }
      if (!alive.getAsBoolean()) {
        return -1;
      }
      Proc.sleep(250);
    }
    return -1;
  }
}
