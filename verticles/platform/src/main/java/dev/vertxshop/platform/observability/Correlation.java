package dev.vertxshop.platform.observability;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxBootstrap;
import io.vertx.core.spi.VertxServiceProvider;
import io.vertx.core.spi.context.storage.ContextLocal;
import java.util.UUID;

/**
 * The correlation id of the request being served, kept in the (duplicated) Vert.x context so that
 * it follows the request across every asynchronous step without thread-locals.
 *
 * <p>Registered as a {@link VertxServiceProvider} because context locals must exist before the first
 * Vert.x instance is built.
 */
public final class Correlation implements VertxServiceProvider {

  /** HTTP header and event-bus / Kafka header carrying the id. */
  public static final String HEADER = "x-correlation-id";

  private static final ContextLocal<String> ID = ContextLocal.registerLocal(String.class);

  @Override
  public void init(VertxBootstrap builder) {
    // Nothing to configure: loading this class registered the context local.
  }

  /** The id of the current request, or null outside of one. */
  public static String current() {
    Context ctx = Vertx.currentContext();
    return ctx == null ? null : ctx.getLocal(ID);
  }

  /** Binds {@code id} (or a new one when null or unusable) to the current context; returns it. */
  public static String bind(String id) {
    String value = sanitize(id);
    Context ctx = Vertx.currentContext();
    if (ctx != null) {
      ctx.putLocal(ID, value);
    }
    return value;
  }

  /**
   * The id in use on this context, creating one if there is none. A new id is kept only on a
   * duplicated (per-request) context: kept on a verticle's own context, it would tag every later,
   * unrelated request that starts there (timers, sweepers, tests) with the same id.
   */
  public static String currentOrNew() {
    String id = current();
    if (id != null) {
      return id;
    }
    Context ctx = Vertx.currentContext();
    if (ctx instanceof ContextInternal internal && internal.isDuplicate()) {
      return bind(null);
    }
    return UUID.randomUUID().toString();
  }

  // A client-supplied id ends up in logs: keep it short and printable.
  private static String sanitize(String id) {
    if (id == null || id.isEmpty() || id.length() > 64 || !id.chars().allMatch(c -> c > 32 && c < 127 && c != '"' && c != '\\')) {
      return UUID.randomUUID().toString();
    }
    return id;
  }
}
