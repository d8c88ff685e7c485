package dev.vertxshop.deploy.parity;

import dev.vertxshop.deploy.compose.ComposeChecks;
import dev.vertxshop.deploy.compose.ComposeFile;
import dev.vertxshop.deploy.k8s.KubernetesChecks;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Reads each orchestrator's description of the shop into the common model, service by service. */
public final class Readers {

  /**
   * Which variable says which port a process listens on. Compose declares no container ports (its
   * network is private to the project), so its ports are the ones the processes are configured with;
   * in Kubernetes and Nomad the declared ports are also checked against these variables.
   */
  public static final Map<String, String> PORT_VARIABLES = Map.of(
      "SHOP_OPS_PORT", "ops",
      "SHOP_CLUSTER_HAZELCAST_PORT", "hazelcast",
      "SHOP_CLUSTER_EVENTBUS_PORT", "eventbus",
      "SHOP_GATEWAY_PORT", "http",
      "SHOP_PROVIDER_PORT", "http",
      "SHOP_PROVIDER_ADMIN_PORT", "admin",
      "KAFKA_PORT", "kafka");

  /** Ports fixed by an image rather than a variable (PostgreSQL's own default). */
  static final Map<String, Map<String, String>> IMAGE_PORTS = Map.of("postgres", Map.of("postgres", "5432"));

  private Readers() {
  }

  // ---- Compose -----------------------------------------------------------------------------

  public static Map<String, ServiceSpec> compose(Path composeFile, Path envFile) {
    Map<String, String> exampleEnv = ComposeFile.envFile(envFile);
    JsonObject raw = ComposeFile.raw(composeFile).getJsonObject("services");
    JsonObject resolved = ComposeFile.resolved(composeFile, exampleEnv).getJsonObject("services");
    Map<String, ServiceSpec> model = new TreeMap<>();
    for (String name : resolved.fieldNames()) {
      JsonObject s = resolved.getJsonObject(name);
      JsonObject rawEnv = ComposeChecks.environment(raw.getJsonObject(name));
      JsonObject resolvedEnv = ComposeChecks.environment(s);
      Map<String, String> env = new TreeMap<>();
      for (String key : resolvedEnv.fieldNames()) {
        // A value from compose/.env is filled in at run time; a value in the file is a literal.
        String rawValue = String.valueOf(rawEnv.getValue(key));
        env.put(key, rawValue.contains("${") ? null : resolvedEnv.getString(key));
      }
      Map<String, String> ports = new TreeMap<>(IMAGE_PORTS.getOrDefault(name, Map.of()));
      env.forEach((k, v) -> {
        if (PORT_VARIABLES.containsKey(k) && v != null) {
          ports.put(PORT_VARIABLES.get(k), v);
        }
      });
      for (Object p : s.getJsonArray("ports", new JsonArray())) {
        String spec = String.valueOf(p);
        ports.put("http", spec.substring(spec.lastIndexOf(':') + 1));
      }
      model.put(name, new ServiceSpec(s.getString("image"), ((Number) s.getValue("scale", 1)).intValue(), ports, env,
          composeHealth(s.getJsonObject("healthcheck").getJsonArray("test")), Units.millicores(s.getValue("cpus")),
          Units.mebibytes(s.getValue("mem_limit")), Units.seconds(s.getValue("stop_grace_period", "10s"))));
    }
    return model;
  }

  private static String composeHealth(JsonArray test) {
    String program = test.getString(1);
    String base = program.substring(program.lastIndexOf('/') + 1);
    if ("shop-healthcheck".equals(base)) {
      // The script asks the ops port (SHOP_OPS_PORT) for the path it is given.
      return "http " + (test.size() > 2 ? test.getString(2) : "/health/ready") + " ops";
    }
    return "exec " + base;
  }

  // ---- Kubernetes --------------------------------------------------------------------------

  public static Map<String, ServiceSpec> kubernetes(List<JsonObject> rendered) {
    Map<String, ServiceSpec> model = new TreeMap<>();
    for (JsonObject doc : rendered) {
      String kind = doc.getString("kind");
      if (!"Deployment".equals(kind) && !"StatefulSet".equals(kind)) {
        continue;
      }
      JsonObject spec = doc.getJsonObject("spec");
      JsonObject pod = spec.getJsonObject("template").getJsonObject("spec");
      JsonObject c = pod.getJsonArray("containers").getJsonObject(0);
      Map<String, String> ports = new TreeMap<>();
      for (Object p : c.getJsonArray("ports", new JsonArray())) {
        JsonObject port = (JsonObject) p;
        ports.put(port.getString("name"), String.valueOf(port.getValue("containerPort")));
      }
      Map<String, String> env = new TreeMap<>();
      KubernetesChecks.environment(c, rendered).forEach((k, v) -> {
        String value = String.valueOf(v);
        // References (fieldRef, secret) and $(VAR) expansions are filled in by Kubernetes.
        env.put(k, v == null || value.startsWith("fieldRef:") || value.startsWith("secret:") || value.contains("$(") ? null : value);
      });
      JsonObject limits = c.getJsonObject("resources").getJsonObject("limits");
      model.put(doc.getJsonObject("metadata").getString("name"), new ServiceSpec(c.getString("image"),
          KubernetesChecks.replicas(rendered, doc), ports, env, kubernetesHealth(c.getJsonObject("readinessProbe")),
          Units.millicores(limits.getValue("cpu")), Units.mebibytes(limits.getValue("memory")),
          pod.getLong("terminationGracePeriodSeconds", 30L)));
    }
    return model;
  }

