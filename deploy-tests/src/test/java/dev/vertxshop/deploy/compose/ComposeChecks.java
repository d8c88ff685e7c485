package dev.vertxshop.deploy.compose;

import dev.vertxshop.deploy.Images;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The shop's rules for its Compose file, on top of docker-compose's own validation: pinned images,
 * health checks, restart policies and limits everywhere; JVMs locked down (read-only root, no
 * capabilities); cluster members share one DNS alias they discover each other by; dependencies wait
 * for health; only the edge publishes a port, on loopback by default; secrets only as references.
 */
public final class ComposeChecks {

  public static final Set<String> SHOP_SERVICES = Set.of("gateway", "catalog", "users", "cart", "orders", "payments",
      "notifications", "search", "payment-provider");
  public static final String CLUSTER_ALIAS = "shop-cluster";
  private static final Pattern SECRET = Pattern.compile("[A-Z0-9_]*(PASSWORD|TOKEN|PRIVATE_KEY|SECRET)([A-Z0-9_]*)");
  /** Where make-env.sh writes the cluster's TLS material (docker/cluster-tls.sh). */
  static final String CLUSTER_TLS_DIR = "./secrets/cluster-tls";
  private static final Pattern REFERENCE = Pattern.compile("^\\$\\{[A-Za-z_][A-Za-z0-9_]*(:?[?-][^}]*)?}$");

  private ComposeChecks() {
  }

