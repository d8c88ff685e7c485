package dev.vertxshop.hardening.faults;

import dev.vertxshop.embedded.LocalKafka;
import dev.vertxshop.embedded.LocalPostgres;
import dev.vertxshop.platform.cluster.HazelcastSetup;
import dev.vertxshop.platform.config.ClusterConfig;
import dev.vertxshop.platform.config.ClusterSecurity;
import dev.vertxshop.platform.config.DatabaseConfig;
import dev.vertxshop.platform.config.Env;
import dev.vertxshop.platform.db.Databases;
import dev.vertxshop.platform.testing.ClusterKeys;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole shop as real processes on this machine, one JVM per service instance, clustered over
 * Hazelcast on 127.0.0.1, against a PostgreSQL and a Kafka broker owned by the test JVM (private ones:
 * the scenarios stop and restart them, which the JVM-shared test infrastructure forbids).
 *
 * <p>One cluster per test JVM, started by the first scenario that asks for it and stopped when the JVM
 * exits; each scenario first calls {@link #ensureHealthy()}, which restarts whatever an earlier scenario
 * left dead. Layout: gateway, catalog ×2, users, cart, payments, orders ×2, notifications, and the
 * payment provider stand-in (not clustered, like the external system it plays). Search is left out: no
 * scenario involves it.
 */
final class FaultCluster implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(FaultCluster.class);

  /**
   * Hazelcast failure detection used by every member: a heartbeat a second, a member dropped after 15 s of
   * silence, the platform's default. Routing does not wait for it (each node sets a silent peer aside
   * within a second, PeerWatch); shorter, eleven JVMs on a busy 2-core machine split their cluster
   * without any fault, and the merges after such splits are what then broke the scenarios, not the fault
   * under test.
   */
  static final int HEARTBEAT_SECONDS = 1;
  static final int MEMBER_TIMEOUT_SECONDS = 15;
  /** The gateway's settings, the defaults, repeated here because the scenarios derive their bounds from them. */
  static final Duration GATEWAY_DEADLINE = Duration.ofSeconds(2);
  static final Duration GATEWAY_CHECKOUT_DEADLINE = Duration.ofSeconds(10);
  static final Duration GATEWAY_BREAKER_RESET = Duration.ofSeconds(5);
  /** Payments' breaker and provider settings (the defaults). */
  static final int PAYMENTS_BREAKER_MAX_FAILURES = 5;
  static final int PAYMENTS_ATTEMPTS_PER_CHARGE = 3;
  static final Duration PAYMENTS_BREAKER_RESET = Duration.ofSeconds(5);
  static final Duration PAYMENTS_PROVIDER_TIMEOUT = Duration.ofSeconds(2);
  /** Payments' pending compensations (the defaults): the sweep, the first backoff (doubled per recheck). */
  static final Duration PAYMENTS_REFUND_SWEEP = Duration.ofSeconds(5);
  static final Duration PAYMENTS_REFUND_BACKOFF = Duration.ofSeconds(5);
  /**
   * The orders saga's deadline for payments calls: 10 s, above payments' worst-case charge (6.3 s) and
   * below the member timeout, so that a replica frozen for longer than it (scenario 8) is still a member
   * when it resumes. (The default, 15 s, equals the member timeout.)
   */
  static final Duration ORDERS_PAYMENT_DEADLINE = Duration.ofSeconds(10);
  /** The orders saga's rest after a failed step (the default). */
  static final Duration ORDERS_RETRY_LATER = Duration.ofSeconds(5);

  /** The user id the cut-off JVM runs under, so that the firewall can tell its packets apart. */
  static final int ISOLATED_UID = 65534;
  static final String ISOLATED = "orders-b";
  /**
   * A second payments replica, started only by the scenarios that need two ({@link #startOnDemand}) and
   * stopped after them, so that the others keep their layout (one payments breaker, nine members).
   */
  static final String ON_DEMAND = "payments-b";

  private static final Duration FIRST_START = Duration.ofMinutes(3);
  private static final Duration RESTART = Duration.ofSeconds(90);
  private static final int PORT_BLOCK = 40;

  /** The scenarios of this suite: once all of them ran in this JVM, the cluster is stopped (other tests may follow). */
  private static final Set<String> SCENARIOS = Set.of("CatalogReplicaKillIT", "DatabaseOutageIT", "KafkaOutageIT",
      "PaymentProviderFaultsIT", "NetworkPartitionIT", "FrozenReplicaIT", "PoisonedRecordsIT", "ChargeAfterCancelIT",
      "ProviderForgetsIT", "RogueNodeIT");
  private static final Set<String> finished = new HashSet<>();
  private static FaultCluster shared;

  private final Path workDir;
  private final Path runtimeDir;
  private final Path jar;
  private final Path logConfig;
  private final String clusterName;
  private final LocalPostgres postgres;
  private final LocalKafka kafka;
  private final int portBase;
  private final Map<String, ShopProcess> processes = new LinkedHashMap<>();
  /** The cluster's secret and certificate (every member gets them, as an orchestrator's secret would give them). */
  private final ClusterKeys clusterKeys = ClusterKeys.shared();
  private String members;
  private final String adminToken;
  private final int gatewayPort;
  private final int providerPort;
  private final int providerAdminPort;
  private final boolean isolatedUser;
  private final Vertx vertx;
  private final Pool shopDb;
  private final ShopApi api;
  private ShopApi.User probe;
  private boolean closed;

  private FaultCluster(Path workDir) {
    this.workDir = workDir;
    this.runtimeDir = runtimeDir();
    this.jar = privateJar(runtimeDir);
    this.logConfig = copyWorldReadable(processLogConfig(), runtimeDir.resolve("process-logback.xml"));
    this.clusterName = "faults-" + UUID.randomUUID().toString().substring(0, 8);
    this.adminToken = "faults-admin-" + UUID.randomUUID();
    long start = System.nanoTime();
    CompletableFuture<LocalKafka> kafkaStart = CompletableFuture.supplyAsync(() -> LocalKafka.start(null, 0));
    this.postgres = LocalPostgres.start(null, 0);
    this.kafka = kafkaStart.join();
    // Closed by this cluster's own hook, after the processes that use them: the JVM runs hooks side by
    // side, and theirs would pull the database from under the processes' graceful stop.
    postgres.withdrawShutdownHook();
    kafka.withdrawShutdownHook();
    Runtime.getRuntime().addShutdownHook(new Thread(this::close, "fault-cluster-stop"));
    LOG.info("fault cluster infrastructure: PostgreSQL {}:{}, Kafka {} in {} ms", postgres.host(), postgres.port(),
        kafka.bootstrapServers(), (System.nanoTime() - start) / 1_000_000);
    this.portBase = freePortBlock(PORT_BLOCK);
    this.gatewayPort = portBase + 30;
    this.providerPort = portBase + 31;
    this.providerAdminPort = portBase + 32;
    this.isolatedUser = Firewall.unavailableReason() == null;
    this.vertx = Vertx.vertx();
    this.shopDb = Databases.pool(vertx, databaseConfig(), "orders");
    this.api = new ShopApi(vertx, gatewayPort, providerAdminPort, adminToken);
    define();
  }

  /** The cluster of this JVM, started (and healthy) on first use. */
  static synchronized FaultCluster shared() {
    if (shared == null) {
      Path dir = Path.of(System.getProperty("shop.faults.out", "target/faults")).toAbsolutePath();
      try {
        Files.createDirectories(dir.resolve("logs"));
        // One run's logs only: a process restarted within the run appends to its log, a new run starts afresh.
        try (java.util.stream.Stream<Path> old = Files.list(dir.resolve("logs"))) {
          for (Path log : old.filter(p -> p.toString().endsWith(".log")).toList()) {
            Files.delete(log);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      FaultCluster cluster = new FaultCluster(dir);
      try {
        cluster.startAll();
      } catch (RuntimeException e) {
        cluster.close();
        throw e;
      }
      shared = cluster;
    }
    return shared;
  }

  /**
   * Called by each scenario class when it is done. The last one stops the cluster at once instead of at
   * JVM exit, so that tests running after the suite in the same JVM do not share the machine with ten
   * idle JVMs. A subset of the scenarios (-Dit.test) leaves it to the shutdown hook.
   */
  static synchronized void scenarioFinished(Class<?> scenario) {
    finished.add(scenario.getSimpleName());
    if (shared != null && finished.containsAll(SCENARIOS)) {
      shared.close();
      shared = null;
    }
  }

  private void define() {
    KeyPair jwt = rsaKeyPair();
    String privatePem = pem("PRIVATE KEY", jwt.getPrivate().getEncoded());
    String publicPem = pem("PUBLIC KEY", jwt.getPublic().getEncoded());
    List<String> names = List.of("gateway", "catalog-a", "catalog-b", "users", "cart", "payments", "orders-a", ISOLATED,
        "notifications", ON_DEMAND);
    members = java.util.stream.IntStream.range(0, names.size())
        .mapToObj(i -> "127.0.0.1:" + (portBase + i)).collect(Collectors.joining(","));
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i);
      Map<String, String> env = common();
      env.put("SHOP_CLUSTER_MEMBERS", members);
      env.put("SHOP_CLUSTER_HAZELCAST_PORT", String.valueOf(portBase + i));
      env.put("SHOP_CLUSTER_EVENTBUS_PORT", String.valueOf(portBase + 10 + i));
      env.put("SHOP_OPS_PORT", String.valueOf(portBase + 20 + i));
      String service = name.equals(ON_DEMAND) ? "payments" : name.replaceAll("-[ab]$", "");
      switch (service) {
        case "gateway" -> {
          env.put("SHOP_GATEWAY_HOST", "127.0.0.1");
          env.put("SHOP_GATEWAY_PORT", String.valueOf(gatewayPort));
          env.put("SHOP_GATEWAY_INSTANCES", "2");
          env.put("SHOP_ADMIN_TOKEN", adminToken);
          env.put("SHOP_JWT_PUBLIC_KEY", publicPem);
        }
        case "catalog" -> env.put("SHOP_CATALOG_SEED_DEMO", String.valueOf(name.equals("catalog-a")));
        case "users" -> {
          env.put("SHOP_JWT_PRIVATE_KEY", privatePem);
          // Cheap hashes: the scenarios register hundreds of shoppers; hashing cost is not what they measure.
          env.put("SHOP_USERS_ARGON2_MEMORY_KIB", "1024");
          env.put("SHOP_USERS_ARGON2_ITERATIONS", "1");
          // Every shopper signs up from 127.0.0.1: the per-address sign-up limit would stop the load.
          env.put("SHOP_USERS_REGISTER_ADDRESS_ATTEMPTS", "1000000");
        }
        case "payments" -> env.put("SHOP_PAYMENTS_PROVIDER_URL", "http://127.0.0.1:" + providerPort);
        case "orders" -> env.put("SHOP_ORDERS_PAYMENT_DEADLINE", ORDERS_PAYMENT_DEADLINE.toMillis() + "ms");
        default -> {
          // cart, notifications: their defaults.
        }
      }
      boolean isolated = name.equals(ISOLATED) && isolatedUser;
      processes.put(name, new ShopProcess(name, command(service, isolated), env, runtimeDir,
          workDir.resolve("logs/" + name + ".log"), portBase + 20 + i, portBase + i, portBase + 10 + i));
    }
    Map<String, String> provider = common();
    provider.put("SHOP_CLUSTERED", "false");
    provider.put("SHOP_OPS_PORT", String.valueOf(portBase + 33));
    provider.put("SHOP_PROVIDER_HOST", "127.0.0.1");
    provider.put("SHOP_PROVIDER_PORT", String.valueOf(providerPort));
    provider.put("SHOP_PROVIDER_ADMIN_PORT", String.valueOf(providerAdminPort));
    processes.put("provider", new ShopProcess("provider", command("payment-provider", false), provider, runtimeDir,
        workDir.resolve("logs/provider.log"), portBase + 33, 0, 0));
  }

  private Map<String, String> common() {
    Map<String, String> env = new HashMap<>();
    env.put("SHOP_DB_HOST", postgres.host());
    env.put("SHOP_DB_PORT", String.valueOf(postgres.port()));
    env.put("SHOP_DB_NAME", postgres.database());
    env.put("SHOP_DB_USER", postgres.user());
    env.put("SHOP_DB_PASSWORD", postgres.password());
    env.put("SHOP_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
    env.put("SHOP_CLUSTER_NAME", clusterName);
    env.putAll(clusterKeys.env());
    env.put("SHOP_CLUSTER_HOST", "127.0.0.1");
    env.put("SHOP_CLUSTER_HEARTBEAT_SECONDS", String.valueOf(HEARTBEAT_SECONDS));
    env.put("SHOP_CLUSTER_MEMBER_TIMEOUT_SECONDS", String.valueOf(MEMBER_TIMEOUT_SECONDS));
    env.put("SHOP_OPS_HOST", "127.0.0.1");
    env.put("SHOP_EVENT_LOOPS", "2");
    env.put("SHOP_SHUTDOWN_GRACE", "2s");
    env.put("SHOP_LOG_FORMAT", "text");
    return env;
  }

  private List<String> command(String service, boolean isolated) {
    List<String> command = new ArrayList<>();
    if (isolated) {
      command.addAll(List.of("setpriv", "--reuid=" + ISOLATED_UID, "--regid=" + ISOLATED_UID, "--clear-groups"));
    }
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // Ten JVMs share two cores: small heaps, the serial collector and C1 only keep start and footprint down.
    // The cluster name on the command line tells this run's processes apart (pgrep -f <name>) should the test JVM die.
    command.addAll(List.of("-Xmx256m", "-Xss512k", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-Djava.net.preferIPv4Stack=true", "-Dlogback.configurationFile=" + logConfig,
        "-Dshop.faults.cluster=" + clusterName, "-jar", jar.toString(), service));
    return command;
  }

  private void startAll() {
    long start = System.nanoTime();
    // The first catalog seeds the demo catalog and founds the cluster; the rest join it together.
    List<ShopProcess> first = List.of(processes.get("catalog-a"), processes.get("provider"));
    first.forEach(ShopProcess::start);
    first.forEach(p -> p.awaitReady(FIRST_START));
    List<ShopProcess> rest = processes.values().stream().filter(p -> !first.contains(p) && !p.name().equals(ON_DEMAND)).toList();
    rest.forEach(ShopProcess::start);
    rest.forEach(p -> p.awaitReady(FIRST_START));
    LOG.info("fault cluster {} ready in {} ms: {}", clusterName, (System.nanoTime() - start) / 1_000_000, processes.values());
    probe = firstShopper();
    awaitServing(RESTART);
  }

  /**
   * The probe shopper, registered as soon as the gateway can reach users: each node's first event-bus
   * connection to a peer includes a TLS handshake, which on two loaded cores with cold JVMs can outlast the
   * gateway's 2 s deadline. Bounded: a few attempts within {@link #RESTART}.
   */
  private ShopApi.User firstShopper() {
    long deadline = System.nanoTime() + RESTART.toNanos();
    RuntimeException last = null;
    while (System.nanoTime() < deadline) {
      try {
        return api.registerUsers(1, "probe").get(0);
      } catch (RuntimeException e) {
        last = e;
        LOG.info("probe shopper not registered yet: {}", e.getMessage());
        ShopProcess.pause(1_000);
      }
    }
    throw last == null ? new IllegalStateException("probe shopper not registered") : last;
  }

  /**
   * Restarts every process that is not running (kill -9 by an earlier scenario), waits until all are
   * ready, heals the provider's knobs and waits until every route the scenarios use answers through the
   * gateway (breakers closed).
   */
  void ensureHealthy() {
    List<ShopProcess> dead = processes.values().stream().filter(p -> !p.isAlive() && !p.name().equals(ON_DEMAND)).toList();
    dead.forEach(p -> {
      LOG.info("restarting {} left dead by an earlier scenario", p.name());
      p.start();
    });
    processes.values().stream().filter(p -> !p.name().equals(ON_DEMAND) || p.isAlive()).forEach(p -> p.awaitReady(RESTART));
    api.providerFaults(new io.vertx.core.json.JsonObject().put("latencyMs", 0).put("failureRate", 0.0)
        .put("declineRate", 0.0).put("outage", false).put("processingDelayMs", 0).put("refundFailureRate", 0.0));
    awaitServing(RESTART);
  }

  private void awaitServing(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      last = api.probe(probe);
      if (last == null) {
        return;
      }
      ShopProcess.pause(250);
    }
    throw new IllegalStateException("the shop does not serve every route after " + timeout.toSeconds() + " s: " + last);
  }

  /** Starts the on-demand replica ({@link #ON_DEMAND}) and waits until it is ready and the shop serves. */
  ShopProcess startOnDemand() {
    ShopProcess process = process(ON_DEMAND);
    if (!process.isAlive()) {
      process.start();
    }
    process.awaitReady(RESTART);
    awaitServing(RESTART);
    return process;
  }

  /** Stops the on-demand replica gracefully, so that the next scenario finds the usual layout. */
  void stopOnDemand() {
    process(ON_DEMAND).stop(Duration.ofSeconds(10));
  }

  ShopProcess process(String name) {
    ShopProcess process = processes.get(name);
    if (process == null) {
      throw new IllegalArgumentException("no process " + name);
    }
    return process;
  }

  /** Whether {@link #ISOLATED} runs under its own user id, which the partition scenario needs. */
  boolean isolatedUser() {
    return isolatedUser;
  }

  /** The lowest and highest Hazelcast and event-bus port of the cluster (a contiguous block). */
  int clusterPortFrom() {
    return portBase;
  }

  int clusterPortTo() {
    return portBase + 19;
  }

  /** The members' Hazelcast addresses (host:port, comma-separated). */
  String members() {
    return members;
  }

  /** Four free ports of the cluster's block, for an intruder (scenario 10). */
  int intruderPortFrom() {
    return portBase + 34;
  }

  /** The name the members' Hazelcast cluster goes by (derived from the secret): what watching the network reveals. */
  String hazelcastClusterName() {
    Env env = Env.of(common());
    return HazelcastSetup.config(ClusterConfig.from(env.with(Map.of("SHOP_CLUSTER_MEMBERS", members))), ClusterSecurity.from(env))
        .getClusterName();
  }

  LocalPostgres postgres() {
    return postgres;
  }

  LocalKafka kafka() {
    return kafka;
  }

  Vertx vertx() {
    return vertx;
  }

  /** A pool on the shop database (superuser): audits read every schema with qualified names. */
  Pool shopDb() {
    return shopDb;
  }

  ShopApi api() {
    return api;
  }

  String providerAdminUrl() {
    return "http://127.0.0.1:" + providerAdminPort;
  }

  Path workDir() {
    return workDir;
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    List<CompletableFuture<Void>> stops = processes.values().stream()
        .map(p -> CompletableFuture.runAsync(() -> p.stop(Duration.ofSeconds(5)))).toList();
    try {
      CompletableFuture.allOf(stops.toArray(new CompletableFuture[0])).get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      processes.values().forEach(ShopProcess::kill);
    }
    try {
      if (shopDb != null) {
        shopDb.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
      }
      if (vertx != null) {
        vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
      }
    } catch (Exception e) {
      LOG.warn("test Vert.x did not close cleanly: {}", e.toString());
    }
    kafka.close();
    postgres.close();
    deleteQuietly(runtimeDir);
  }

  private DatabaseConfig databaseConfig() {
    return DatabaseConfig.from(Env.of(Map.of(
        "SHOP_DB_HOST", postgres.host(),
        "SHOP_DB_PORT", String.valueOf(postgres.port()),
        "SHOP_DB_NAME", postgres.database(),
        "SHOP_DB_USER", postgres.user(),
        "SHOP_DB_PASSWORD", postgres.password(),
        "SHOP_DB_POOL_SIZE", "4")));
  }

  static Path shopJar() {
    Path jar = Path.of(System.getProperty("shop.jar", "../launcher/target/shop.jar")).toAbsolutePath().normalize();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: build it first (./mvnw -B -DskipTests package -pl launcher -am)");
    }
    return jar;
  }

  /**
   * Where the processes run from: a directory every user can read, because the cut-off JVM runs under
   * another user id and a CI workspace may be private to its owner.
   */
  private static Path runtimeDir() {
    try {
      Path dir = Files.createTempDirectory("shop-faults-");
      Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A copy of shop.jar for this run: a build elsewhere may replace launcher/target/shop.jar at any time,
   * and a JVM whose jar changes under it fails to load its next class. A copy taken while the jar was being
   * written is detected (it does not open as a zip) and taken again.
   */
  private static Path privateJar(Path dir) {
    Path copy = dir.resolve("shop.jar");
    RuntimeException last = null;
    for (int attempt = 0; attempt < 10; attempt++) {
      try {
        copyWorldReadable(shopJar(), copy);
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(copy.toFile())) {
          if (zip.getEntry("META-INF/MANIFEST.MF") != null && zip.getEntry("dev/vertxshop/launcher/Launcher.class") != null) {
            return copy;
          }
        }
        last = new IllegalStateException(copy + " is not a complete shop.jar");
      } catch (IOException | UncheckedIOException e) {
        last = new IllegalStateException("cannot copy " + shopJar(), e);
      }
      ShopProcess.pause(3_000);
    }
    throw last;
  }

  private static Path copyWorldReadable(Path from, Path to) {
    try {
      Files.copy(from, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      Files.setPosixFilePermissions(to, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
      return to;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteQuietly(Path dir) {
    try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      LOG.warn("could not delete {}: {}", dir, e.toString());
    }
  }

  private static Path processLogConfig() {
    try {
      return Path.of(FaultCluster.class.getResource("/faults-process-logback.xml").toURI());
    } catch (URISyntaxException | NullPointerException e) {
      throw new IllegalStateException("faults-process-logback.xml is not on the test class path", e);
    }
  }

  /**
   * A block of free ports below the ephemeral range (32768+), so that no outgoing connection of this
   * machine can take one between the check and the processes' bind.
   */
  private static int freePortBlock(int size) {
    for (int attempt = 0; attempt < 50; attempt++) {
      int base = 20_000 + ThreadLocalRandom.current().nextInt(12_000 - size);
      boolean free = true;
      for (int port = base; port < base + size && free; port++) {
        free = isFree(port);
      }
      if (free) {
        return base;
      }
    }
    throw new IllegalStateException("no block of " + size + " free ports found");
  }

  private static boolean isFree(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(false);
      socket.bind(new InetSocketAddress("0.0.0.0", port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static KeyPair rsaKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }
}
