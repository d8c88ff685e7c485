package dev.vertxshop.platform.boot;

import dev.vertxshop.platform.config.ConfigException;
import dev.vertxshop.platform.config.Env;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry point of a clustered node, the content of every service container: runs the services named
 * on the command line or in {@code SHOP_SERVICES} (default: every service on the class path), joined
 * to the cluster, against the PostgreSQL and Kafka that {@code SHOP_*} variables name.
 */
public final class ShopMain {

  private ShopMain() {
  }

  public static void main(String[] args) {
    Env env = Env.system();
    List<String> names = args.length > 0 ? List.of(args) : env.list("SERVICES", List.of());
    runOrExit(env, names, env.bool("CLUSTERED", true));
  }

  /** Every service implementation on the class path, by name. */
  public static Map<String, ShopService> available() {
    Map<String, ShopService> byName = new TreeMap<>();
    for (ShopService service : ServiceLoader.load(ShopService.class)) {
      byName.put(service.name(), service);
    }
    return byName;
  }

  /** The services called {@code names} (all available when empty); unknown names are a config error. */
  public static List<ShopService> select(List<String> names) {
    Map<String, ShopService> available = available();
    if (names.isEmpty()) {
      return new ArrayList<>(available.values());
    }
    List<ShopService> chosen = new ArrayList<>();
    for (String name : names) {
      ShopService service = available.get(name.trim());
      if (service == null) {
        throw new ConfigException(Env.var("SERVICES"), "unknown service '" + name + "'; available: " + available.keySet());
      }
      chosen.add(service);
    }
    return chosen;
  }

  /**
   * Starts a node and wires SIGTERM/SIGINT to its graceful stop. On a start failure, logs why (a bad
   * variable is named) and exits with status 1.
   */
  public static ShopNode runOrExit(Env env, List<String> names, boolean clustered) {
    Logger log = LoggerFactory.getLogger(ShopMain.class);
    ShopNode node;
    try {
      List<ShopService> services = select(names);
      node = ShopNode.start(env, services, clustered).toCompletionStage().toCompletableFuture().get(5, TimeUnit.MINUTES);
    } catch (Exception e) {
      Throwable cause = configCause(e);
      if (cause instanceof ConfigException) {
        log.error("invalid configuration: {}", cause.getMessage());
      } else {
        log.error("start failed: {}", cause.getMessage(), cause);
      }
      System.exit(1);
      return null;
    }
    stopOnShutdown(node, null);
    return node;
  }

  /** The ConfigException behind a start failure, if there is one; otherwise the failure itself. */
  public static Throwable configCause(Throwable failure) {
    Throwable root = failure instanceof java.util.concurrent.ExecutionException && failure.getCause() != null ? failure.getCause() : failure;
    for (Throwable t = root; t != null; t = t.getCause()) {
      if (t instanceof ConfigException) {
        return t;
      }
    }
    return root;
  }

  /** On SIGTERM/SIGINT: stop the node gracefully, then run {@code after} (embedded infrastructure, for instance). */
  public static void stopOnShutdown(ShopNode node, Runnable after) {
    long graceMs = node.config().shutdownGrace().toMillis();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        node.stop().toCompletionStage().toCompletableFuture().get(graceMs + 10_000, TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        LoggerFactory.getLogger(ShopMain.class).warn("graceful stop incomplete: {}", e.toString());
      } finally {
        if (after != null) {
          after.run();
        }
      }
    }, "shop-shutdown"));
  }
}
