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
 * broker (the {@code ShopInfra} process): what a VM deployment with systemd units looks like. Catalog runs
 * {@code --catalog-replicas} replicas and the gateway {@code --gateway-replicas}, behind a small TCP edge
 * process ({@code Edge}, the counterpart of the HAProxy edge of Compose and Nomad) when there are several;
 * every other service one. The payment provider stand-in is a separate, unclustered process. The harness
 * plays the supervisor: a replica that is killed or stopped is started again at once.
 */
final class ProcessesTarget extends Target {

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
    volatile Proc.Child child;
    int starts;

    Node(String service, String label, int index) {
      this.service = service;
      this.label = label;
      this.hazelcastPort = port(50 + index);
      this.eventBusPort = port(70 + index);
      this.opsPort = port(30 + index);
    }

    synchronized void launch() {
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

    boolean alive() {
      Proc.Child c = child;
      return c != null && c.alive();
    }

    boolean ready() {
      return alive() && Http.ok("http://127.0.0.1:" + opsPort + "/health/ready");
    }
  }

  private final List<Node> nodes = new ArrayList<>();
  private final String token = "loadtest-admin-" + Long.toHexString(Double.doubleToLongBits(Math.random()));
  private Proc.Child infra;
  private Proc.Child edge;

  ProcessesTarget(Options options, int round) {
    super("processes", options, round);
  }

  private int gatewayReplicas() {
    return Math.max(1, options.integer("gateway-replicas"));
  }

  private int entryPort() {
    return port(20);
  }

