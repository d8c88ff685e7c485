package dev.vertxshop.gateway.auth;

import dev.vertxshop.platform.errors.ServiceException;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The address of the client as the users service's sign-in throttle needs it: the peer of the connection, or,
 * only when the gateway is told it sits behind its own proxies ({@code SHOP_GATEWAY_TRUST_FORWARDED=true}), the
 * first hop of {@code X-Forwarded-For}. Trusting that header without such a proxy would let every caller pick
 * the address its failed sign-ins are counted against.
 */
public final class ClientAddress {

  public static final String FORWARDED_FOR = "X-Forwarded-For";
  /** What the users service accepts (at most 64 of these characters). */
  static final Pattern USABLE = Pattern.compile("[0-9A-Za-z.:%_\\[\\]-]{1,64}");
  static final String UNKNOWN = "unknown";

  private ClientAddress() {
  }

  /** The client address of {@code request}; fails BAD_REQUEST when a trusted {@code X-Forwarded-For} is unusable. */
  public static String of(HttpServerRequest request, boolean trustForwarded) {
    SocketAddress peer = request.remoteAddress();
    return of(peer == null ? null : peer.hostAddress(), request.headers().getAll(FORWARDED_FOR), trustForwarded);
  }

  static String of(String peer, List<String> forwardedFor, boolean trustForwarded) {
    if (trustForwarded && forwardedFor != null && !forwardedFor.isEmpty()) {
      // Proxies append: the first value of the first header is the hop farthest away, the client.
      String first = forwardedFor.get(0).split(",", -1)[0].trim();
      if (!USABLE.matcher(first).matches()) {
        // Falling back to the peer would count this client's failures against the proxy, i.e. everyone.
        throw ServiceException.badRequest("the first X-Forwarded-For hop is not an address");
      }
      return first;
    }
    return peer != null && USABLE.matcher(peer).matches() ? peer : UNKNOWN;
  }
}
