package dev.vertxshop.loadtest.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The machine a comparison ran on: what a reader needs to judge the figures. */
record Environment(Map<String, String> facts) {

  static Environment capture(Path root) {
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put("date", ZonedDateTime.now().format(DateTimeFormatter.RFC_1123_DATE_TIME));
    facts.put("cores", String.valueOf(Runtime.getRuntime().availableProcessors()));
    facts.put("memory", memory());
    facts.put("load average at start", firstLine(Path.of("/proc/loadavg")));
    facts.put("kernel", firstLine(Path.of("/proc/sys/kernel/osrelease")));
    facts.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
    facts.put("docker", Proc.run(List.of("docker", "version", "--format", "{{.Server.Version}}"), root, Map.of(), Duration.ofSeconds(20))
        .output().trim().lines().findFirst().orElse("none"));
    facts.put("docker-compose", Proc.run(List.of("docker-compose", "version", "--short"), root, Map.of(), Duration.ofSeconds(20))
        .output().trim().lines().findFirst().orElse("none"));
    String revision = Proc.run(List.of("git", "rev-parse", "--short", "HEAD"), root, Map.of(), Duration.ofSeconds(10)).output().trim();
    String dirty = Proc.run(List.of("git", "status", "--porcelain", "--untracked-files=no"), root, Map.of(), Duration.ofSeconds(20)).output().trim();
    facts.put("revision", revision.isEmpty() ? "unknown" : revision + (dirty.isEmpty() ? "" : " (with uncommitted changes)"));
    return new Environment(facts);
  }

  String summary() {
    return facts.get("cores") + " cores, " + facts.get("memory") + ", load " + facts.get("load average at start");
  }

  private static String memory() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemTotal:")) {
          long kib = Long.parseLong(line.replaceAll("[^0-9]", ""));
          return String.format("%.1f GiB", kib / 1024.0 / 1024.0);
        }
      }
    } catch (IOException | NumberFormatException ignored) {
      // unknown
    }
    return "unknown";
  }

  private static String firstLine(Path file) {
    try {
      return Files.readAllLines(file).get(0).trim();
    } catch (IOException | IndexOutOfBoundsException e) {
      return "unknown";
    }
  }
}
