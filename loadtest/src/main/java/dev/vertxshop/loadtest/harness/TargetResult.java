package dev.vertxshop.loadtest.harness;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Everything measured on one target in one round, filled in as the phases run (a failed phase leaves nulls). */
final class TargetResult {

  /** One fault under load: what was done, what it cost, and who did what when. */
  static final class FaultRun {
    final Fault fault;
    final String service;
    String what;
    /** Why the fault did not run here (no nodes, one instance...); null when it ran. */
    String notApplicable;
    long actionStartMillis;
    /** When the orchestrator (or the harness as supervisor) had done its part; 0 when it never did within the run. */
    long finishedMillis;
    GatlingRunner.Result run;
    TimelineData.Impact impact;
    MetricsSampler.Cluster cluster;
    final List<Fault.Milestone> milestones = new ArrayList<>();
    /** Changes of what the orchestrator showed (a pod's state, a container's health), in order. */
    final List<Fault.Milestone> observed = new ArrayList<>();
    final List<LogScan.Event> logs = new ArrayList<>();
    String error;

    FaultRun(Fault fault, String service) {
      this.fault = fault;
      this.service = service;
    }

    String key() {
      return fault.id + " " + service;
    }

    /** Milliseconds from the fault to the first change the orchestrator showed; -1 when none was seen. */
    long orchestratorReactionMillis() {
      return observed.isEmpty() ? -1 : Math.max(0, observed.get(0).millis() - actionStartMillis);
    }

    long finishedAfterMillis() {
      return finishedMillis <= 0 ? -1 : finishedMillis - actionStartMillis;
    }

    /** Milliseconds from the fault to the first peer set aside by a surviving replica (metrics, else logs); -1 when none. */
    long shopAsideMillis() {
      if (cluster != null && cluster.firstAsideMillis() > 0) {
        return Math.max(0, cluster.firstAsideMillis() - actionStartMillis);
      }
      LogScan.Event aside = LogScan.first(logs, "set a peer aside", null);
      return aside == null ? -1 : Math.max(0, aside.millis() - actionStartMillis);
    }

    /** Milliseconds from the fault to Hazelcast's first sign of it (member list changed, connection dropped; logs); -1 when not seen. */
    long memberListMillis() {
      LogScan.Event members = LogScan.first(logs, "Hazelcast", null);
      return members == null ? -1 : Math.max(0, members.millis() - actionStartMillis);
    }
  }

  final String name;
  final String kind;
  final int round;
  String description;
  Target.Readiness readiness;
  List<Sampler.Stat> idle = List.of();
  List<MetricsSampler.Stat> idleMetrics = List.of();
  List<MetricsSampler.Stat> steadyMetrics = List.of();
  Map<String, List<MetricsSampler.Point>> series = Map.of();
  double loadAtStart = -1;
  double loadAtEnd = -1;
  long startMillis;
  long endMillis;
  GatlingRunner.Result warmup;
  GatlingRunner.Result steady;
  final List<GatlingRunner.Result> sweep = new ArrayList<>();
  Double sustainableRate;
  String sweepVerdict;
  final List<FaultRun> faults = new ArrayList<>();
  List<Limits.Service> limits = List.of();
  String skipped;
  String error;
  final List<String> notes = new ArrayList<>();
  final Map<String, String> facts = new LinkedHashMap<>();
  String baseUrl;

  TargetResult(String name, String kind, int round) {
    this.name = name;
    this.kind = kind;
    this.round = round;
  }

  /** The sweep step at the highest sustainable rate. */
  GatlingRunner.Result sustainableStep() {
    if (sustainableRate == null) {
      return null;
    }
    return sweep.stream().filter(r -> r.rate() == sustainableRate).findFirst().orElse(null);
  }

  FaultRun fault(Fault fault, String service) {
    return faults.stream().filter(f -> f.fault == fault && f.service.equals(service)).findFirst().orElse(null);
  }

  /** Host view: PSS or docker stats, summed over the target's processes (load generator excluded); 0 when not measured. */
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

  /** The services' own account (/metrics): CPU of every replica, in percent of one core; NaN when not measured. */
  double metricsCpuTotal() {
    double[] values = steadyMetrics.stream().mapToDouble(MetricsSampler.Stat::avgCpuPercent).filter(d -> !Double.isNaN(d)).toArray();
    return values.length == 0 ? Double.NaN : java.util.Arrays.stream(values).sum();
  }

  /** The services' own account: peak JVM-committed memory summed over the replicas; NaN when not measured. */
  double metricsJvmTotal() {
    double[] values = steadyMetrics.stream().mapToDouble(MetricsSampler.Stat::peakJvmBytes).filter(d -> !Double.isNaN(d)).toArray();
    return values.length == 0 ? Double.NaN : java.util.Arrays.stream(values).sum();
  }

  double metricsIdleJvmTotal() {
    double[] values = idleMetrics.stream().mapToDouble(MetricsSampler.Stat::lastJvmBytes).filter(d -> !Double.isNaN(d)).toArray();
    return values.length == 0 ? Double.NaN : java.util.Arrays.stream(values).sum();
  }
}
