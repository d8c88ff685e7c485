package dev.vertxshop.loadtest.harness;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a replica's ops port and the entry point answer, for the transcript-driven target tests: the real
 * HTTP client of the harness talks to a real HTTP server, which answers 200 to every path and the recorded
 * {@code /metrics} page of the shop. Stands in for a pod behind its port-forward, or an allocation's port.
 */
final class FakeOps implements AutoCloseable {

  private final HttpServer server;

  FakeOps(int port) {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    byte[] metrics = metricsPage();
    server.createContext("/", exchange -> {
      byte[] body = exchange.getRequestURI().getPath().equals("/metrics") ? metrics : "{\"status\":\"UP\",\"items\":[],\"total\":0}".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  private static byte[] metricsPage() {
    try {
      return Files.readAllBytes(Path.of(FakeOps.class.getResource("/fixtures/metrics-all-in-one.txt").toURI()));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }

  /** A first port of {@code count} free ones in a row (the harness's port range of a test). */
  static int freeRange(int count) {
    for (int attempt = 0; attempt < 50; attempt++) {
      int base = 20_000 + (int) (Math.random() * 30_000);
      List<ServerSocket> sockets = new ArrayList<>();
      boolean free = true;
      try {
        for (int i = 0; i < count; i++) {
          sockets.add(new ServerSocket(base + i, 1, java.net.InetAddress.getLoopbackAddress()));
        }
      } catch (IOException e) {
        free = false;
      } finally {
        for (ServerSocket socket : sockets) {
          try {
            socket.close();
          } catch (IOException ignored) {
            // was free
          }
        }
      }
      if (free) {
        return base;
      }
    }
    throw new IllegalStateException("no free port range");
  }
}
