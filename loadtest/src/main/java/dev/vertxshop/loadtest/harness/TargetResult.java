package dev.vertxshop.loadtest.harness;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Everything measured on one target, filled in as the phases run (a failed phase leaves nulls). */
final class TargetResult {

  /** A kill or a rolling restart under load. */
  static final class Fault {
    String what;
    Target.Roll roll;
    long actionStartMillis;
    long actionEndMillis;
    long restoreMillis = Long.MIN_VALUE;
    GatlingRunner.Result run;
    TimelineData.Impact impact;
    String error;
  }

  final String name;
  String description;
  Target.Readiness readiness;
  List<Sampler.Stat> idle = List.of();
  double idleLoad = -1;
  GatlingRunner.Result warmup;
  GatlingRunner.Result steady;
  final List<GatlingRunner.Result> sweep = new ArrayList<>();
  Double sustainableRate;
  String sweepVerdict;
  Fault kill;
  Fault roll;
  String skipped;
  String error;
  final List<String> notes = new ArrayList<>();
  final Map<String, String> facts = new LinkedHashMap<>();
  String baseUrl;

  TargetResult(String name) {
    this.name = name;
  }

  /** The sweep step at the highest sustainable rate. */
  GatlingRunner.Result sustainableStep() {
    if (sustainableRate == null) {
      return null;
    }
    return sweep.stream().filter(r -> r.rate() == sustainableRate).findFirst().orElse(null);
  }

  long steadyMemoryTotal() {
    if (steady == null) {
      return 0;
    }
    return steady.usage().stream().filter(s -> !s.label().startsWith("load generator")).mapToLong(Sampler.Stat::peakMemoryBytes).sum();
  }

  double steadyCpuTotal() {
    if (steady == null) {
      return Double.NaN;
    }
    double[] values = steady.usage().stream().filter(s -> !s.label().startsWith("load generator"))
        .mapToDouble(Sampler.Stat::avgCpuPercent).filter(d -> !Double.isNaN(d)).toArray();
    return values.length == 0 ? Double.NaN : java.util.Arrays.stream(values).sum();
  }

  long idleMemoryTotal() {
    return idle.stream().mapToLong(Sampler.Stat::lastMemoryBytes).sum();
  }
}