  @Override
  String baseUrl() {
    return "http://127.0.0.1:" + entryPort();
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

    long t0 = System.nanoTime();
    infra = Proc.start("infra", List.of("java", "-Xmx512m", "-cp", shopJar.toString(),
            root.resolve("loadtest/src/infra/ShopInfra.java").toString(),
            String.valueOf(pgPort), String.valueOf(kafkaPort), dir.resolve("data").toString()),
        Map.of("SHOP_LOG_FORMAT", "text"), root, dir.resolve("logs/infra.log"));
    if (!Proc.awaitLine(infra, "infra ready", Duration.ofMinutes(3))) {
      throw new IllegalStateException("the infrastructure (PostgreSQL + Kafka) did not start:\n" + Proc.tail(infra.log(), 40));
    }
    parts.put("PostgreSQL + Kafka (ShopInfra)", (System.nanoTime() - t0) / 1_000_000);

    String privateKey = rsaPrivateKeyPem();
    int index = 0;
    for (String service : SERVICES) {
      int count = replicasOf(service);
      for (int r = 1; r <= count; r++) {
        nodes.add(new Node(service, count > 1 ? service + "-" + r : service, index++));
      }
    }
    Node provider = new Node("payment-provider", "payment-provider", index);
    String members = nodes.stream().map(n -> "127.0.0.1:" + n.hazelcastPort).collect(Collectors.joining(","));
    int gatewayIndex = 0;
    for (Node node : nodes) {
      node.env.put("SHOP_DB_HOST", "127.0.0.1");
      node.env.put("SHOP_DB_PORT", String.valueOf(pgPort));
      node.env.put("SHOP_DB_NAME", "postgres");
      node.env.put("SHOP_DB_USER", "postgres");
      node.env.put("SHOP_DB_PASSWORD", "postgres");
      node.env.put("SHOP_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + kafkaPort);
      node.env.put("SHOP_CLUSTER_HOST", "127.0.0.1");
      // Open (no secret, plain event bus): the harness has no cluster certificate to hand out yet, so it
      // measures the cluster without TLS; every node logs that it runs open.
      node.env.put("SHOP_CLUSTER_INSECURE", "true");
      node.env.put("SHOP_CLUSTER_MEMBERS", members);
      // Every shopper of a load run signs up from this one address: the per-address sign-up limit is for the internet.
      node.env.put("SHOP_USERS_REGISTER_ADDRESS_ATTEMPTS", "1000000");
      node.env.put("SHOP_CLUSTER_HAZELCAST_PORT", String.valueOf(node.hazelcastPort));
      node.env.put("SHOP_CLUSTER_EVENTBUS_PORT", String.valueOf(node.eventBusPort));
      node.env.put("SHOP_OPS_HOST", "127.0.0.1");
      node.env.put("SHOP_OPS_PORT", String.valueOf(node.opsPort));
      node.env.put("SHOP_SERVICES", node.service);
      switch (node.service) {
        case "gateway" -> {
          node.env.put("SHOP_GATEWAY_HOST", "127.0.0.1");
          node.env.put("SHOP_GATEWAY_PORT", String.valueOf(gatewayReplicas() == 1 ? entryPort() : port(85 + gatewayIndex++)));
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
    if (gatewayReplicas() > 1) {
      String backends = nodes.stream().filter(n -> n.service.equals("gateway"))
          .map(n -> "127.0.0.1:" + n.env.get("SHOP_GATEWAY_PORT") + ":" + n.opsPort).collect(Collectors.joining(","));
      edge = Proc.start("edge", List.of("java", "-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
          root.resolve("loadtest/src/infra/Edge.java").toString(), String.valueOf(entryPort()), backends), Map.of(), root,
          dir.resolve("logs/edge.log"));
      if (!Proc.awaitLine(edge, "edge ready", Duration.ofMinutes(1))) {
        throw new IllegalStateException("the edge did not start:\n" + Proc.tail(edge.log(), 20));
      }
    }
    nodes.forEach(Node::launch);
    Readiness readiness = awaitReady(t0, Duration.ofMinutes(7), this::superviseStart, null, parts,
        "from the start of the infrastructure (then every service JVM at once) to GET /api/products 200 through the "
            + (edge == null ? "gateway" : "edge") + " and every /health/ready 200");
    parts.put(nodes.size() + " service JVMs, started together, to all ready", (System.nanoTime() - servicesStart) / 1_000_000);
    facts.put("JVM options (each service)", options.text("jvm-opts"));
    facts.put("processes", nodes.size() + " service JVMs + 1 infrastructure JVM (Kafka) + PostgreSQL"
        + (edge == null ? "" : " + the edge (a TCP balancer JVM)"));
    return readiness;
  }

  private int replicasOf(String service) {
    return switch (service) {
      case "catalog" -> Math.max(1, options.integer("catalog-replicas"));
      case "gateway" -> gatewayReplicas();
      default -> 1;
    };
  }

  /**
   * What a process supervisor (systemd {@code Restart=on-failure}, an orchestrator) does while the
   * shop starts: a service that gave up (a dependency too slow to answer on a busy machine) is started
   * again, at most {@link #START_ATTEMPTS} times; each restart is noted in the report.
   */
  private boolean superviseStart() {
    for (Node node : nodes) {
      if (!node.alive()) {
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
  List<Endpoint> endpoints() {
    List<Endpoint> endpoints = new ArrayList<>();
    for (Node node : nodes) {
      Proc.Child child = node.child;
      if (child != null && child.alive()) {
        endpoints.add(new Endpoint(node.service, node.label, String.valueOf(child.pid()), "http://127.0.0.1:" + node.opsPort));
      }
    }
    return endpoints;
  }

  @Override
  int expectedReplicas() {
    return nodes.size();
  }

  @Override
  boolean ready() {
    return !nodes.isEmpty() && nodes.stream().allMatch(Node::alive) && super.ready();
  }

  @Override
  List<Sampler.Usage> hostUsage() {
    List<Sampler.Usage> usage = new ArrayList<>();
    for (Node node : nodes) {
      Proc.Child child = node.child;
      if (child != null && child.alive()) {
        usage.add(Sampler.Usage.ofPids(node.label, List.of(child.pid())));
      }
    }
    if (edge != null && edge.alive()) {
      usage.add(Sampler.Usage.ofPids("edge (TCP balancer)", List.of(edge.pid())));
    }
    if (infra != null && infra.alive()) {
      usage.add(Sampler.Usage.ofPids("infra: Kafka broker JVM", List.of(infra.pid())));
      usage.add(Sampler.Usage.ofPids("infra: PostgreSQL", Proc.postgres(dir.resolve("data/postgres"))));
    }
    return usage;
  }

  private List<Node> replicas(String service) {
    return nodes.stream().filter(n -> n.service.equals(service)).toList();
  }

  @Override
  Fault.Action fault(Fault fault, String service) {
    List<Node> replicas = replicas(service);
    if (replicas.isEmpty()) {
      throw new Fault.NotApplicable("no " + service + " process");
    }
    String alone = replicas.size() == 1 ? " (the only " + service + " process: an outage until it is back)" : "";
    Node victim = replicas.get(0);
    return switch (fault) {
      case KILL_9 -> new Replace(victim, true, "kill -9 of " + victim.label + ", one of " + replicas.size() + " " + service
          + " processes; the harness starts it again at once, as a supervisor would" + alone);
      case GRACEFUL_STOP -> new Replace(victim, false, "SIGTERM to " + victim.label + ", one of " + replicas.size() + " " + service
          + " processes; once it has exited the harness starts it again, as a supervisor would" + alone);
      case ROLLING_UPDATE -> new Roll(replicas, "one " + service + " process at a time: SIGTERM, wait for the exit, start (the same jar: "
          + "there are no images here), wait for /health/ready" + alone);
      case NODE_DRAIN -> throw new Fault.NotApplicable("one machine, no nodes");
    };
  }

  /** Stops one replica (SIGKILL or SIGTERM) and starts it again at once. */
  private final class Replace implements Fault.Action {
    private final Node node;
    private final boolean kill;
    private final String what;
    private final List<Fault.Milestone> milestones = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile boolean relaunched;

    Replace(Node node, boolean kill, String what) {
      this.node = node;
      this.kill = kill;
      this.what = what;
    }

    @Override
    public String what() {
      return what;
    }

    @Override
    public void begin() {
      Proc.Child victim = node.child;
      if (kill) {
        Proc.kill9(victim.pid());
        milestones.add(new Fault.Milestone(System.currentTimeMillis(), "harness", "SIGKILL sent to " + node.label + " (pid " + victim.pid() + ")"));
      } else {
        victim.process().toHandle().destroy();
        milestones.add(new Fault.Milestone(System.currentTimeMillis(), "harness", "SIGTERM sent to " + node.label + " (pid " + victim.pid() + ")"));
      }
      Thread thread = new Thread(() -> {
        boolean exited = Proc.terminate(victim.pid(), Duration.ofSeconds(kill ? 10 : 30));
        milestones.add(new Fault.Milestone(System.currentTimeMillis(), kill ? "harness" : "shop",
            node.label + (exited ? " exited" : " did not exit within 30 s: SIGKILL") + "; the harness starts it again"));
        node.launch();
        relaunched = true;
      }, "processes-replace");
      thread.setDaemon(true);
      thread.start();
    }

    @Override
    public boolean finished() {
      return relaunched && node.ready();
    }

    @Override
    public List<Fault.Milestone> milestones() {
      return List.copyOf(milestones);
    }

    @Override
    public void end() {
      poll(ProcessesTarget.this::ready, Duration.ofMinutes(3));
    }
  }

  /** Each replica in turn: SIGTERM, exit, start, ready; on a thread of its own. */
  private final class Roll implements Fault.Action {
    private final List<Node> replicas;
    private final String what;
    private final List<Fault.Milestone> milestones = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile boolean done;

    Roll(List<Node> replicas, String what) {
      this.replicas = replicas;
      this.what = what;
    }

    @Override
    public String what() {
      return what;
    }

    @Override
    public void begin() {
      Thread thread = new Thread(() -> {
        for (Node node : replicas) {
          boolean clean = Proc.terminate(node.child.pid(), Duration.ofSeconds(30));
          milestones.add(new Fault.Milestone(System.currentTimeMillis(), "shop", node.label + (clean ? " left gracefully" : " SIGKILL after 30 s")));
          node.launch();
          long waited = Http.await(node::ready, node::alive, Duration.ofMinutes(3));
          milestones.add(new Fault.Milestone(System.currentTimeMillis(), "harness", node.label + (waited < 0 ? " NEVER ready" : " started again and ready")));
          if (waited < 0) {
            break;
          }
        }
        done = true;
      }, "processes-roll");
      thread.setDaemon(true);
      thread.start();
    }

    @Override
    public boolean finished() {
      return done;
    }

    @Override
    public List<Fault.Milestone> milestones() {
      return List.copyOf(milestones);
    }

    @Override
    public void end() {
      poll(ProcessesTarget.this::ready, Duration.ofMinutes(3));
    }
  }

  @Override
  Map<String, String> observe(String service) {
    Map<String, String> facts = new LinkedHashMap<>();
    for (Node node : replicas(service)) {
      Proc.Child child = node.child;
      facts.put(node.label, child == null ? "none" : child.alive() ? "running (pid " + child.pid() + ")" : "exited");
      facts.put(node.label + " /health/ready", node.ready() ? "200" : "no");
    }
    return facts;
  }

  @Override
  String logText(long fromMillis, long toMillis) {
    StringBuilder text = new StringBuilder();
    try (java.util.stream.Stream<Path> logs = Files.list(dir.resolve("logs"))) {
      for (Path log : logs.filter(p -> !p.getFileName().toString().startsWith("infra")).sorted().toList()) {
        String name = log.getFileName().toString().replaceAll("-\\d+\\.log$", "");
        for (String line : Files.readAllLines(log, java.nio.charset.StandardCharsets.ISO_8859_1)) {
          text.append(name).append(' ').append(line).append('\n');
        }
      }
    } catch (java.io.IOException ignored) {
      // no logs yet
    }
    return text.toString();
  }

  @Override
  List<Limits.Service> limits() {
    List<String> services = new ArrayList<>(SERVICES);
    services.add("payment-provider");
    return Limits.processes(services, Map.of("catalog", replicasOf("catalog"), "gateway", gatewayReplicas()), options.text("jvm-opts"));
  }

  @Override
  void stop() {
    // Services first (they leave the cluster and finish in-flight work), then the infrastructure.
    List<Thread> stoppers = new ArrayList<>();
    for (Node node : nodes) {
      Proc.Child child = node.child;
      if (child != null && child.alive()) {
        Thread thread = new Thread(() -> Proc.terminate(child.pid(), Duration.ofSeconds(30)));
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
    if (edge != null && edge.alive()) {
      Proc.terminate(edge.pid(), Duration.ofSeconds(10));
    }
    if (infra != null && infra.alive()) {
      Proc.terminate(infra.pid(), Duration.ofSeconds(60));
    }
    Proc.stopPostgres(dir.resolve("data/postgres"));
  }

  @Override
  String describe() {
    return "One JVM per service (" + nodes.size() + ": " + replicasOf("gateway") + " gateway and " + replicasOf("catalog")
        + " catalog replicas), clustered with Hazelcast over 127.0.0.1 (member list), sharing one PostgreSQL and one Kafka "
        + "broker run by the `ShopInfra` process" + (gatewayReplicas() > 1 ? "; the edge (a TCP balancer process, health-checking "
        + "each gateway's /health/ready every 2 s) in front of the gateways" : "") + ". JVM options per service: `"
        + options.text("jvm-opts") + "`.";
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
