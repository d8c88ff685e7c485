package dev.vertxshop.hardening.faults;

import dev.vertxshop.hardening.faults.LoadGenerator.Sample;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** What a load run recorded, and the figures the scenarios report: counts, statuses, latencies, recovery. */
final class LoadResult {

  private final List<Sample> samples;
  private final int skipped;

  LoadResult(List<Sample> samples, int skipped) {
    this.samples = samples.stream().sorted(Comparator.comparingLong(Sample::sentAt)).toList();
    this.skipped = skipped;
  }

  List<Sample> samples() {
    return samples;
  }

  int sent() {
    return samples.size();
  }

  /** Operations not started because too many were in flight. */
  int skipped() {
    return skipped;
  }

  List<Sample> failures() {
    return samples.stream().filter(s -> !s.ok()).toList();
  }

  int failed() {
    return failures().size();
  }

  List<Sample> of(String kind) {
    return samples.stream().filter(s -> s.kind().equals(kind)).toList();
  }

  /** Failed requests by answer: the HTTP status, or 0 for no answer at all (refused, timed out on the client). */
  Map<Integer, Long> failuresByStatus() {
    return failures().stream().collect(Collectors.groupingBy(Sample::status, TreeMap::new, Collectors.counting()));
  }

  /**
   * The most frequent failures, as {@code kind status: message (count)}, at most {@code limit} of them: what
   * a failing run's report needs to tell one cause from another.
   */
  String commonFailures(int limit) {
    Map<String, Long> counts = failures().stream().collect(Collectors.groupingBy(
        s -> s.kind() + " " + s.status() + ": " + (s.error() == null ? "" : s.error()), TreeMap::new, Collectors.counting()));
    String text = counts.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .limit(limit)
        .map(e -> e.getKey() + " (" + e.getValue() + ")")
        .collect(Collectors.joining("; "));
    return text.isEmpty() ? "none" : text.replace('|', '/').replace('\n', ' ');
  }

  /** The longest time a failed request took to fail; 0 without failures. */
  long maxFailedLatency() {
    return failures().stream().mapToLong(Sample::latency).max().orElse(0);
  }

  long maxFailedLatency(String kind) {
    return failures().stream().filter(s -> s.kind().equals(kind)).mapToLong(Sample::latency).max().orElse(0);
  }

  /** The {@code p} percentile (0..100) of the latency of successful requests of {@code kind}. */
  long percentile(String kind, double p) {
    List<Long> latencies = samples.stream().filter(s -> s.ok() && s.kind().equals(kind)).map(Sample::latency).sorted().toList();
    if (latencies.isEmpty()) {
      return 0;
    }
    return latencies.get((int) Math.min(latencies.size() - 1, Math.floor(p / 100.0 * latencies.size())));
  }

  /**
   * When the run became error-free: the send time of the first successful request sent after the last
   * failed one. Empty if nothing failed; {@code Long.MAX_VALUE} if nothing succeeded after the last failure.
   */
  OptionalLong errorFreeFrom() {
    OptionalLong lastFailure = samples.stream().filter(s -> !s.ok()).mapToLong(Sample::sentAt).max();
    if (lastFailure.isEmpty()) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(samples.stream().filter(s -> s.ok() && s.sentAt() > lastFailure.getAsLong())
        .mapToLong(Sample::sentAt).min().orElse(Long.MAX_VALUE));
  }

  /** Recovery time: from {@code reference} (the fault, or its end) until error-free; 0 if nothing failed after it. */
  long recoveryAfter(long reference) {
    OptionalLong from = errorFreeFrom();
    return from.isEmpty() ? 0 : Math.max(0, from.getAsLong() - reference);
  }

  /** {@link #recoveryAfter} for a report: "never" when the run ended failing. */
  String recoveryText(long reference) {
    OptionalLong from = errorFreeFrom();
    return from.isPresent() && from.getAsLong() == Long.MAX_VALUE ? "never: still failing at the end of the load"
        : recoveryAfter(reference) + " ms";
  }

  /** Successful requests sent after {@code from}: the error-free tail that shows recovery held. */
  long successesAfter(long from) {
    return samples.stream().filter(s -> s.ok() && s.sentAt() >= from).count();
  }

  /** Failed requests that had already failed before {@code at}: failures that cannot be the fault's doing. */
  List<Sample> failedBefore(long at) {
    return samples.stream().filter(s -> !s.ok() && s.sentAt() + s.latency() < at).toList();
  }

  /** Requests sent in {@code [from, to)}. */
  List<Sample> between(long from, long to) {
    return samples.stream().filter(s -> s.sentAt() >= from && s.sentAt() < to).toList();
  }
}
