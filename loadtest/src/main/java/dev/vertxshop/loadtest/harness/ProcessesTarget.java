package dev.vertxshop.loadtest.harness;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One JVM per service, clustered over Hazelcast on 127.0.0.1, against one shared PostgreSQL and Kafka
 * broker (the {@code ShopInfra} process): what a VM deployment with systemd units looks like. The fault
 * service (catalog) runs {@code --catalog-replicas} replicas, every other service one; the payment
 * provider stand-in is a separate, unclustered process, as in every deployment.
 */
final class ProcessesTarget extends Target {

  static final List<String> SERVICES = List.of("catalog", "users", "cart", "orders", "payments", "notifications", "search", "gateway");
  private static final String VERSION = "0.1.0-SNAPSHOT";
  private static final int START_ATTEMPTS = 3;

  /** One service process: its fixed ports, environment and current child. */
  final class Node {
    final String service;
    final String label;
    final int hazelcastPort;
    final int eventBusPort;
    final int opsPort;
    final Map<String, String> env = new LinkedHashMap<>();
    Proc.Child child;
    int starts;

    Node(String service, String label, int index) {
      this.service = service;
      this.label = label;
      this.hazelcastPort = port(50 + index);
      this.eventBusPort = port(70 + index);
      this.opsPort = port(30 + index);
    }

    void launch() {
      List<String> command = new ArrayList<>();
      command.add("java");
      command.addAll(options.words("jvm-opts"));
      command.add("-jar");
      Path fat = jar("verticles/" + service + "/target/shop-" + service + "-" + VERSION + "-fat.jar");
      if (Files.exists(fat)) {
        command.add(fat.toString());
      } else {
        command.add(shopJar().toString());
        command.add(service);
      }
      starts++;
      child = Proc.start(label, command, env, root, dir.resolve("logs/" + label + "-" + starts + ".log"));
    }

    boolean ready() {
      return child != null && child.alive() && Http.ok("http://127.0.0.1:" + opsPort + "/health/ready");
    }
  }

  private final List<Node> nodes = new ArrayList<>();
  private final String token = "loadtest-admin-" + Long.toHexString(Double.doubleToLongBits(Math.random()));
  private Proc.Child infra;
  private Node killed;

  ProcessesTarget(Options options) {
    super("processes", options);
  }

  private int gatewayPort() {
    return port(20);
  }

  @Override
  String baseUrl() {
    return "http://127.0.0.1:" + gatewayPort();
  }

  @Override
  String adminToken() {
    return token;
  }

