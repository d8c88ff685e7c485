package dev.vertxshop.loadtest.harness;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One entry of {@code --targets}: a kind of target and, for the remote ones, where it is
 * ({@code k8s=KUBECONFIG} or {@code k8s=https://api-server:6443}, {@code nomad=http://nomad:4646},
 * {@code external=http://shop.example}). The name labels the report's column; a kind given twice gets
 * {@code -2}.
 */
record TargetSpec(String kind, String name, String argument) {

  static final List<String> KINDS = List.of("all-in-one", "processes", "compose", "k8s", "nomad", "external");

  static List<TargetSpec> parse(List<String> entries, String externalName) {
    List<TargetSpec> specs = new ArrayList<>();
    Map<String, Integer> seen = new HashMap<>();
    for (String entry : entries) {
      int eq = entry.indexOf('=');
      String kind = (eq < 0 ? entry : entry.substring(0, eq)).trim();
      String argument = eq < 0 ? null : entry.substring(eq + 1).trim();
      if (kind.equals("kubernetes")) {
        kind = "k8s";
      }
      if (!KINDS.contains(kind)) {
        throw new IllegalArgumentException("unknown target '" + kind + "' (" + String.join(", ", KINDS) + ")");
      }
      if (argument != null && argument.isEmpty()) {
        argument = null;
      }
      if (argument != null && List.of("all-in-one", "processes", "compose").contains(kind)) {
        throw new IllegalArgumentException("the " + kind + " target takes no value (" + entry + ")");
      }
      String base = kind.equals("external") && externalName != null ? externalName : kind;
      int count = seen.merge(base, 1, Integer::sum);
      specs.add(new TargetSpec(kind, count == 1 ? base : base + "-" + count, argument));
    }
    return specs;
  }

  boolean local() {
    return List.of("all-in-one", "processes", "compose").contains(kind);
  }
}
