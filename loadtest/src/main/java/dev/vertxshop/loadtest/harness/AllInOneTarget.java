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
 * <p>There is one instance of everything, so every fault hits the whole shop, whichever service it
 * names: after a kill or a stop the harness starts the JVM again at once on the same data, as a
 * supervisor (systemd {@code Restart=always}) would, and the recovery is the whole restart.
 */
final class AllInOneTarget extends Target {

  private static final String READY_LINE = "Vert.x Shop ready";
  private final String token = "loadtest-admin-" + Long.toHexString(Double.doubleToLongBits(Math.random()));
  /** Kept across the restarts: with a key generated at each start, a restart would sign every shopper out. */
  private final String signingKey = ProcessesTarget.rsaPrivateKeyPem();
  private volatile Proc.Child shop;
  private int starts;

  AllInOneTarget(Options options, int round) {
    super("all-in-one", options, round);
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
    long t0 = System.nanoTime();
    long launcherReady = launch();
    Map<String, Long> parts = new LinkedHashMap<>();
    parts.put("JVM start to \"" + READY_LINE + "\"", launcherReady);
    facts.put("JVM options", options.text("aio-jvm-opts"));
    facts.put("processes", "1 JVM (9 services, Kafka broker) + embedded PostgreSQL");
    return awaitReady(t0, Duration.ofMinutes(5), () -> shop.alive(), null, parts,
        "from `java -jar` to GET /api/products 200 and /health/ready 200");
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
    // Every shopper of a load run signs up from this one address: the per-address sign-up limit is for the internet.
    env.put("SHOP_USERS_REGISTER_ADDRESS_ATTEMPTS", "1000000");
    env.put("SHOP_JWT_PRIVATE_KEY", signingKey);
    // Kept across the kill and the restart: the restarted shop finds its data, like a real one would.
    env.put("SHOP_DATA_DIR", dir.resolve("data").toString());
    env.put("SHOP_LOG_FORMAT", "text");
    starts++;
    Proc.Child child = Proc.start("all-in-one", command, env, root, dir.resolve("logs/shop-" + starts + ".log"));
    shop = child;
    if (!Proc.awaitLine(child, READY_LINE, Duration.ofMinutes(5))) {
      throw new IllegalStateException("the all-in-one shop did not print \"" + READY_LINE + "\":\n" + Proc.tail(child.log(), 40));
    }
    return (System.nanoTime() - child.startedNanos()) / 1_000_000;
  }

  @Override
  List<Endpoint> endpoints() {
    Proc.Child child = shop;
    if (child == null || !child.alive()) {
      return List.of();
    }
    return List.of(new Endpoint("all services", "shop JVM", String.valueOf(child.pid()), "http://127.0.0.1:" + opsPort()));
  }

  @Override
  int expectedReplicas() {
    return 1;
  }

  private Path postgresData() {
    return dir.resolve("data/postgres");
  }

  @Override
  List<Sampler.Usage> hostUsage() {
    List<Sampler.Usage> usage = new ArrayList<>();
    Proc.Child child = shop;
    if (child != null && child.alive()) {
      usage.add(Sampler.Usage.ofPids("shop JVM (all services + Kafka)", List.of(child.pid())));
      usage.add(Sampler.Usage.ofPids("PostgreSQL (embedded)", Proc.postgres(postgresData())));
    }
    return usage;
  }

  @Override
  Fault.Action fault(Fault fault, String service) {
    String all = " (one JVM runs every service: a fault on " + service + " is a fault on the whole shop)";
    return switch (fault) {
      case KILL_9 -> new Restart("kill -9 of the shop JVM and its PostgreSQL, then an immediate restart on the same data by the harness "
          + "(what a supervisor does)" + all, true);
      case GRACEFUL_STOP -> new Restart("SIGTERM to the shop JVM, wait for its exit, then a restart by the harness" + all, false);
      case ROLLING_UPDATE -> new Restart("a new release of a single instance: stop (SIGTERM) and start of the JVM, no rolling possible"
          + all, false);
      case NODE_DRAIN -> throw new Fault.NotApplicable("one machine, no nodes");
    };
  }

  /** Stops the JVM (SIGKILL or SIGTERM) and starts it again, on a thread of its own. */
  private final class Restart implements Fault.Action {
    private final String what;
    private final boolean kill;
    private final List<Fault.Milestone> milestones = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile boolean relaunched;

    Restart(String what, boolean kill) {
      this.what = what;
      this.kill = kill;
    }

    @Override
    public String what() {
      return what;
    }

    @Override
    public void begin() {
      Proc.Child victim = shop;
      List<Long> victims = new ArrayList<>(Proc.tree(victim.pid()));
      if (kill) {
        victims.addAll(Proc.postgres(postgresData()));
        // The embedded PostgreSQL would outlive its JVM (pg_ctl daemonized it, and no shutdown hook runs
        // after SIGKILL): the crash takes the whole box down, as it would for a one-process deployment.
        victims.forEach(Proc::kill9);
        milestones.add(new Fault.Milestone(System.currentTimeMillis(), "harness", "SIGKILL sent to pid " + victim.pid()));
      }
      Thread thread = new Thread(() -> {
        try {
          if (kill) {
            waitGone(victims);
          } else {
            boolean clean = Proc.terminate(victim.pid(), Duration.ofSeconds(30));
            Proc.stopPostgres(postgresData());
            milestones.add(new Fault.Milestone(System.currentTimeMillis(), "shop",
                clean ? "the JVM stopped gracefully" : "the JVM did not stop within 30 s: SIGKILL"));
          }
          milestones.add(new Fault.Milestone(System.currentTimeMillis(), "harness", "JVM started again"));
          launch();
          relaunched = true;
        } catch (RuntimeException e) {
          Log.info("all-in-one: restart failed: %s", e.getMessage());
        }
      }, "all-in-one-restart");
      thread.setDaemon(true);
      thread.start();
    }

    @Override
    public boolean finished() {
      return relaunched && ready();
    }

    @Override
    public List<Fault.Milestone> milestones() {
      return List.copyOf(milestones);
    }

    @Override
    public void end() {
      poll(AllInOneTarget.this::ready, Duration.ofMinutes(5));
    }
  }

  @Override
  Map<String, String> observe(String service) {
    Map<String, String> facts = new LinkedHashMap<>();
    Proc.Child child = shop;
    facts.put("shop JVM", child == null ? "none" : child.alive() ? "running (pid " + child.pid() + ")" : "exited");
    facts.put("shop JVM /health/ready", child != null && child.alive() && Http.ok("http://127.0.0.1:" + opsPort() + "/health/ready") ? "200" : "no");
    return facts;
  }

  @Override
  List<Limits.Service> limits() {
    return Limits.processes(List.of("all services (one JVM)"), Map.of(), options.text("aio-jvm-opts"));
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
