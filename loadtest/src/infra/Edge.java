import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The edge of the "processes" target: one listening port in front of the gateway processes, as HAProxy
 * is in front of the gateway containers in Compose and Nomad. Round robin over the gateways whose ops
 * port answers {@code /health/ready} (checked every 2 s, down after 2 failures, up after 1 success, as the
 * Compose edge's {@code inter 2s fall 2 rise 1}); a connection that cannot reach one gateway tries the
 * next. It balances connections, not requests (TCP, not HTTP): a keep-alive connection stays on its
 * gateway until it closes.
 *
 * <pre>java loadtest/src/infra/Edge.java LISTEN_PORT HOST:PORT:OPS_PORT[,HOST:PORT:OPS_PORT...]</pre>
 *
 * Prints {@code edge ready}; ends when its standard input closes (the harness that started it is gone).
 */
public final class Edge {

  /** One gateway: where it listens, where it answers health checks, and whether it is in the rotation. */
  static final class Backend {
    final String host;
    final int port;
    final int opsPort;
    volatile boolean up = true;
    int failures;

    Backend(String spec) {
      String[] parts = spec.split(":");
      host = parts[0];
      port = Integer.parseInt(parts[1]);
      opsPort = Integer.parseInt(parts[2]);
    }
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      System.err.println("usage: Edge LISTEN_PORT HOST:PORT:OPS_PORT[,...]");
      System.exit(2);
    }
    int listen = Integer.parseInt(args[0]);
    List<Backend> backends = new ArrayList<>();
    for (String spec : args[1].split(",")) {
      backends.add(new Backend(spec.trim()));
    }
    Thread checker = new Thread(() -> check(backends), "edge-checks");
    checker.setDaemon(true);
    checker.start();
    Thread watchdog = new Thread(() -> {
      try {
        while (System.in.read() >= 0) {
          // nothing is sent on stdin: it only ever closes
        }
      } catch (IOException ignored) {
        // closed
      }
      System.exit(0);
    }, "edge-stdin");
    watchdog.setDaemon(true);
    watchdog.start();
    AtomicInteger next = new AtomicInteger();
    try (ServerSocket server = new ServerSocket()) {
      server.setReuseAddress(true);
      server.bind(new InetSocketAddress("127.0.0.1", listen), 1024);
      System.out.println("edge ready on 127.0.0.1:" + listen + " in front of " + args[1]);
      System.out.flush();
      while (true) {
        Socket client = server.accept();
        Thread thread = new Thread(() -> serve(client, backends, next), "edge-conn");
        thread.setDaemon(true);
        thread.start();
      }
    }
  }

  private static void serve(Socket client, List<Backend> backends, AtomicInteger next) {
    Socket upstream = null;
    int start = Math.floorMod(next.getAndIncrement(), backends.size());
    // Up gateways first, in round-robin order; the down ones last (all may be marked down for a moment).
    List<Backend> order = new ArrayList<>();
    for (int pass = 0; pass < 2; pass++) {
      for (int i = 0; i < backends.size(); i++) {
        Backend b = backends.get((start + i) % backends.size());
        if (b.up == (pass == 0)) {
          order.add(b);
        }
      }
    }
    for (Backend backend : order) {
      try {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(backend.host, backend.port), 2000);
        upstream = socket;
        break;
      } catch (IOException e) {
        backend.up = false;
      }
    }
    if (upstream == null) {
      close(client);
      return;
    }
    try {
      client.setTcpNoDelay(true);
      upstream.setTcpNoDelay(true);
    } catch (IOException ignored) {
      // a latency nicety
    }
    Socket server = upstream;
    Thread back = new Thread(() -> pipe(server, client), "edge-back");
    back.setDaemon(true);
    back.start();
    pipe(client, server);
  }

  private static void pipe(Socket from, Socket to) {
    byte[] buffer = new byte[16 * 1024];
    try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (IOException ignored) {
      // either side went away
    } finally {
      close(from);
      close(to);
    }
  }

  private static void check(List<Backend> backends) {
    while (true) {
      for (Backend backend : backends) {
        boolean ok;
        try {
          HttpURLConnection connection = (HttpURLConnection) new URL("http://" + backend.host + ":" + backend.opsPort + "/health/ready").openConnection();
          connection.setConnectTimeout(1000);
          connection.setReadTimeout(1500);
          ok = connection.getResponseCode() == 200;
          connection.disconnect();
        } catch (IOException e) {
          ok = false;
        }
        if (ok) {
          backend.failures = 0;
          if (!backend.up) {
            System.out.println(System.currentTimeMillis() + " edge: " + backend.host + ":" + backend.port + " up");
          }
          backend.up = true;
        } else if (++backend.failures >= 2 && backend.up) {
          backend.up = false;
          System.out.println(System.currentTimeMillis() + " edge: " + backend.host + ":" + backend.port + " down");
        }
      }
      try {
        Thread.sleep(2000);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private static void close(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // already closed
    }
  }
}
