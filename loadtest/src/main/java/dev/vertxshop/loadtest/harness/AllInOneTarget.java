package dev.vertxshop.loadtest.harness;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole shop in one JVM ({@code java -jar launcher/target/shop.jar}): every service on a local event
 * bus, with the embedded PostgreSQL (child processes of the JVM) and the in-process Kafka broker.
 *
 * <p>There is one instance of everything, so "kill one instance" kills the shop: the harness then
 * starts it again at once on the same data, as a supervisor (systemd {@code Restart=always}) would, and
 * the recovery time is the whole restart. A rolling restart is a stop and a start.
 */
final class AllInOneTarget extends Target {

  private static final String READY_LINE = "Vert.x Shop ready";
  private final String token = "loadtest-admin-" + Long.toHexString(Double.doubleToLongBits(Math.random()));
  /** Kept across the restarts: with a key generated at each start, a restart would sign every shopper out. */
  private final String signingKey = ProcessesTarget.rsaPrivateKeyPem();
  private Proc.Child shop;
  private int starts;

  AllInOneTarget(Options options) {
    super("all-in-one", options);
  }

  private int gatewayPort() {
    return port(10);
  }

  private int opsPort() {
    return port(11);
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
    shopJar();
    long launcherReady = launch();
    long started = shop.startedNanos();
    long serving = Http.await(this::ready, shop::alive, Duration.ofMinutes(5));
    if (serving < 0) {
      throw new IllegalStateException("the all-in-one shop did not serve within 5 minutes:\n" + Proc.tail(shop.log(), 40));
    }
    long total = (System.nanoTime() - started) / 1_000_000;
    Map<String, Long> parts = new LinkedHashMap<>();
    parts.put("JVM start to \"" + READY_LINE + "\"", launcherReady);
    parts.put("JVM start to the API and /health/ready answering", total);
    facts.put("JVM options", options.text("aio-jvm-opts"));
    facts.put("processes", "1 JVM (9 services, Kafka broker) + embedded PostgreSQL");
    return new Readiness(total, parts, "from `java -jar` to GET /api/products and /health/ready both 200");
  }

  /** Starts the JVM and waits for its ready line; returns milliseconds from spawn to that line. */
  private long launch() {
    List<String> command = new ArrayList<>();
    command.add("java");
    command.addAll(options.words("aio-jvm-opts"));
    command.add("-jar");
    command.add(shopJar().toString());
    Map<String, String> env = new LinkedHashMap<>();
    env.put("SHOP_GATEWAY_PORT", String.valueOf(gatewayPort()));
    env.put("SHOP_OPS_PORT", String.valueOf(opsPort()));
    env.put("SHOP_EMBEDDED_DB_PORT", String.valueOf(port(12)));
    env.put("SHOP_EMBEDDED_KAFKA_PORT", String.valueOf(port(13)));
    env.put("SHOP_PROVIDER_PORT", String.valueOf(port(14)));
    env.put("SHOP_PROVIDER_ADMIN_PORT", String.valueOf(port(15)));
    env.put("SHOP_PAYMENTS_PROVIDER_URL", "http://127.0.0.1:" + port(14));
    env.put("SHOP_ADMIN_TOKEN", token);
    env.put("SHOP_JWT_PRIVATE_KEY", signingKey);
    // Kept across the kill and the restart: the restarted shop finds its data, like a real one would.
    env.put("SHOP_DATA_DIR", dir.resolve("data").toString());
    env.put("SHOP_LOG_FORMAT", "text");
    starts++;
    shop = Proc.start("all-in-one", command, env, root, dir.resolve("logs/shop-" + starts + ".log"));
    if (!Proc.awaitLine(shop, READY_LINE, Duration.ofMinutes(5))) {
      throw new IllegalStateException("the all-in-one shop did not print \"" + READY_LINE + "\":\n" + Proc.tail(shop.log(), 40));
    }
    return (System.nanoTime() - shop.startedNanos()) / 1_000_000;
  }

  @Override
  boolean ready() {
    return shop != null && shop.alive()
        && Http.ok("http://127.0.0.1:" + opsPort() + "/health/ready")
        && Http.ok(baseUrl() + "/api/products?size=1");
  }

  private Path postgresData() {
    return dir.resolve("data/postgres");
  }

  @Override
  List<Sampler.Usage> usage() {
    List<Sampler.Usage> usage = new ArrayList<>();
    if (shop != null && shop.alive()) {
      usage.add(Sampler.Usage.ofPids("shop JVM (all services + Kafka)", List.of(shop.pid())));
      usage.add(Sampler.Usage.ofPids("PostgreSQL (embedded)", Proc.postgres(postgresData())));
    }
    return usage;
  }

  @Override
  boolean canKill() {
    return true;
  }

  @Override
  String kill() {
    List<Long> victims = new ArrayList<>(Proc.tree(shop.pid()));
    victims.addAll(Proc.postgres(postgresData()));
    // The embedded PostgreSQL would outlive its JVM (pg_ctl daemonized it, and no shutdown hook runs
    // after SIGKILL): the crash takes the whole box down, as it would for a one-process deployment.
    victims.forEach(Proc::kill9);
    waitGone(victims);
    Thread restart = new Thread(() -> {
      try {
        launch();
      } catch (RuntimeException e) {
        Log.info("all-in-one: restart after the kill failed: %s", e.getMessage());
      }
    }, "all-in-one-restart");
    restart.setDaemon(true);
    restart.start();
    return "kill -9 of the shop JVM (and its PostgreSQL), then an immediate restart on the same data";
  }

  @Override
  long restore() {
    long start = System.nanoTime();
    long waited = Http.await(this::ready, () -> true, Duration.ofMinutes(5));
    return waited < 0 ? -1 : (System.nanoTime() - start) / 1_000_000;
  }

  @Override
  Roll roll() {
    List<String> steps = new ArrayList<>();
    long start = System.nanoTime();
    boolean clean = Proc.terminate(shop.pid(), Duration.ofSeconds(30));
    Proc.stopPostgres(postgresData());
    steps.add(String.format("SIGTERM: stopped %s in %d ms", clean ? "gracefully" : "by SIGKILL after 30 s", (System.nanoTime() - start) / 1_000_000));
    long relaunch = System.nanoTime();
    try {
      launch();
    } catch (RuntimeException e) {
      steps.add("restart failed: " + e.getMessage());
      return new Roll("stop and start of the single JVM", steps, false);
    }
    long ready = Http.await(this::ready, shop::alive, Duration.ofMinutes(5));
    steps.add(String.format("started again, ready in %d ms", (System.nanoTime() - relaunch) / 1_000_000));
    return new Roll("stop and start of the single JVM (one instance: no rolling possible)", steps, ready >= 0);
  }

  @Override
  void stop() {
    if (shop != null) {
      Proc.terminate(shop.pid(), Duration.ofSeconds(30));
    }
    // Normally stopped by the JVM's shutdown hook; not after a SIGKILL or a failed start.
    Proc.stopPostgres(postgresData());
  }

  @Override
  String describe() {
    return "One JVM runs every service on a local (non-clustered) event bus, the Kafka broker in-process, and "
        + "starts PostgreSQL as child processes. JVM options: `" + options.text("aio-jvm-opts") + "`.";
  }

  private static void waitGone(List<Long> pids) {
    for (long pid : pids) {
      ProcessHandle.of(pid).ifPresent(handle -> {
        try {
          handle.onExit().get(15, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception ignored) {
          // reported by the readiness wait that follows
        }
      });
    }
  }
}
