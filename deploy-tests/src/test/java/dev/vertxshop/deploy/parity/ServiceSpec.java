package dev.vertxshop.deploy.parity;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * One service (or infrastructure piece) as one orchestrator describes it: what the parity check
 * compares. Ports are named (value: the container port, or "dynamic"); environment values are the
 * literal value, or null when the orchestrator fills it in at run time (a secret, a discovered address).
 * Health is the readiness check ("http &lt;path&gt; &lt;port&gt;", "exec &lt;program&gt;", "tcp &lt;port&gt;");
 * CPU in millicores and memory in MiB are the limits; stop grace is how long a stop may take.
 */
public record ServiceSpec(String image, int replicas, Map<String, String> ports, Map<String, String> env,
    String health, long cpuMillis, long memoryMiB, long stopGraceSeconds) {

  /** The comparable facts, one key per fact: "replicas", "port:ops", "env:SHOP_DB_USER", ... */
  public Map<String, String> facts() {
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put("image", image);
    facts.put("replicas", String.valueOf(replicas));
    new TreeMap<>(ports).forEach((k, v) -> facts.put("port:" + k, v));
    new TreeMap<>(env).forEach((k, v) -> facts.put("env:" + k, "set"));
    facts.put("health", health);
    facts.put("cpu", cpuMillis + "m");
    facts.put("memory", memoryMiB + "Mi");
    facts.put("stop-grace", stopGraceSeconds + "s");
    return facts;
  }

  public ServiceSpec withReplicas(int n) {
    return new ServiceSpec(image, n, ports, env, health, cpuMillis, memoryMiB, stopGraceSeconds);
  }
}