  /**
   * Problems of a Compose file: {@code raw} as written (for secrets), {@code resolved} with the example
   * environment substituted; {@code exampleEnv} is .env.example.
   */
  public static List<String> check(JsonObject raw, JsonObject resolved, Map<String, String> exampleEnv) {
    List<String> problems = new ArrayList<>();
    if (!"2.4".equals(String.valueOf(resolved.getValue("version")))) {
      problems.add("version must be \"2.4\" (docker-compose 1.29: scale, cpus, mem_limit and depends_on conditions)");
    }
    JsonObject services = resolved.getJsonObject("services", new JsonObject());
    JsonObject rawServices = raw.getJsonObject("services", new JsonObject());
    for (String name : services.fieldNames()) {
      JsonObject s = services.getJsonObject(name);
      String where = "service " + name + ": ";
      if (!Images.pinned(s.getString("image"))) {
        problems.add(where + "image '" + s.getString("image") + "' is not pinned to a version tag");
      }
      if (!List.of("always", "unless-stopped", "on-failure").contains(s.getString("restart", ""))) {
        problems.add(where + "needs a restart policy");
      }
      JsonObject health = s.getJsonObject("healthcheck", new JsonObject());
      if (health.getValue("test") == null || Boolean.TRUE.equals(health.getBoolean("disable"))) {
        problems.add(where + "needs a healthcheck");
      }
      if (s.getValue("mem_limit") == null || s.getValue("cpus") == null) {
        problems.add(where + "needs mem_limit and cpus");
      }
      if (s.containsKey("ports") && !"edge".equals(name)) {
        problems.add(where + "publishes ports; only the edge proxy does");
      }
      if (!"edge".equals(name) && s.containsKey("expose")) {
        problems.add(where + "expose is not used (the network is private to the project)");
      }
      if (!Boolean.TRUE.equals(s.getBoolean("read_only"))
          || !s.getJsonArray("cap_drop", new JsonArray()).contains("ALL")) {
        problems.add(where + "must run with read_only: true and cap_drop: [ALL]");
      }
      JsonObject dependsOn = s.getValue("depends_on") instanceof JsonObject d ? d : new JsonObject();
      if (s.getValue("depends_on") instanceof JsonArray) {
        problems.add(where + "depends_on must wait for health (condition: service_healthy)");
      }
      for (String dep : dependsOn.fieldNames()) {
        if (!services.containsKey(dep)) {
          problems.add(where + "depends on " + dep + ", which is not a service");
        }
        if (!"service_healthy".equals(dependsOn.getJsonObject(dep).getString("condition"))) {
          problems.add(where + "depends on " + dep + " without condition: service_healthy");
        }
      }
      JsonObject env = environment(s);
      if (SHOP_SERVICES.contains(name)) {
        if (s.getValue("stop_grace_period") == null) {
          problems.add(where + "needs a stop_grace_period above SHOP_SHUTDOWN_GRACE");
        }
        if (!s.getJsonArray("tmpfs", new JsonArray()).stream().anyMatch(t -> String.valueOf(t).startsWith("/tmp"))) {
          problems.add(where + "a read-only root file system needs a tmpfs on /tmp");
        }
        boolean clustered = !"false".equals(env.getString("SHOP_CLUSTERED", "true"));
        if (clustered) {
          if (!aliases(s).contains(CLUSTER_ALIAS)) {
            problems.add(where + "a cluster member needs the network alias " + CLUSTER_ALIAS);
          }
          if (!"dns".equals(env.getString("SHOP_CLUSTER_DISCOVERY"))
              || !CLUSTER_ALIAS.equals(env.getString("SHOP_CLUSTER_DNS_NAME"))) {
            problems.add(where + "a cluster member discovers the others by DNS: SHOP_CLUSTER_DISCOVERY=dns, SHOP_CLUSTER_DNS_NAME=" + CLUSTER_ALIAS);
          }
          // The cluster is closed: the shared secret, and the TLS files on a read-only mount of compose/secrets/cluster-tls.
          if (env.getString("SHOP_CLUSTER_SECRET") == null || "true".equals(env.getString("SHOP_CLUSTER_INSECURE"))) {
            problems.add(where + "a cluster member needs SHOP_CLUSTER_SECRET and must not set SHOP_CLUSTER_INSECURE=true");
          }
          JsonArray volumes = s.getJsonArray("volumes", new JsonArray());
          for (String tls : List.of("SHOP_CLUSTER_TLS_CERT", "SHOP_CLUSTER_TLS_KEY", "SHOP_CLUSTER_TLS_CA")) {
            String path = env.getString(tls);
            boolean mounted = path != null && volumes.stream().map(String::valueOf).anyMatch(v -> v.startsWith(CLUSTER_TLS_DIR + ":")
                && v.endsWith(":ro") && path.startsWith(v.split(":")[1] + "/"));
            if (!mounted) {
              problems.add(where + tls + " must name a file on the read-only mount of " + CLUSTER_TLS_DIR + ", is " + path);
            }
          }
        }
      }
      JsonObject rawEnv = environment(rawServices.getJsonObject(name, new JsonObject()));
      for (String key : rawEnv.fieldNames()) {
        var m = SECRET.matcher(key);
        if (m.matches() && !m.group(2).endsWith("_FILE") && !REFERENCE.matcher(String.valueOf(rawEnv.getValue(key))).matches()) {
          problems.add(where + key + " is a secret: give it as a ${VARIABLE} from compose/.env, not a literal");
        }
      }
    }
    for (String front : List.of("gateway", "catalog")) {
      Object scale = services.getJsonObject(front, new JsonObject()).getValue("scale");
      if (!(scale instanceof Number n) || n.intValue() < 2) {
        problems.add("service " + front + ": runs at least 2 replicas (scale)");
      }
    }
    JsonObject edge = services.getJsonObject("edge");
    if (edge == null) {
      problems.add("no edge service: the one published entry point");
    } else {
      // Published on loopback with the example environment and with none at all (the defaults).
      JsonArray asWritten = rawServices.getJsonObject("edge", new JsonObject()).getJsonArray("ports", new JsonArray());
      JsonArray byDefault = (JsonArray) ComposeFile.substitute(asWritten, Map.of());
      for (JsonArray ports : List.of(edge.getJsonArray("ports", new JsonArray()), byDefault)) {
        for (Object p : ports) {
          if (!String.valueOf(p).startsWith("127.0.0.1:")) {
            problems.add("service edge: publishes '" + p + "'; the default binding is 127.0.0.1");
          }
        }
      }
    }
    exampleEnv.forEach((k, v) -> {
      var m = SECRET.matcher(k);
      if (m.matches() && !v.contains("dev-only")) {
        problems.add(".env.example: " + k + " must be an obviously fake value (containing dev-only)");
      }
    });
    return problems;
  }

  /** environment as a map, from either of Compose's two spellings. */
  public static JsonObject environment(JsonObject service) {
    Object env = service.getValue("environment");
    if (env instanceof JsonObject o) {
      JsonObject out = new JsonObject();
      o.forEach(e -> out.put(e.getKey(), e.getValue() == null ? null : String.valueOf(e.getValue())));
      return out;
    }
    JsonObject out = new JsonObject();
    if (env instanceof JsonArray a) {
      for (Object item : a) {
        String s = String.valueOf(item);
        out.put(s.contains("=") ? s.substring(0, s.indexOf('=')) : s, s.contains("=") ? s.substring(s.indexOf('=') + 1) : null);
      }
    }
    return out;
  }

  static List<String> aliases(JsonObject service) {
    List<String> aliases = new ArrayList<>();
    Object networks = service.getValue("networks");
    if (networks instanceof JsonObject n) {
      n.forEach(e -> {
        if (e.getValue() instanceof JsonObject net) {
          net.getJsonArray("aliases", new JsonArray()).forEach(a -> aliases.add(String.valueOf(a)));
        }
      });
    }
    return aliases;
  }
}
