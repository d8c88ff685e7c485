package dev.vertxshop.platform.cluster;

import dev.vertxshop.platform.bus.Bus;
import dev.vertxshop.platform.config.ClusterConfig;
import dev.vertxshop.platform.config.ClusterSecurity;
import dev.vertxshop.platform.testing.ClusterKeys;
import dev.vertxshop.platform.config.Env;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A clustered Vert.x node as the shop runs it (the shop's cluster manager, its peer watch), serving a few
 * addresses that answer with the node's name. Runs in the test JVM or, through {@link #main}, as a JVM of
 * its own that a test can freeze with SIGSTOP.
 */
final class ClusterMember implements AutoCloseable {

  final String name;
  final Vertx vertx;

  private ClusterMember(String name, Vertx vertx) {
    this.name = name;
    this.vertx = vertx;
  }

  /** Settings of a member at {@code port} (Hazelcast; the event bus at port + 1) among {@code members}. */
  static Env env(int port, List<Integer> members, int memberTimeoutSeconds) {
    Map<String, String> vars = new HashMap<>();
    vars.put("SHOP_CLUSTER_NAME", "frozen-member-test");
    vars.put("SHOP_CLUSTER_HAZELCAST_PORT", String.valueOf(port));
    vars.put("SHOP_CLUSTER_EVENTBUS_PORT", String.valueOf(port + 1));
    vars.put("SHOP_CLUSTER_MEMBERS", String.join(",", members.stream().map(p -> "127.0.0.1:" + p).toList()));
    vars.put("SHOP_CLUSTER_MEMBER_TIMEOUT_SECONDS", String.valueOf(memberTimeoutSeconds));
    vars.putAll(keys());
    return Env.of(vars);
  }

  /** The cluster's secret and certificate: inherited by a member in a JVM of its own, made once by the test JVM. */
  static Map<String, String> keys() {
    if (System.getenv("SHOP_CLUSTER_SECRET") != null) {
      Map<String, String> inherited = new HashMap<>();
      for (String name : List.of("SHOP_CLUSTER_SECRET", "SHOP_CLUSTER_TLS_CERT", "SHOP_CLUSTER_TLS_KEY", "SHOP_CLUSTER_TLS_CA")) {
        inherited.put(name, System.getenv(name));
      }
      return inherited;
    }
    return ClusterKeys.shared().env();
  }

  static ClusterMember start(String name, Env env, List<String> addresses) throws Exception {
    ClusterConfig cluster = ClusterConfig.from(env);
    ClusterSecurity security = ClusterSecurity.from(env);
    Vertx vertx = Vertx.builder()
        .withClusterManager(new ShopClusterManager(HazelcastSetup.config(cluster, security), security))
        .with(new io.vertx.core.VertxOptions().setEventBusOptions(EventBusSetup.options(cluster, security)))
        .buildClustered().await(60, TimeUnit.SECONDS);
    List<Future<?>> started = new ArrayList<>();
    started.add(vertx.deployVerticle(new PeerWatch(PeerWatch.Settings.from(env))));
    for (String address : addresses) {
      started.add(Bus.serve(vertx, address, message -> Future.succeededFuture(new JsonObject().put("node", name))).completion());
    }
    Future.all(started).await(30, TimeUnit.SECONDS);
    return new ClusterMember(name, vertx);
  }

  String nodeId() {
    return ((io.vertx.core.internal.VertxInternal) vertx).clusterManager().getNodeId();
  }

  @Override
  public void close() throws Exception {
    vertx.close().await(30, TimeUnit.SECONDS);
  }

  static int freePortPair() throws IOException {
    for (int attempt = 0; attempt < 50; attempt++) {
      try (ServerSocket a = new ServerSocket(0)) {
        int port = a.getLocalPort();
        if (port < 65000) {
          try (ServerSocket b = new ServerSocket(port + 1)) {
            return port;
          } catch (IOException taken) {
            // try another pair
          }
        }
      }
    }
    throw new IOException("no free pair of ports");
  }

  /** A member in a JVM of its own: {@code name port members(comma) timeout address...}; prints "ready" once serving. */
  public static void main(String[] args) throws Exception {
    List<Integer> members = java.util.Arrays.stream(args[2].split(",")).map(Integer::parseInt).toList();
    ClusterMember member = start(args[0], env(Integer.parseInt(args[1]), members, Integer.parseInt(args[3])),
        List.of(args).subList(4, args.length));
    System.out.println("ready " + member.nodeId());
    System.out.flush();
    // Gone when the test JVM is: its standard input closes.
    while (System.in.read() >= 0) {
      // nothing to read
    }
    System.exit(0);
  }

  /** Starts {@link #main} in a new JVM on this JVM's class path; returns once it printed "ready". */
  static Process spawn(Path log, String name, int port, List<Integer> members, int timeoutSeconds, List<String> addresses)
      throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-cp", System.getProperty("java.class.path"), ClusterMember.class.getName(), name, String.valueOf(port),
        String.join(",", members.stream().map(String::valueOf).toList()), String.valueOf(timeoutSeconds)));
    command.addAll(addresses);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(keys());
    Process process = builder.start();
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < until) {
      if (java.nio.file.Files.exists(log) && java.nio.file.Files.readString(log).contains("ready ")) {
        return process;
      }
      if (!process.isAlive()) {
        throw new IllegalStateException(name + " exited: " + java.nio.file.Files.readString(log));
      }
      Thread.sleep(100);
    }
    process.destroyForcibly();
    throw new IllegalStateException(name + " did not start: " + java.nio.file.Files.readString(log));
  }

  static void signal(Process process, String signal) throws Exception {
    int exit = new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid())).inheritIO().start().waitFor();
    if (exit != 0) {
      throw new IllegalStateException("kill -" + signal + " failed");
    }
  }
}
