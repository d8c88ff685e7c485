package dev.vertxshop.hardening.faults;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Cuts one shop JVM off the cluster on the loopback interface with {@code iptables}, and heals it.
 *
 * <p>Blocking that JVM's Hazelcast and event-bus ports on input stops what the others send it, but not
 * what it sends them on connections it opened itself (their local port is ephemeral). That JVM therefore
 * runs under its own user id, and a second rule drops every packet that user sends to any cluster port:
 * a full cut, in both directions, while its database and provider connections keep working.
 */
final class Firewall implements AutoCloseable {

  private final List<List<String>> rules = new ArrayList<>();

  /**
   * Why rules cannot be set here, or null when they can: iptables present and permitted (listing the
   * table needs the same capability as changing it), and {@code setpriv} to run a JVM as another user.
   */
  static String unavailableReason() {
    try {
      Result list = run(List.of("iptables", "-w", "5", "-S", "INPUT"));
      if (list.status != 0) {
        return "iptables is not permitted here (" + list.output.strip() + "): run as root with NET_ADMIN";
      }
      Result setpriv = run(List.of("setpriv", "--version"));
      if (setpriv.status != 0) {
        return "setpriv (util-linux) is missing";
      }
      if (!"root".equals(System.getProperty("user.name"))) {
        return "not running as root: cannot start a JVM under another user id";
      }
      return null;
    } catch (IOException e) {
      return "iptables or setpriv is not installed (" + e.getMessage() + "): apt-get install -y iptables";
    }
  }

  /**
   * Drops everything sent to {@code ports} (the cut-off JVM's own cluster ports) and everything user
   * {@code uid} sends to a port in {@code [clusterFrom, clusterTo]} (every cluster port).
   */
  void isolate(int uid, List<Integer> ports, int clusterFrom, int clusterTo) {
    for (int port : ports) {
      add(List.of("INPUT", "-i", "lo", "-p", "tcp", "--dport", String.valueOf(port), "-j", "DROP"));
    }
    add(List.of("OUTPUT", "-o", "lo", "-p", "tcp", "-m", "owner", "--uid-owner", String.valueOf(uid),
        "--dport", clusterFrom + ":" + clusterTo, "-j", "DROP"));
  }

  /** Removes every rule this instance added; safe to call more than once. */
  void heal() {
    List<String> failures = new ArrayList<>();
    for (int i = rules.size() - 1; i >= 0; i--) {
      List<String> rule = rules.get(i);
      List<String> command = new ArrayList<>(List.of("iptables", "-w", "5", "-D"));
      command.addAll(rule);
      try {
        Result result = run(command);
        if (result.status != 0) {
          failures.add(String.join(" ", command) + ": " + result.output.strip());
        }
      } catch (IOException e) {
        failures.add(String.join(" ", command) + ": " + e.getMessage());
      }
    }
    rules.clear();
    if (!failures.isEmpty()) {
      throw new IllegalStateException("firewall rules could not be removed (remove them by hand): " + failures);
    }
  }

  @Override
  public void close() {
    heal();
  }

  private void add(List<String> rule) {
    List<String> command = new ArrayList<>(List.of("iptables", "-w", "5", "-I"));
    command.addAll(rule);
    try {
      Result result = run(command);
      if (result.status != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed: " + result.output.strip());
      }
      rules.add(rule);
    } catch (IOException e) {
      throw new IllegalStateException(String.join(" ", command) + " failed", e);
    }
  }

  private record Result(int status, String output) {
  }

  private static Result run(List<String> command) throws IOException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return new Result(-1, "timed out");
      }
      return new Result(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new IOException("interrupted", e);
    }
  }
}