  private static String kubernetesHealth(JsonObject probe) {
    if (probe.containsKey("httpGet")) {
      JsonObject get = probe.getJsonObject("httpGet");
      return "http " + get.getString("path") + " " + get.getValue("port");
    }
    if (probe.containsKey("exec")) {
      String program = probe.getJsonObject("exec").getJsonArray("command").getString(0);
      return "exec " + program.substring(program.lastIndexOf('/') + 1);
    }
    return "tcp " + probe.getJsonObject("tcpSocket").getValue("port");
  }

  // ---- Nomad -------------------------------------------------------------------------------

  /** Every group of every job; CPU in MHz converted with {@code mhzPerCore}. */
  public static Map<String, ServiceSpec> nomad(Map<Path, JsonObject> parsedJobs, long mhzPerCore) {
    Map<String, ServiceSpec> model = new TreeMap<>();
    for (JsonObject file : parsedJobs.values()) {
      JsonObject jobs = file.getJsonObject("job");
      for (String jobName : jobs.fieldNames()) {
        JsonObject groups = jobs.getJsonArray(jobName).getJsonObject(0).getJsonObject("group");
        for (String groupName : groups.fieldNames()) {
          model.put(groupName, nomadGroup(groups.getJsonArray(groupName).getJsonObject(0), mhzPerCore));
        }
      }
    }
    return model;
  }

  private static ServiceSpec nomadGroup(JsonObject group, long mhzPerCore) {
    JsonObject taskBlocks = group.getJsonObject("task");
    JsonObject task = taskBlocks.getJsonArray(taskBlocks.fieldNames().iterator().next()).getJsonObject(0);
    Map<String, String> ports = new TreeMap<>();
    JsonObject declared = first(group, "network").getJsonObject("port", new JsonObject());
    for (String label : declared.fieldNames()) {
      JsonObject port = declared.getJsonArray(label).getJsonObject(0);
      Object to = port.getValue("to", port.getValue("static"));
      ports.put(label, to == null || Integer.valueOf(-1).equals(to) ? "dynamic" : String.valueOf(to));
    }
    Map<String, String> env = new TreeMap<>();
    first(task, "env").forEach(e -> env.put(e.getKey(), String.valueOf(e.getValue()).contains("${") ? null : String.valueOf(e.getValue())));
    for (Object t : task.getJsonArray("template", new JsonArray())) {
      JsonObject template = (JsonObject) t;
      if (!Boolean.TRUE.equals(template.getBoolean("env"))) {
        continue;
      }
      for (String line : template.getString("data", "").split("\n")) {
        String stripped = line.trim();
        if (stripped.startsWith("{{") && !stripped.contains("=")) {
          continue;
        }
        int eq = stripped.indexOf('=');
        if (eq > 0 && stripped.substring(0, eq).matches("[A-Z_][A-Z0-9_]*")) {
          String value = stripped.substring(eq + 1);
          env.put(stripped.substring(0, eq), value.contains("{{") ? null : value);
        }
      }
    }
    String health = "none";
    outer:
    for (Object s : group.getJsonArray("service", new JsonArray())) {
      for (Object ch : ((JsonObject) s).getJsonArray("check", new JsonArray())) {
        JsonObject check = (JsonObject) ch;
        Object port = check.getValue("port", ((JsonObject) s).getValue("port"));
        health = "http".equals(check.getString("type")) ? "http " + check.getString("path") + " " + port : "tcp " + port;
        break outer;
      }
    }
    JsonObject resources = first(task, "resources");
    return new ServiceSpec(first(task, "config").getString("image"), group.getInteger("count", 1), ports, env, health,
        resources.getLong("cpu") * 1000 / mhzPerCore, resources.getLong("memory"),
        Units.seconds(task.getValue("kill_timeout", "5s")));
  }

  private static JsonObject first(JsonObject parent, String block) {
    JsonArray items = parent.getJsonArray(block);
    return items == null || items.isEmpty() ? new JsonObject() : items.getJsonObject(0);
  }

  /** The ports each service's own variables name, against the ports the orchestrator declares. */
  public static List<String> portsAgreeWithVariables(String orchestrator, Map<String, ServiceSpec> model) {
    List<String> problems = new java.util.ArrayList<>();
    model.forEach((service, spec) -> spec.env().forEach((k, v) -> {
      String port = PORT_VARIABLES.get(k);
      if (port == null) {
        return;
      }
      String declared = spec.ports().get(port);
      boolean dynamic = v == null && "dynamic".equals(declared);
      if (!dynamic && !java.util.Objects.equals(v, declared)) {
        problems.add(orchestrator + " " + service + ": " + k + "=" + v + " but port '" + port + "' is " + declared);
      }
    }));
    return problems;
  }
}
