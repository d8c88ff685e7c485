package dev.vertxshop.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;

/** Loopback port helpers shared by the embedded servers. */
final class Ports {

  static final String LOOPBACK = "127.0.0.1";

  private static final long POLL_MILLIS = 50;

  private Ports() {
  }

  /** Returns a port that was free a moment ago; the caller binds it soon after. */
  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("No free port on " + LOOPBACK, e);
    }
  }

  /**
   * Waits until {@code port} can be bound again. A server that has just been stopped may still hold
   * its listening socket for a moment, and starting its successor too early fails in ways that are
   * slow to detect (zonky waits its whole startup timeout).
   */
  static void awaitFree(int port, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!isFree(port)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("Port " + port + " still in use after " + timeout);
      }
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while waiting for port " + port, e);
      }
    }
  }

  private static boolean isFree(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      // Same option the servers use, so connections lingering in TIME_WAIT do not count as busy.
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getByName(LOOPBACK), port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
