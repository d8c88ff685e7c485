package dev.vertxshop.platform.observability;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * The name of the service a piece of code runs for, read from the deployment configuration of its
 * verticle. Several services share one JVM (all-in-one, tests), so the logger name alone does not say
 * which service a platform class (event bus, outbox, consumer) was working for.
 */
public final class ServiceTag {

  /** The key of the deployment configuration that names the service. */
  public static final String CONFIG_KEY = "shop.service";

  private ServiceTag() {
  }

  /** A deployment configuration naming {@code service}. */
  public static JsonObject config(String service) {
    return new JsonObject().put(CONFIG_KEY, service);
  }

  /** The service of the verticle running now, or null outside of one (or for a verticle not deployed by a service). */
  public static String current() {
    Context ctx = Vertx.currentContext();
    if (ctx == null) {
      return null;
    }
    JsonObject config = ctx.config();
    return config == null || !(config.getValue(CONFIG_KEY) instanceof String name) ? null : name;
  }
}
