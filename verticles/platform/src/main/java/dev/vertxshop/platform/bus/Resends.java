package dev.vertxshop.platform.bus;

import dev.vertxshop.platform.cluster.ShopClusterManager;
import dev.vertxshop.platform.errors.ErrorCode;
import dev.vertxshop.platform.errors.ServiceException;
import dev.vertxshop.platform.observability.NodeMetrics;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The idempotent requests of one clustered node that are waiting for a reply, by address, so that they
 * can be sent again the moment the cluster manager says a destination of their address was lost (a
 * peer stopped answering and was set aside, or left the cluster): the copy goes to one of the remaining
 * consumers, and the first answer wins. Without it, a request routed to a frozen node waits for its whole
 * deadline although another replica could answer in milliseconds.
 *
 * <p>Only requests the caller declared safe to repeat ({@link Bus#requestIdempotent}) are registered, and
 * each is sent again at most once. A node that does not run the shop's cluster manager (a local event
 * bus, a test instance) has no registry, and its idempotent requests are plain requests.
 */
final class Resends implements Shareable {

  private static final Logger LOG = LoggerFactory.getLogger(Resends.class);
  private static final String MAP = "shop.bus";
  private static final String KEY = "resends";

  private final Vertx vertx;
  private final ConcurrentHashMap<String, Set<Call<?>>> inFlight = new ConcurrentHashMap<>();

  private Resends(Vertx vertx) {
    this.vertx = vertx;
  }

  /** The registry of {@code vertx}'s node, made on first use; null when the node cannot lose routes. */
  static Resends of(Vertx vertx) {
    if (!(vertx instanceof VertxInternal internal) || !(internal.clusterManager() instanceof ShopClusterManager cluster)) {
      return null;
    }
    LocalMap<String, Resends> map = vertx.sharedData().getLocalMap(MAP);
    Resends existing = map.get(KEY);
    if (existing != null) {
      return existing;
    }
    Resends created = new Resends(vertx);
    Resends raced = map.putIfAbsent(KEY, created);
    if (raced != null) {
      return raced;
    }
    cluster.onRoutesLost(created::routesLost);
    return created;
  }

  <T> Future<T> request(String address, Object body, DeliveryOptions options, long deadlineAtMs) {
    Call<T> call = new Call<>(vertx.getOrCreateContext(), address, body, options, deadlineAtMs);
    inFlight.computeIfAbsent(address, a -> ConcurrentHashMap.newKeySet()).add(call);
    call.attempt();
    return call.result.future().onComplete(done -> {
      Set<Call<?>> calls = inFlight.get(address);
      if (calls != null) {
        calls.remove(call);
      }
    });
  }

  private void routesLost(Set<String> addresses) {
    for (String address : addresses) {
      Set<Call<?>> calls = inFlight.get(address);
      if (calls != null) {
        calls.forEach(Call::resend);
      }
    }
  }

  /** One idempotent request: its attempts run and complete on the caller's context. */
  private final class Call<T> {

    private final Context context;
    private final String address;
    private final Object body;
    private final DeliveryOptions options;
    private final long deadlineAtMs;
    private final Promise<T> result = Promise.promise();
    // Context-confined from here on.
    private int outstanding;
    private boolean resent;
    private ServiceException lastFailure;

    Call(Context context, String address, Object body, DeliveryOptions options, long deadlineAtMs) {
      this.context = context;
      this.address = address;
      this.body = body;
      this.options = options;
      this.deadlineAtMs = deadlineAtMs;
    }

    void attempt() {
      outstanding++;
      vertx.eventBus().<T>request(address, body, options).map(Message::body).onComplete(
          reply -> result.tryComplete(reply),
          failure -> {
            outstanding--;
            ServiceException error = ServiceException.from(failure);
            // A lost or refused attempt waits for its copy; any answer of the service itself is the answer.
            if (outstanding > 0 && (error.code().isTimeout() || error.code() == ErrorCode.UNAVAILABLE)) {
              lastFailure = error;
              return;
            }
            result.tryFail(lastFailure != null && error.code() == ErrorCode.UNAVAILABLE ? lastFailure : error);
          });
    }

    void resend() {
      context.runOnContext(v -> {
        long remainingMs = deadlineAtMs - System.currentTimeMillis();
        if (result.future().isComplete() || resent || remainingMs <= 0) {
          return;
        }
        resent = true;
        LOG.info("{}: a destination was lost while a request was waiting; sent it again", address);
        NodeMetrics.of(vertx).ifPresent(registry -> Counter.builder("shop.bus.resent")
            .description("Idempotent requests sent again because a destination of their address was lost")
            .tag("address", address)
            .register(registry)
            .increment());
        // Same deadline as the first attempt: the caller waits no longer than it asked to.
        options.setSendTimeout(remainingMs);
        attempt();
      });
    }
  }
}
