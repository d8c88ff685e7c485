package dev.vertxshop.platform.testing;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on 127.0.0.1 in front of a real server that holds back the first {@code count}
 * connections whose first packet contains {@code marker}: their bytes reach the server only after
 * {@code holdMs}, as from a server too busy to answer. Every other connection passes at once.
 */
public final class HoldingProxy {

  private final NetServer server;
  private final NetClient client;
  private final int count;
  private final AtomicInteger held = new AtomicInteger();

  private HoldingProxy(NetServer server, NetClient client, int count) {
    this.server = server;
    this.client = client;
    this.count = count;
  }

  public static Future<HoldingProxy> start(Vertx vertx, String host, int port, String marker, int count, long holdMs) {
    NetServer server = vertx.createNetServer();
    HoldingProxy proxy = new HoldingProxy(server, vertx.createNetClient(), count);
    server.connectHandler(socket -> proxy.accept(vertx, socket, host, port, marker, holdMs));
    return server.listen(0, "127.0.0.1").map(s -> proxy);
  }

  private void accept(Vertx vertx, NetSocket socket, String host, int port, String marker, long holdMs) {
    socket.handler(first -> {
      socket.pause();
      boolean hold = first.toString(StandardCharsets.ISO_8859_1).contains(marker)
          && held.getAndUpdate(n -> n < count ? n + 1 : n) < count;
      vertx.timer(hold ? holdMs : 1)
          .compose(t -> client.connect(port, host))
          .onSuccess(upstream -> pipe(socket, upstream, first))
          .onFailure(failure -> socket.close());
    });
  }

  private static void pipe(NetSocket socket, NetSocket upstream, Buffer first) {
    upstream.write(first);
    socket.handler(upstream::write);
    upstream.handler(socket::write);
    socket.closeHandler(v -> upstream.close());
    upstream.closeHandler(v -> socket.close());
    socket.resume();
  }

  public int port() {
    return server.actualPort();
  }

  /** How many connections were held back so far. */
  public int held() {
    return held.get();
  }

  public Future<Void> close() {
    return server.close().eventually(client::close);
  }
}
