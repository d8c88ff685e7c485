package dev.vertxshop.hardening.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One shop JVM as a real OS process: {@code java -jar shop.jar <services>} with its own {@code SHOP_*}
 * environment, its output appended to a log file, started, killed ({@code kill -9}) and restarted by the
 * fault scenarios.
 */
final class ShopProcess {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  private final String name;
  private final List<String> command;
  private final Map<String, String> env;
  private final Path directory;
  private final Path log;
  private final int opsPort;
  private final int hazelcastPort;
  private final int eventBusPort;
  private Process process;

  ShopProcess(String name, List<String> command, Map<String, String> env, Path directory, Path log, int opsPort,
      int hazelcastPort, int eventBusPort) {
    this.name = name;
    this.command = List.copyOf(command);
    this.env = Map.copyOf(env);
    this.directory = directory;
    this.log = log;
    this.opsPort = opsPort;
    this.hazelcastPort = hazelcastPort;
    this.eventBusPort = eventBusPort;
  }

  String name() {
    return name;
  }

  int opsPort() {
    return opsPort;
  }

  /** The Hazelcast port; 0 for a process outside the cluster (the provider stand-in). */
  int hazelcastPort() {
    return hazelcastPort;
  }

  int eventBusPort() {
    return eventBusPort;
  }

  Path log() {
    return log;
  }

  synchronized boolean isAlive() {
    return process != null && process.isAlive();
  }

  synchronized long pid() {
    return process == null ? -1 : process.pid();
  }

  /** Starts the JVM (it must not be running); readiness is {@link #awaitReady}'s business. */
  synchronized void start() {
    if (isAlive()) {
      throw new IllegalStateException(name + " is already running");
    }
    ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    // Only this cluster's settings: a developer's or CI's own SHOP_* variables must not leak in.
    builder.environment().keySet().removeIf(key -> key.startsWith("SHOP_"));
    builder.environment().putAll(env);
    try {
      Files.writeString(log, "---- " + java.time.Instant.now() + " starting " + name + ": " + String.join(" ", command) + "\n",
          StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name, e);
    }
  }