  @Override
  Readiness start() {
    Path shopJar = shopJar();
    int pgPort = port(21);
    int kafkaPort = port(22);
    int providerPort = port(23);
    Map<String, Long> parts = new LinkedHashMap<>();

    long infraStart = System.nanoTime();
    infra = Proc.start("infra", List.of("java", "-Xmx512m", "-cp", shopJar.toString(),
            root.resolve("loadtest/src/infra/ShopInfra.java").toString(),
            String.valueOf(pgPort), String.valueOf(kafkaPort), dir.resolve("data").toString()),
        Map.of("SHOP_LOG_FORMAT", "text"), root, dir.resolve("logs/infra.log"));
    if (!Proc.awaitLine(infra, "infra ready", Duration.ofMinutes(3))) {
      throw new IllegalStateException("the infrastructure (PostgreSQL + Kafka) did not start:\n" + Proc.tail(infra.log(), 40));
    }
    parts.put("PostgreSQL + Kafka (ShopInfra)", (System.nanoTime() - infraStart) / 1_000_000);

    String privateKey = rsaPrivateKeyPem();
    int replicas = Math.max(1, options.integer("catalog-replicas"));
    int index = 0;
    for (String service : SERVICES) {
      int count = service.equals(faultService()) ? replicas : 1;
      for (int r = 1; r <= count; r++) {
        nodes.add(new Node(service, count > 1 ? service + "-" + r : service, index++));
      }
    }
    Node provider = new Node("payment-provider", "payment-provider", index);
    String members = nodes.stream().map(n -> "127.0.0.1:" + n.hazelcastPort).collect(Collectors.joining(","));
    for (Node node : nodes) {
      node.env.put("SHOP_DB_HOST", "127.0.0.1");
      node.env.put("SHOP_DB_PORT", String.valueOf(pgPort));
      node.env.put("SHOP_DB_NAME", "postgres");
      node.env.put("SHOP_DB_USER", "postgres");
      node.env.put("SHOP_DB_PASSWORD", "postgres");
      node.env.put("SHOP_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + kafkaPort);
      node.env.put("SHOP_CLUSTER_HOST", "127.0.0.1");
      node.env.put("SHOP_CLUSTER_MEMBERS", members);
      node.env.put("SHOP_CLUSTER_HAZELCAST_PORT", String.valueOf(node.hazelcastPort));
      node.env.put("SHOP_CLUSTER_EVENTBUS_PORT", String.valueOf(node.eventBusPort));
      node.env.put("SHOP_OPS_HOST", "127.0.0.1");
      node.env.put("SHOP_OPS_PORT", String.valueOf(node.opsPort));
      node.env.put("SHOP_SERVICES", node.service);
      switch (node.service) {
        case "gateway" -> {
          node.env.put("SHOP_GATEWAY_HOST", "127.0.0.1");
          node.env.put("SHOP_GATEWAY_PORT", String.valueOf(gatewayPort()));
          node.env.put("SHOP_ADMIN_TOKEN", token);
        }
        case "catalog" -> node.env.put("SHOP_CATALOG_SEED_DEMO", "true");
        // A fixed key, so that tokens stay valid if users restarts (a generated one changes every start).
        case "users" -> node.env.put("SHOP_JWT_PRIVATE_KEY", privateKey);
        case "payments" -> node.env.put("SHOP_PAYMENTS_PROVIDER_URL", "http://127.0.0.1:" + providerPort);
        default -> {
        }
      }
    }
    provider.env.put("SHOP_CLUSTERED", "false");
    provider.env.put("SHOP_SERVICES", "payment-provider");
    provider.env.put("SHOP_PROVIDER_HOST", "127.0.0.1");
    provider.env.put("SHOP_PROVIDER_PORT", String.valueOf(providerPort));
    provider.env.put("SHOP_PROVIDER_ADMIN_PORT", String.valueOf(port(24)));
    provider.env.put("SHOP_OPS_HOST", "127.0.0.1");
    provider.env.put("SHOP_OPS_PORT", String.valueOf(provider.opsPort));
    nodes.add(provider);

    long servicesStart = System.nanoTime();
    nodes.forEach(Node::launch);
    long waited = Http.await(() -> nodes.stream().allMatch(Node::ready) && Http.ok(baseUrl() + "/api/products?size=1"),
        this::superviseStart, Duration.ofMinutes(6));
    if (waited < 0) {
      StringBuilder why = new StringBuilder("the service processes did not all become ready:");
      for (Node node : nodes) {
        why.append("\n  ").append(node.label).append(node.child.alive() ? (node.ready() ? ": ready" : ": not ready") : ": exited");
        if (!node.child.alive() || !node.ready()) {
          why.append("\n").append(Proc.tail(node.child.log(), 8).indent(4));
        }
      }
      throw new IllegalStateException(why.toString());
    }
    long services = (System.nanoTime() - servicesStart) / 1_000_000;
    parts.put(nodes.size() + " service JVMs, started together, to all ready", services);
    facts.put("JVM options (each service)", options.text("jvm-opts"));
    facts.put("processes", nodes.size() + " service JVMs + 1 infrastructure JVM (Kafka) + PostgreSQL");
    return new Readiness(services + parts.get("PostgreSQL + Kafka (ShopInfra)"), parts,
        "infrastructure first, then every service JVM at once until each /health/ready and GET /api/products are 200");
  }

  /**
   * What a process supervisor (systemd {@code Restart=on-failure}, an orchestrator) does while the
   * shop starts: a service that gave up (a dependency too slow to answer on a busy machine) is started
   * again, at most {@link #START_ATTEMPTS} times; each restart is noted in the report.
   */
  private boolean superviseStart() {
    for (Node node : nodes) {
      if (!node.child.alive()) {
        if (node.starts >= START_ATTEMPTS) {
          return false;
        }
        String why = Proc.tail(node.child.log(), 200).lines().filter(l -> l.contains("start failed")).findFirst()
            .map(l -> l.replaceAll(".*\"message\":\"([^\"]*)\".*", "$1")).orElse("exit " + node.child.process().exitValue());
        notes.add(node.label + " exited during the start (" + why + ") and was started again, as a supervisor would");
        Log.info("processes: %s exited during the start (%s); starting it again", node.label, why);
        node.launch();
      }
    }
    return true;
  }

  @Override
  boolean ready() {
    return !nodes.isEmpty() && nodes.stream().allMatch(Node::ready);
  }

  @Override
  List<Sampler.Usage> usage() {
    List<Sampler.Usage> usage = new ArrayList<>();
    for (Node node : nodes) {
      if (node.child != null && node.child.alive()) {
        usage.add(Sampler.Usage.ofPids(node.label, List.of(node.child.pid())));
      }
    }
    if (infra != null && infra.alive()) {
      usage.add(Sampler.Usage.ofPids("infra: Kafka broker JVM", List.of(infra.pid())));
      usage.add(Sampler.Usage.ofPids("infra: PostgreSQL", Proc.postgres(dir.resolve("data/postgres"))));
    }
    return usage;
  }

  @Override
  boolean canKill() {
    return replicas().size() > 1;
  }

  private List<Node> replicas() {
    return nodes.stream().filter(n -> n.service.equals(faultService())).toList();
  }

  @Override
  String kill() {
    killed = replicas().get(0);
    Proc.kill9(killed.child.pid());
    return "kill -9 of " + killed.label + " (pid " + killed.child.pid() + "), one of " + replicas().size() + " " + faultService() + " processes";
  }

  @Override
  long restore() {
    if (killed == null) {
      return 0;
    }
    try {
      killed.child.process().onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
    } catch (Exception ignored) {
      // SIGKILL cannot be ignored; the wait below reports a problem
    }
    long start = System.nanoTime();
    killed.launch();
    Node node = killed;
    killed = null;
    long waited = Http.await(node::ready, node.child::alive, Duration.ofMinutes(3));
    return waited < 0 ? -1 : (System.nanoTime() - start) / 1_000_000;
  }

  @Override
  Roll roll() {
    List<String> steps = new ArrayList<>();
    boolean ok = true;
    for (Node node : replicas()) {
      long start = System.nanoTime();
      boolean clean = Proc.terminate(node.child.pid(), Duration.ofSeconds(30));
      long stopped = (System.nanoTime() - start) / 1_000_000;
      node.launch();
      long waited = Http.await(node::ready, node.child::alive, Duration.ofMinutes(3));
      long total = (System.nanoTime() - start) / 1_000_000;
      steps.add(String.format("%s: SIGTERM, %s in %d ms, started again, %s (%d ms in all)", node.label,
          clean ? "left gracefully" : "SIGKILL after 30 s", stopped, waited < 0 ? "NEVER ready" : "ready", total));
      if (waited < 0) {
        ok = false;
        break;
      }
    }
    return new Roll("one " + faultService() + " process at a time: SIGTERM, wait for the exit, start, wait for /health/ready", steps, ok);
  }

  @Override
  void stop() {
    // Services first (they leave the cluster and finish in-flight work), then the infrastructure.
    List<Thread> stoppers = new ArrayList<>();
    for (Node node : nodes) {
      if (node.child != null && node.child.alive()) {
        Thread thread = new Thread(() -> Proc.terminate(node.child.pid(), Duration.ofSeconds(30)));
        thread.start();
        stoppers.add(thread);
      }
    }
    for (Thread thread : stoppers) {
      try {
        thread.join(40_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (infra != null && infra.alive()) {
      Proc.terminate(infra.pid(), Duration.ofSeconds(60));
    }
    Proc.stopPostgres(dir.resolve("data/postgres"));
  }

  @Override
  String describe() {
    return "One JVM per service (" + nodes.size() + " with " + replicas().size() + " " + faultService()
        + " replicas), clustered with Hazelcast over 127.0.0.1 (member list), sharing one PostgreSQL and one Kafka "
        + "broker run by the `ShopInfra` process. JVM options per service: `" + options.text("jvm-opts") + "`.";
  }

  /** A fresh RSA key in PKCS#8 PEM, as `openssl genpkey -algorithm RSA` writes it. */
  static String rsaPrivateKeyPem() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      byte[] der = generator.generateKeyPair().getPrivate().getEncoded();
      return "-----BEGIN PRIVATE KEY-----\n"
          + Base64.getMimeEncoder(64, "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).encodeToString(der)
          + "\n-----END PRIVATE KEY-----\n";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
