package dev.vertxshop.loadtest.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What each spec declares for each service: replicas, CPU and memory limits and requests (or
 * reservations), whether the CPU limit is enforced (a CFS quota) or only a share, and the JVM's flags,
 * read from the files the target runs (Compose file, rendered Kubernetes manifests, Nomad jobs), so that
 * the report prints the limits a comparison ran under instead of assuming them. A value a spec does not
 * declare reads "not declared".
 */
final class Limits {

  static final String NOT_DECLARED = "not declared";

  /** One service as one spec declares it; null fields are not declared. */
  record Service(String name, String replicas, String cpuLimit, String cpuRequest, String cpuEnforcement,
      String memoryLimit, String memoryRequest, String jvmFlags) {

    String resources() {
      return "CPU " + or(cpuLimit) + (cpuRequest == null ? "" : " (request " + cpuRequest + ")")
          + (cpuEnforcement == null ? "" : ", " + cpuEnforcement)
          + "; memory " + or(memoryLimit) + (memoryRequest == null ? "" : " (request " + memoryRequest + ")");
    }

    String jvm() {
      return or(jvmFlags);
    }
  }

  private Limits() {
  }

  static String or(String value) {
    return value == null || value.isBlank() ? NOT_DECLARED : value;
  }

  /** The JAVA_OPTS the service image sets ({@code ENV ... JAVA_OPTS="..."} in docker/service/Dockerfile); null when none. */
  static String imageJavaOpts(Path dockerfile) {
    try {
      Matcher m = Pattern.compile("JAVA_OPTS=\"([^\"]*)\"").matcher(Files.readString(dockerfile));
      return m.find() ? m.group(1).trim() : null;
    } catch (IOException e) {
      return null;
    }
  }

  private static String withImageDefault(String declared, String imageDefault) {
    if (declared != null) {
      return declared;
    }
    return imageDefault == null ? null : "image default: " + imageDefault;
  }

  // ---------------------------------------------------------------- Compose

  static List<Service> compose(String composeYaml, String imageJavaOpts) {
    Object root = Yaml.parse(composeYaml);
    List<Service> services = new ArrayList<>();
    for (Map.Entry<String, Object> entry : Yaml.map(root, "services").entrySet()) {
      Object s = entry.getValue();
      String cpus = first(Yaml.text(s, "cpus"), Yaml.text(s, "deploy", "resources", "limits", "cpus"));
      String memory = first(Yaml.text(s, "mem_limit"), Yaml.text(s, "deploy", "resources", "limits", "memory"));
      String reservation = first(Yaml.text(s, "mem_reservation"), Yaml.text(s, "deploy", "resources", "reservations", "memory"));
      String cpuReservation = Yaml.text(s, "deploy", "resources", "reservations", "cpus");
      String replicas = first(Yaml.text(s, "scale"), Yaml.text(s, "deploy", "replicas"));
      String image = Yaml.text(s, "image");
      boolean shopImage = image != null && image.startsWith("vertx-shop/") && !image.contains("postgres") && !image.contains("kafka")
          && !image.contains("haproxy");
      String javaOpts = environment(Yaml.at(s, "environment")).get("JAVA_OPTS");
      services.add(new Service(entry.getKey(), replicas == null ? "1" : replicas, cpus, cpuReservation,
          cpus == null ? null : "hard (CFS quota)", memory, reservation,
          shopImage ? withImageDefault(javaOpts, imageJavaOpts) : javaOpts));
    }
    return services;
  }

  /** A Compose environment: a map, or a list of KEY=VALUE. */
  private static Map<String, String> environment(Object env) {
    Map<String, String> vars = new LinkedHashMap<>();
    if (env instanceof Map<?, ?> map) {
      map.forEach((k, v) -> vars.put(String.valueOf(k), v == null ? "" : String.valueOf(v)));
    } else if (env instanceof List<?> list) {
      for (Object item : list) {
        String text = String.valueOf(item);
        int eq = text.indexOf('=');
        if (eq > 0) {
          vars.put(text.substring(0, eq), text.substring(eq + 1));
        }
      }
    }
    return vars;
  }

  // ---------------------------------------------------------------- Kubernetes

