package dev.vertxshop.embedded;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Loopback ports for servers that must be told their port before they bind it (a server bound to port 0
 * cannot say which one it got, or a second server must be pointed at it first).
 *
 * <p>A port the kernel hands out for port 0 lies in the ephemeral range (32768-60999 on Linux), the same
 * range it takes the local ports of outgoing connections from: between the check and the bind, any client
 * connection of the JVM (to PostgreSQL, Kafka, a peer) may take it, and the server fails with "Address
 * already in use". These ports are drawn below that range instead, checked free, and never handed out
 * twice by one JVM.
 */
public final class LoopbackPorts {

  private static final int FIRST = 15_000;
  private static final int LAST = 32_000;
  private static final int ATTEMPTS = 200;
  private static final Set<Integer> GIVEN = new HashSet<>();

  private LoopbackPorts() {
  }

  /** A port below the ephemeral range that was free a moment ago and that this JVM has not handed out before. */
  public static synchronized int reserve() {
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      int port = ThreadLocalRandom.current().nextInt(FIRST, LAST);
      if (GIVEN.contains(port)) {
        continue;
      }
      try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName(Ports.LOOPBACK))) {
        GIVEN.add(port);
        return socket.getLocalPort();
      } catch (IOException inUse) {
        // Taken: draw another.
      }
    }
    throw new IllegalStateException("no free loopback port in " + FIRST + "-" + LAST + " after " + ATTEMPTS + " draws");
  }
}
