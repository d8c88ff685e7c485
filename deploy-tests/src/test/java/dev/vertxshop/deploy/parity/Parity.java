package dev.vertxshop.deploy.parity;

import dev.vertxshop.deploy.Yamls;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Compares the orchestrators' models fact by fact and sorts every difference into excused (an entry
 * of intentional-differences.yaml covers it) or not. An entry excuses a difference of its aspect and
 * key for its services when the orchestrators it does not list agree among themselves: it names who
 * deviates, not merely that something does. Entries that excuse nothing are reported as stale.
 */
public final class Parity {

  public static final String ABSENT = "(absent)";

  /** A fact the orchestrators do not agree on; values by orchestrator. */
  public record Difference(String service, String aspect, String key, Map<String, String> values) {
    @Override
    public String toString() {
      return service + " " + aspect + (key.isEmpty() ? "" : " " + key) + ": " + values;
    }
  }

  /** One entry of the intentional differences file. */
  public record Allowance(String aspect, String key, Set<String> services, Set<String> orchestrators, String reason) {
    boolean covers(Difference d) {
      if (!aspect.equals(d.aspect()) || !key.equals(d.key()) || !(services.contains("*") || services.contains(d.service()))) {
        return false;
      }
      Set<String> others = new HashSet<>();
      d.values().forEach((orchestrator, value) -> {
        if (!orchestrators.contains(orchestrator)) {
          others.add(value);
        }
      });
      return others.size() <= 1;
    }
  }

  /** The outcome: differences nobody excused, and entries that excused nothing. */
  public record Report(List<Difference> unexplained, List<Allowance> stale, List<Difference> excused) {
    public boolean clean() {
      return unexplained.isEmpty() && stale.isEmpty();
    }

    @Override
    public String toString() {
      StringBuilder s = new StringBuilder();
      unexplained.forEach(d -> s.append("\n  not intentional: ").append(d));
      stale.forEach(a -> s.append("\n  stale entry (no such difference any more): ").append(a.aspect()).append(' ')
          .append(a.key()).append(' ').append(a.services()).append(' ').append(a.orchestrators()));
      return s.toString();
    }
  }

  private Parity() {
  }

  /** The intentional differences file. */
  public static List<Allowance> allowances(String yaml) {
    JsonObject file = Yamls.load(yaml);
    List<Allowance> out = new ArrayList<>();
    for (Object e : file.getJsonArray("differences")) {
      JsonObject entry = (JsonObject) e;
      for (String field : List.of("aspect", "services", "orchestrators", "reason")) {
        if (!entry.containsKey(field)) {
          throw new IllegalArgumentException("an intentional difference needs '" + field + "': " + entry.encode());
        }
      }
      if (entry.getString("reason").isBlank()) {
        throw new IllegalArgumentException("an intentional difference needs a reason: " + entry.encode());
      }
      out.add(new Allowance(entry.getString("aspect"), entry.getString("key", ""), strings(entry.getValue("services")),
          strings(entry.getValue("orchestrators")), entry.getString("reason")));
    }
    return out;
  }

  private static Set<String> strings(Object value) {
    Set<String> out = new TreeSet<>();
    if (value instanceof JsonArray a) {
      a.forEach(v -> out.add(String.valueOf(v)));
    } else {
      out.add(String.valueOf(value));
    }
    return out;
  }

  /** Every fact on which the models differ. */
  public static List<Difference> differences(Map<String, Map<String, ServiceSpec>> models) {
    List<Difference> out = new ArrayList<>();
    Set<String> services = new TreeSet<>();
    models.values().forEach(m -> services.addAll(m.keySet()));
    for (String service : services) {
      Map<String, String> presence = new TreeMap<>();
      Map<String, Map<String, String>> facts = new TreeMap<>();
      models.forEach((orchestrator, model) -> {
        ServiceSpec spec = model.get(service);
        presence.put(orchestrator, spec == null ? ABSENT : "present");
        if (spec != null) {
          facts.put(orchestrator, spec.facts());
        }
      });
      if (new HashSet<>(presence.values()).size() > 1) {
        out.add(new Difference(service, "service", "", presence));
      }
      if (facts.size() < 2) {
        continue;
      }
      Set<String> keys = new TreeSet<>();
      facts.values().forEach(f -> keys.addAll(f.keySet()));
      for (String fact : keys) {
        Map<String, String> values = new TreeMap<>();
        facts.forEach((orchestrator, f) -> values.put(orchestrator, f.getOrDefault(fact, ABSENT)));
        if (new HashSet<>(values.values()).size() > 1) {
          int colon = fact.indexOf(':');
          out.add(new Difference(service, colon < 0 ? fact : fact.substring(0, colon),
              colon < 0 ? "" : fact.substring(colon + 1), values));
        }
      }
      // Literal values of variables set by at least two orchestrators.
      Set<String> variables = new TreeSet<>();
      models.values().forEach(m -> {
        if (m.get(service) != null) {
          variables.addAll(m.get(service).env().keySet());
        }
      });
      for (String variable : variables) {
        Map<String, String> values = new TreeMap<>();
        models.forEach((orchestrator, model) -> {
          ServiceSpec spec = model.get(service);
          if (spec != null && spec.env().get(variable) != null) {
            values.put(orchestrator, spec.env().get(variable));
          }
        });
        if (values.size() > 1 && new HashSet<>(values.values()).size() > 1) {
          out.add(new Difference(service, "env-value", variable, values));
        }
      }
    }
    return out;
  }

  public static Report compare(Map<String, Map<String, ServiceSpec>> models, List<Allowance> allowances) {
    List<Difference> unexplained = new ArrayList<>();
    List<Difference> excused = new ArrayList<>();
    Map<Allowance, Integer> used = new LinkedHashMap<>();
    allowances.forEach(a -> used.put(a, 0));
    for (Difference d : differences(models)) {
      Allowance match = allowances.stream().filter(a -> a.covers(d)).findFirst().orElse(null);
      if (match == null) {
        unexplained.add(d);
      } else {
        excused.add(d);
        used.merge(match, 1, Integer::sum);
      }
    }
    List<Allowance> stale = new ArrayList<>();
    used.forEach((a, n) -> {
      if (n == 0) {
        stale.add(a);
      }
    });
    return new Report(unexplained, stale, excused);
  }
}