  /** From rendered manifests ({@code kubectl kustomize} or {@code helm template}): Deployments and StatefulSets. */
  static List<Service> kubernetes(String renderedYaml, String imageJavaOpts) {
    List<Service> services = new ArrayList<>();
    List<Object> docs = Yaml.parseAll(renderedYaml);
    // A workload an autoscaler scales names no count: its minimum is the count at rest.
    Map<String, String> autoscaled = new LinkedHashMap<>();
    for (Object doc : docs) {
      if ("HorizontalPodAutoscaler".equals(Yaml.text(doc, "kind"))) {
        autoscaled.put(Yaml.text(doc, "spec", "scaleTargetRef", "kind") + "/" + Yaml.text(doc, "spec", "scaleTargetRef", "name"),
            first(Yaml.text(doc, "spec", "minReplicas"), "1"));
      }
    }
    for (Object doc : docs) {
      String kind = Yaml.text(doc, "kind");
      if (!"Deployment".equals(kind) && !"StatefulSet".equals(kind)) {
        continue;
      }
      String name = Yaml.text(doc, "metadata", "name");
      String replicas = first(Yaml.text(doc, "spec", "replicas"), autoscaled.get(kind + "/" + name));
      for (Object container : Yaml.list(doc, "spec", "template", "spec", "containers")) {
        String cpuLimit = Yaml.text(container, "resources", "limits", "cpu");
        Map<String, String> env = new LinkedHashMap<>();
        for (Object var : Yaml.list(container, "env")) {
          if (Yaml.text(var, "value") != null) {
            env.put(Yaml.text(var, "name"), Yaml.text(var, "value"));
          }
        }
        String image = Yaml.text(container, "image");
        boolean shopImage = image != null && image.contains("vertx-shop/") && !image.contains("postgres") && !image.contains("kafka");
        String javaOpts = env.get("JAVA_OPTS");
        String label = Yaml.list(doc, "spec", "template", "spec", "containers").size() > 1 ? name + "/" + Yaml.text(container, "name") : name;
        services.add(new Service(label, replicas == null ? "1" : replicas, cpuLimit,
            Yaml.text(container, "resources", "requests", "cpu"), cpuLimit == null ? null : "hard (CFS quota)",
            Yaml.text(container, "resources", "limits", "memory"), Yaml.text(container, "resources", "requests", "memory"),
            shopImage ? withImageDefault(javaOpts, imageJavaOpts) : javaOpts));
      }
    }
    return services;
  }

  // ---------------------------------------------------------------- Nomad

  /** From job files: one entry per task (named after its group when the group has one task). */
  static List<Service> nomad(List<String> jobFiles, String imageJavaOpts) {
    List<Service> services = new ArrayList<>();
    for (String file : jobFiles) {
      Hcl.Block root = Hcl.parse(file);
      for (Hcl.Block job : root.blocks("job")) {
        for (Hcl.Block group : job.blocks("group")) {
          String count = group.text("count");
          for (Hcl.Block task : group.blocks("task")) {
            Hcl.Block resources = task.block("resources");
            Hcl.Block config = task.block("config");
            String cpu = resources == null ? null : resources.text("cpu");
            String cores = resources == null ? null : resources.text("cores");
            String memory = resources == null ? null : resources.text("memory");
            String memoryMax = resources == null ? null : resources.text("memory_max");
            boolean hard = config != null && "true".equals(config.text("cpu_hard_limit"));
            String image = config == null ? null : config.text("image");
            boolean shopImage = image != null && image.startsWith("vertx-shop/") && !image.contains("postgres") && !image.contains("kafka")
                && !image.contains("haproxy");
            String javaOpts = null;
            Hcl.Block env = task.block("env");
            if (env != null && env.text("JAVA_OPTS") != null) {
              javaOpts = env.text("JAVA_OPTS");
            }
            for (Hcl.Block template : task.blocks("template")) {
              String data = template.text("data");
              if (data != null) {
                for (String line : data.split("\n")) {
                  if (line.trim().startsWith("JAVA_OPTS=")) {
                    javaOpts = line.trim().substring("JAVA_OPTS=".length()).replaceAll("^\"|\"$", "");
                  }
                }
              }
            }
            String cpuLimit = cores != null ? cores + " core(s), reserved" : cpu == null ? null : cpu + " MHz";
            String enforcement = cores != null ? "hard (reserved cores)" : cpu == null ? null
                : hard ? "hard (cpu_hard_limit: CFS quota)" : "soft (CPU shares: may use idle cores)";
            String memoryLimit = memory == null ? null : memoryMax == null ? memory + " MB (hard)" : memoryMax + " MB (memory_max)";
            String memoryRequest = memoryMax == null ? null : memory + " MB (reserved)";
            String name = group.blocks("task").size() > 1 ? group.label() + "/" + task.label() : group.label();
            services.add(new Service(name, count == null ? "1" : count, cpuLimit, null, enforcement, memoryLimit, memoryRequest,
                shopImage ? withImageDefault(javaOpts, imageJavaOpts) : javaOpts));
          }
        }
      }
    }
    return services;
  }

  // ---------------------------------------------------------------- local targets

  /** Processes on the host: no cgroup, only the JVM's own flags. */
  static List<Service> processes(List<String> services, Map<String, Integer> replicas, String jvmOpts) {
    List<Service> list = new ArrayList<>();
    for (String service : services) {
      list.add(new Service(service, String.valueOf(replicas.getOrDefault(service, 1)), null, null,
          "none (a process on the host; the JVM sees what -XX:ActiveProcessorCount says)", null, null, jvmOpts));
    }
    return list;
  }

  private static String first(String a, String b) {
    return a != null ? a : b;
  }
}