  /**
   * Waits until {@code /health/ready} answers 200 (database, Kafka, cluster, every service started), polling;
   * fails at once if the process exits, with the end of its log.
   */
  void awaitReady(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!isAlive()) {
        throw new IllegalStateException(name + " exited before it was ready:\n" + logTail(40));
      }
      if (ready()) {
        return;
      }
      pause(200);
    }
    throw new IllegalStateException(name + " not ready after " + timeout.toSeconds() + " s:\n" + logTail(40));
  }

  /** Whether the ops endpoint reports ready now. */
  boolean ready() {
    try {
      HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + opsPort + "/health/ready"))
          .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.discarding());
      return response.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The node's Prometheus text from {@code /metrics}. */
  String metrics() {
    try {
      HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + opsPort + "/metrics"))
          .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException(name + " /metrics answered " + response.statusCode());
      }
      return response.body();
    } catch (IOException e) {
      throw new UncheckedIOException(name + " /metrics unreachable", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The first sample of {@code metric} whose labels contain every one of {@code labels}; NaN when absent. */
  double metric(String metric, String... labels) {
    for (String line : metrics().split("\n")) {
      if (line.startsWith(metric + "{") || line.startsWith(metric + " ")) {
        boolean all = true;
        for (String label : labels) {
          all &= line.contains(label);
        }
        if (all) {
          return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
      }
    }
    return Double.NaN;
  }

  /**
   * {@code kill -STOP} ({@code thaw}: {@code kill -CONT}): what a long GC pause, a CPU-starved container or
   * a frozen VM looks like. The process keeps its sockets, so peers see no closed connection, only silence.
   */
  void freeze() {
    signal("STOP");
  }

  void thaw() {
    signal("CONT");
  }

  private void signal(String signal) {
    try {
      int exit = new ProcessBuilder("kill", "-" + signal, String.valueOf(pid())).inheritIO().start().waitFor();
      if (exit != 0) {
        throw new IllegalStateException("kill -" + signal + " " + name + " failed");
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The sum of every sample of {@code metric} (all label sets); 0 when absent. */
  double metricSum(String metric) {
    double total = 0;
    for (String line : metrics().split("\n")) {
      if (line.startsWith(metric + "{") || line.startsWith(metric + " ")) {
        total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return total;
  }

  /** {@code kill -9}: no graceful stop, no goodbye to the cluster. Waits until the process is gone. */
  synchronized void kill() {
    if (process == null) {
      return;
    }
    process.destroyForcibly();
    waitGone(Duration.ofSeconds(10));
  }

  /** SIGTERM (graceful stop), then SIGKILL if it takes longer than {@code grace}. */
  synchronized void stop(Duration grace) {
    if (process == null || !process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        waitGone(Duration.ofSeconds(10));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  private void waitGone(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException(name + " (pid " + process.pid() + ") still alive after kill");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * The time (epoch ms) of the first log entry written at or after {@code sinceEpochMillis} that contains
   * {@code text}, in its first line or in a continuation line (Hazelcast's member lists span several);
   * -1 if there is none. Text log lines start with the local time {@code HH:mm:ss.SSS}.
   */
  long logLineAfter(long sinceEpochMillis, String text) {
    return timedLines(sinceEpochMillis).stream()
        .filter(line -> line.entry() >= sinceEpochMillis && line.text().contains(text))
        .mapToLong(TimedLine::entry).findFirst().orElse(-1);
  }

  /**
   * The cluster size in the last Hazelcast member list this process logged at or before
   * {@code atEpochMillis} ({@code Members {size:N, ver:V}}); -1 if it logged none.
   */
  int membersSeen(long atEpochMillis) {
    int size = -1;
    for (TimedLine line : timedLines(atEpochMillis)) {
      if (line.entry() > atEpochMillis) {
        break;
      }
      java.util.regex.Matcher members = MEMBERS.matcher(line.text());
      if (members.find()) {
        size = Integer.parseInt(members.group(1));
      }
    }
    return size;
  }

  /** A log line with the time (epoch ms) of the entry it belongs to; -1 before the first timed line. */
  private record TimedLine(long entry, String text) {
  }

  /** Every line of the log with its entry's time, the day taken from {@code dayEpochMillis}; none if unreadable. */
  private List<TimedLine> timedLines(long dayEpochMillis) {
    java.time.ZoneId zone = java.time.ZoneId.systemDefault();
    java.time.LocalDate day = java.time.Instant.ofEpochMilli(dayEpochMillis).atZone(zone).toLocalDate();
    List<TimedLine> lines = new ArrayList<>();
    long entry = -1;
    try {
      for (String line : Files.readAllLines(log, StandardCharsets.ISO_8859_1)) {
        java.util.regex.Matcher time = LOG_TIME.matcher(line);
        if (time.lookingAt()) {
          entry = java.time.LocalTime.parse(time.group(1)).atDate(day).atZone(zone).toInstant().toEpochMilli();
        }
        lines.add(new TimedLine(entry, line));
      }
    } catch (IOException e) {
      return List.of();
    }
    return lines;
  }

  private static final java.util.regex.Pattern MEMBERS = java.util.regex.Pattern.compile("Members \\{size:(\\d+),");
  private static final java.util.regex.Pattern LOG_TIME = java.util.regex.Pattern.compile("(\\d{2}:\\d{2}:\\d{2}\\.\\d{3}) ");

  /** The last {@code lines} lines of the log, for failure messages. */
  String logTail(int lines) {
    try {
      List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", new ArrayList<>(all.subList(Math.max(0, all.size() - lines), all.size())));
    } catch (IOException | UncheckedIOException e) {
      return "(log unreadable: " + e + ")";
    }
  }

  static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return name + "[pid " + pid() + ", ops " + opsPort + (hazelcastPort > 0 ? ", hz " + hazelcastPort + ", eb " + eventBusPort : "") + "]";
  }
}
