package dev.vertxshop.loadtest.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The shop on Docker Compose ({@code compose/docker-compose.yml}, images from
 * {@code docker/build-images.sh}), under its own project name and host port so that it never touches
 * a Compose shop someone else runs. Requests go client → docker-proxy (the published port on
 * 127.0.0.1) → the HAProxy edge → a gateway replica → the event bus over the Compose network.
 */
final class ComposeTarget extends Target {

  static final String VERSION = "0.1.0";
  static final List<String> IMAGES = List.of("gateway", "catalog", "users", "cart", "orders", "payments", "notifications",
      "search", "payment-provider", "postgres", "kafka");

  private String token;
  private String killed;

  ComposeTarget(Options options) {
    super("compose", options);
  }

  private String project() {
    return options.text("compose-project");
  }

  private int edgePort() {
    return port(90);
  }

  @Override
  String baseUrl() {
    return "http://127.0.0.1:" + edgePort();
  }

  @Override
  String adminToken() {
    return token;
  }

  /**
   * The Compose spec as it was when the target started, copied next to the results: the run leaves
   * the repository's compose/ untouched (its own .env and secrets), and the report keeps what ran.
   */
  private Path composeDir() {
    return dir.resolve("compose");
  }

  private void copySpec() {
    Path source = root.resolve("compose");
    try (java.util.stream.Stream<Path> files = Files.walk(source)) {
      for (Path file : files.toList()) {
        Path relative = source.relativize(file);
        String name = relative.toString();
        if (name.equals(".env") || name.startsWith("secrets")) {
          continue;
        }
        Path target = composeDir().resolve(relative);
        if (Files.isDirectory(file)) {
          Files.createDirectories(target);
        } else {
          Files.copy(file, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    } catch (IOException e) {
      throw new Unavailable("cannot copy compose/: " + e.getMessage());
    }
  }

  private List<String> compose(String... args) {
    List<String> command = new ArrayList<>(List.of("docker-compose", "-p", project(), "-f", "docker-compose.yml"));
    command.addAll(List.of(args));
    return command;
  }

  private Map<String, String> composeEnv() {
    return Map.of("SHOP_HTTP_PORT", String.valueOf(edgePort()), "SHOP_HTTP_BIND", "127.0.0.1");
  }

  @Override
  Readiness start() {
    if (!Proc.run(List.of("docker", "info"), root, Map.of(), Duration.ofSeconds(20)).ok()) {
      throw new Unavailable("no Docker daemon answers");
    }
    if (!Files.exists(root.resolve("compose/docker-compose.yml"))) {
      throw new Unavailable("compose/docker-compose.yml is missing");
    }
    copySpec();
    List<String> missing = missingImages();
    if (!missing.isEmpty() && options.yes("compose-build")) {
      Log.info("compose: building images (%s) with docker/build-images.sh %s", String.join(", ", missing), VERSION);
      Proc.Result built = Proc.run(List.of(root.resolve("docker/build-images.sh").toString(), VERSION), root, Map.of(), Duration.ofMinutes(40));
      write("logs/build-images.log", built.output());
      missing = missingImages();
    }
    if (!missing.isEmpty()) {
      throw new Unavailable("images missing: " + String.join(", ", missing) + " (docker/build-images.sh " + VERSION
          + ", or --compose-build yes)");
    }
    if (!Files.exists(composeDir().resolve(".env")) || !Files.exists(composeDir().resolve("secrets/jwt-private-key.pem"))) {
      // The documented first step of compose/README: random credentials and the JWT key (kept if present).
      Proc.Result env = Proc.run(List.of("./make-env.sh"), composeDir(), Map.of(), Duration.ofMinutes(1));
      if (!env.ok()) {
        throw new Unavailable("compose/make-env.sh failed: " + env.output());
      }
    }
    token = dotEnv("SHOP_ADMIN_TOKEN");
    // A previous harness run that died may have left the project up, with its volumes.
    Proc.run(compose("down", "-v", "--remove-orphans", "--timeout", "30"), composeDir(), composeEnv(), Duration.ofMinutes(3));

    long start = System.nanoTime();
    Proc.Result up = Proc.run(compose("up", "-d"), composeDir(), composeEnv(), Duration.ofMinutes(15));
    write("logs/compose-up.log", up.output());
    long upMillis = (System.nanoTime() - start) / 1_000_000;
    if (!up.ok()) {
      throw new IllegalStateException("docker-compose up failed:\n" + up.output());
    }
    long waited = Http.await(this::ready, () -> true, Duration.ofMinutes(8));
    if (waited < 0) {
      throw new IllegalStateException("the Compose shop did not become ready in 8 minutes:\n"
          + Proc.run(compose("ps"), composeDir(), composeEnv(), Duration.ofSeconds(30)).output());
    }
    long total = (System.nanoTime() - start) / 1_000_000;
    Map<String, Long> parts = new LinkedHashMap<>();
    parts.put("docker-compose up -d returned (dependencies healthy in order)", upMillis);
    parts.put("every container healthy and GET /api/products 200 through the edge", total);
    facts.put("processes", containers().size() + " containers (+ docker-proxy on the host)");
    facts.put("limits", "each shop container cpus 1.0, mem_limit 768m, JAVA_OPTS -XX:MaxRAMPercentage=75 (see compose/docker-compose.yml)");
    return new Readiness(total, parts, "from `docker-compose up -d` (images present, volumes fresh) to every container healthy and GET /api/products 200");
  }

  private List<String> missingImages() {
    List<String> missing = new ArrayList<>();
    for (String image : IMAGES) {
      if (!Proc.run(List.of("docker", "image", "inspect", "vertx-shop/" + image + ":" + VERSION), root, Map.of(), Duration.ofSeconds(20)).ok()) {
        missing.add("vertx-shop/" + image + ":" + VERSION);
      }
    }
    if (!Proc.run(List.of("docker", "image", "inspect", "vertx-shop/haproxy-os:2.6"), root, Map.of(), Duration.ofSeconds(20)).ok()) {
      missing.add("vertx-shop/haproxy-os:2.6");
    }
    return missing;
  }

  private String dotEnv(String key) {
    try {
      for (String line : Files.readAllLines(composeDir().resolve(".env"))) {
        if (line.startsWith(key + "=")) {
          return line.substring(key.length() + 1).trim();
        }
      }
    } catch (IOException e) {
      return null;
    }
    return null;
  }

  /** Container names of the project, e.g. vertx-shop-loadtest_catalog_1. */
  List<String> containers() {
    Proc.Result ps = Proc.run(List.of("docker", "ps", "-a", "--filter", "label=com.docker.compose.project=" + project(),
        "--format", "{{.Names}}"), root, Map.of(), Duration.ofSeconds(30));
    return ps.output().lines().map(String::trim).filter(s -> !s.isEmpty()).sorted().toList();
  }

  private String health(String container) {
    Proc.Result inspect = Proc.run(List.of("docker", "inspect", "--format",
        "{{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}", container), root, Map.of(), Duration.ofSeconds(20));
    return inspect.output().trim();
  }

  private boolean healthy(String container) {
    String state = health(container);
    return state.equals("running healthy") || state.equals("running none");
  }

  @Override
  boolean ready() {
    List<String> all = containers();
    return !all.isEmpty() && all.stream().allMatch(this::healthy) && Http.ok(baseUrl() + "/api/products?size=1");
  }

  @Override
  List<Sampler.Usage> usage() {
    List<Sampler.Usage> usage = new ArrayList<>();
    Proc.Result stats = Proc.run(List.of("docker", "stats", "--no-stream", "--format", "{{.Name}}|{{.CPUPerc}}|{{.MemUsage}}"),
        root, Map.of(), Duration.ofSeconds(30));
    String prefix = project() + "_";
    for (String line : stats.output().lines().toList()) {
      String[] parts = line.split("\\|");
      if (parts.length != 3 || !parts[0].startsWith(prefix)) {
        continue;
      }
      usage.add(new Sampler.Usage(parts[0].substring(prefix.length()), -1, percent(parts[1]), bytes(parts[2].split("/")[0])));
    }
    usage.sort(java.util.Comparator.comparing(Sampler.Usage::label));
    List<Long> proxies = Proc.find("docker-proxy", "-host-port " + edgePort() + " ");
    if (!proxies.isEmpty()) {
      usage.add(Sampler.Usage.ofPids("docker-proxy (host port " + edgePort() + ")", proxies));
    }
    return usage;
  }

  static double percent(String text) {
    try {
      return Double.parseDouble(text.trim().replace("%", ""));
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  /** "123.4MiB" → bytes. */
  static long bytes(String text) {
    String value = text.trim();
    double factor = 1;
    String lower = value.toLowerCase(Locale.ROOT);
    String[][] units = {{"kib", "1024"}, {"mib", "1048576"}, {"gib", "1073741824"}, {"kb", "1000"}, {"mb", "1000000"}, {"gb", "1000000000"}, {"b", "1"}};
    for (String[] unit : units) {
      if (lower.endsWith(unit[0])) {
        factor = Double.parseDouble(unit[1]);
        value = value.substring(0, value.length() - unit[0].length());
        break;
      }
    }
    try {
      return (long) (Double.parseDouble(value.trim()) * factor);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private List<String> replicas() {
    String marker = project() + "_" + faultService() + "_";
    return containers().stream().filter(c -> c.startsWith(marker)).toList();
  }

  @Override
  boolean canKill() {
    return replicas().size() > 1;
  }

  @Override
  String kill() {
    killed = replicas().get(0);
    Proc.Result result = Proc.run(List.of("docker", "kill", killed), root, Map.of(), Duration.ofSeconds(30));
    return "docker kill " + killed + (result.ok() ? "" : " (failed: " + result.output().trim() + ")") + ", one of "
        + replicas().size() + " " + faultService() + " containers";
  }

  @Override
  long restore() {
    if (killed == null) {
      return 0;
    }
    String container = killed;
    killed = null;
    long start = System.nanoTime();
    // `docker kill` counts as a manual stop: the restart policy (unless-stopped) leaves it down.
    if (!health(container).startsWith("running")) {
      Proc.run(List.of("docker", "start", container), root, Map.of(), Duration.ofMinutes(1));
    }
    long waited = Http.await(() -> healthy(container), () -> true, Duration.ofMinutes(4));
    return waited < 0 ? -1 : (System.nanoTime() - start) / 1_000_000;
  }

  @Override
  Roll roll() {
    List<String> steps = new ArrayList<>();
    boolean ok = true;
    for (String container : replicas()) {
      long start = System.nanoTime();
      Proc.Result restart = Proc.run(List.of("docker", "restart", "-t", "30", container), root, Map.of(), Duration.ofMinutes(2));
      long restarted = (System.nanoTime() - start) / 1_000_000;
      // Health is checked every 5 s: "healthy" lags the real readiness by up to that.
      long waited = Http.await(() -> healthy(container), () -> true, Duration.ofMinutes(4));
      long total = (System.nanoTime() - start) / 1_000_000;
      steps.add(String.format("%s: `docker restart -t 30` %s in %d ms, %s (%d ms in all)", container,
          restart.ok() ? "returned" : "FAILED", restarted, waited < 0 ? "NEVER healthy" : "healthy", total));
      if (waited < 0) {
        ok = false;
        break;
      }
    }
    return new Roll("one " + faultService() + " container at a time: docker restart -t 30 (SIGTERM, start), wait until healthy", steps, ok);
  }

  @Override
  void stop() {
    Proc.Result logs = Proc.run(compose("logs", "--no-color", "--tail", "2000"), composeDir(), composeEnv(), Duration.ofMinutes(2));
    write("logs/compose-logs.log", logs.output());
    Proc.run(compose("down", "-v", "--remove-orphans", "--timeout", "30"), composeDir(), composeEnv(), Duration.ofMinutes(5));
  }

  @Override
  String describe() {
    return "Docker Compose project `" + project() + "` from `compose/docker-compose.yml` (images `vertx-shop/*:" + VERSION
        + "`): PostgreSQL and Kafka containers, gateway ×2 and catalog ×2, one container per other service, the payment "
        + "provider, and the HAProxy edge published on 127.0.0.1:" + edgePort() + " through docker-proxy. Each shop container: "
        + "cpus 1.0, mem_limit 768m.";
  }

  private void write(String relative, String text) {
    try {
      Path file = dir.resolve(relative);
      Files.createDirectories(file.getParent());
      Files.writeString(file, text);
    } catch (IOException ignored) {
      // logs are a convenience
    }
  }
}
