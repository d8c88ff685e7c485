import dev.vertxshop.embedded.LocalKafka;
import dev.vertxshop.embedded.LocalPostgres;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Benchmark of what one service JVM costs: every service in its own JVM, clustered on 127.0.0.1 against one
 * PostgreSQL and one Kafka broker (run in this process), started with JVM options A, then B, alternated
 * {@code ROUNDS} times (A B, B A, A B, ...) so that a busy machine weighs on both alike. Per service and set it
 * prints the median and min-max of
 * <ul>
 *   <li>RSS at rest (after the start and a settle), and after a bounded load through the gateway
 *       ({@code GET /api/products/{id}} and {@code /api/products}, {@code REQUESTS} requests);</li>
 *   <li>time from JVM start to ready, and the part of it that is the service's own (the node's log line
 *       separates the cluster join from the services' start);</li>
 * </ul>
 * and the gateway's throughput under that load, so that a smaller JVM that is slower shows it.
 *
 * <pre>java -cp launcher/target/shop.jar bench/Footprint.java</pre>
 * (env: ROUNDS=3 REQUESTS=4000 SETTLE=8 OPTS_A="..." OPTS_B="..."; {@code NAME=value} words in a set are the
 * environment of its processes; bench/footprint.sh builds first). The services start one after the other.
 */
public final class Footprint {

  static final List<String> SERVICES = List.of("users", "catalog", "cart", "payments", "orders", "notifications", "search", "gateway");
  static final String VERSION = "0.1.0-SNAPSHOT";
  static final Pattern READY = Pattern.compile("node ready: .*; (\\d+) ms after JVM start \\((?:cluster join|vert\\.x) (\\d+) ms, services (\\d+) ms\\)");
  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  record Sample(long restKib, long loadedKib, long readyMs, long joinMs, long servicesMs) {
  }

  public static void main(String[] args) throws Exception {
    Path root = Path.of("").toAbsolutePath();
    int rounds = Integer.parseInt(env("ROUNDS", "3"));
    int requests = Integer.parseInt(env("REQUESTS", "4000"));
    int settle = Integer.parseInt(env("SETTLE", "8"));
    Map<String, String> sets = new LinkedHashMap<>();
    // A: what the specs gave each service before (a 768 MiB limit, heap 75% of it); B: the small JVM.
    sets.put("A", env("OPTS_A", "-XX:MaxRAM=768m -XX:MaxRAMPercentage=75 -XX:ActiveProcessorCount=1"));
    sets.put("B", env("OPTS_B", "-XX:MaxRAM=256m -XX:MaxRAMPercentage=50 -XX:ActiveProcessorCount=1 -XX:+UseSerialGC -Xss512k "
        + "-XX:TrimNativeHeapInterval=2000 MALLOC_ARENA_MAX=2"));
    Path work = Files.createTempDirectory("footprint");
    int pgPort = 25432;
    int kafkaPort = 29092;
    System.out.println("starting PostgreSQL and Kafka...");
    CompletableFuture<LocalKafka> kafkaStart = CompletableFuture.supplyAsync(() -> LocalKafka.start(work.resolve("kafka"), kafkaPort));
    LocalPostgres postgres = LocalPostgres.start(work.resolve("postgres"), pgPort);
    LocalKafka kafka = kafkaStart.get(3, TimeUnit.MINUTES);
    Map<String, Map<String, List<Sample>>> samples = new LinkedHashMap<>();
    Map<String, List<Double>> throughput = new LinkedHashMap<>();
    try {
      for (int round = 1; round <= rounds; round++) {
        List<String> order = new ArrayList<>(sets.keySet());
        if (round % 2 == 0) {
          java.util.Collections.reverse(order);
        }
        for (String set : order) {
          System.out.printf("round %d, set %s (load average %s)%n", round, set, loadAverage());
          Map<String, Sample> run = new LinkedHashMap<>();
          double rps = runOnce(root, work.resolve("run-" + round + set), sets.get(set), pgPort, kafkaPort, requests, settle, run);
          throughput.computeIfAbsent(set, k -> new ArrayList<>()).add(rps);
          run.forEach((service, sample) -> samples.computeIfAbsent(service, k -> new LinkedHashMap<>())
              .computeIfAbsent(set, k -> new ArrayList<>()).add(sample));
        }
      }
    } finally {
      kafka.close();
      postgres.close();
    }
    print(sets, samples, throughput, rounds);
  }

  static double runOnce(Path root, Path dir, String opts, int pgPort, int kafkaPort, int requests, int settle,
      Map<String, Sample> out) throws Exception {
    Files.createDirectories(dir);
    List<String> members = new ArrayList<>();
    for (int i = 0; i < SERVICES.size(); i++) {
      members.add("127.0.0.1:" + (25700 + i));
    }
    Map<String, Process> processes = new LinkedHashMap<>();
    Map<String, Path> logs = new LinkedHashMap<>();
    int gatewayPort = 25080;
    try {
      for (int i = 0; i < SERVICES.size(); i++) {
        String service = SERVICES.get(i);
        List<String> command = new ArrayList<>();
        Map<String, String> extraEnv = new LinkedHashMap<>();
        command.add("java");
        for (String word : opts.trim().split("\\s+")) {
          // NAME=value words are the process's environment (MALLOC_ARENA_MAX=2), the rest JVM options.
          if (word.matches("[A-Z_][A-Z0-9_]*=.*")) {
            extraEnv.put(word.substring(0, word.indexOf('=')), word.substring(word.indexOf('=') + 1));
          } else {
            command.add(word);
          }
        }
        command.add("-jar");
        command.add(root.resolve("verticles/" + service + "/target/shop-" + service + "-" + VERSION + "-fat.jar").toString());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Path log = dir.resolve(service + ".log");
        builder.redirectOutput(log.toFile());
        Map<String, String> e = builder.environment();
        e.put("SHOP_LOG_FORMAT", "text");
        e.put("SHOP_DB_HOST", "127.0.0.1");
        e.put("SHOP_DB_PORT", String.valueOf(pgPort));
        e.put("SHOP_DB_NAME", "postgres");
        e.put("SHOP_DB_USER", "postgres");
        e.put("SHOP_DB_PASSWORD", "postgres");
        e.put("SHOP_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + kafkaPort);
        e.put("SHOP_CLUSTER_HOST", "127.0.0.1");
        e.put("SHOP_CLUSTER_INSECURE", "true");
        e.put("SHOP_CLUSTER_MEMBERS", String.join(",", members));
        e.put("SHOP_CLUSTER_HAZELCAST_PORT", String.valueOf(25700 + i));
        e.put("SHOP_CLUSTER_EVENTBUS_PORT", String.valueOf(25750 + i));
        e.put("SHOP_OPS_HOST", "127.0.0.1");
        e.put("SHOP_OPS_PORT", String.valueOf(25800 + i));
        e.put("SHOP_SERVICES", service);
        e.put("SHOP_PAYMENTS_PROVIDER_URL", "http://127.0.0.1:25099");
        e.put("SHOP_CATALOG_SEED_DEMO", "true");
        e.put("SHOP_GATEWAY_HOST", "127.0.0.1");
        e.put("SHOP_GATEWAY_PORT", String.valueOf(gatewayPort));
        e.put("SHOP_ADMIN_TOKEN", "footprint-benchmark-admin-token-0123456789");
        e.putAll(extraEnv);
        processes.put(service, builder.start());
        logs.put(service, log);
        // One after the other: each start is measured alone, not against seven others on the same cores.
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (!ok("http://127.0.0.1:" + (25800 + i) + "/health/ready")) {
          if (!processes.get(service).isAlive() || System.nanoTime() > deadline) {
            throw new IllegalStateException(service + " did not get ready; its log:\n" + tail(log));
          }
          Thread.sleep(20);
        }
      }
      Thread.sleep(settle * 1000L);
      Map<String, Long> rest = new LinkedHashMap<>();
      processes.forEach((service, p) -> rest.put(service, rssKib(p.pid())));
      double rps = load(gatewayPort, requests);
      Thread.sleep(1000);
      for (String service : SERVICES) {
        Matcher m = READY.matcher(Files.readString(logs.get(service)));
        if (!m.find()) {
          throw new IllegalStateException(service + " logged no ready line");
        }
        out.put(service, new Sample(rest.get(service), rssKib(processes.get(service).pid()), Long.parseLong(m.group(1)),
            Long.parseLong(m.group(2)), Long.parseLong(m.group(3))));
      }
      return rps;
    } finally {
      for (Process p : processes.values()) {
        p.destroy();
      }
      for (Process p : processes.values()) {
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
          p.destroyForcibly().waitFor();
        }
      }
    }
  }

  /** {@code requests} reads through the gateway from 16 concurrent clients; answers requests/s. */
  static double load(int port, int requests) throws Exception {
    String page = get("http://127.0.0.1:" + port + "/api/products?size=50&page=1");
    List<String> ids = new ArrayList<>();
    Matcher m = Pattern.compile("\"id\":\"([0-9a-f-]{36})\"").matcher(page);
    while (m.find()) {
      ids.add(m.group(1));
    }
    if (ids.isEmpty()) {
      throw new IllegalStateException("no products listed: " + page);
    }
    AtomicInteger next = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(16);
    long start = System.nanoTime();
    for (int c = 0; c < 16; c++) {
      pool.submit(() -> {
        int i;
        while ((i = next.getAndIncrement()) < requests) {
          String path = i % 10 == 0 ? "/api/products?size=20&page=1" : "/api/products/" + ids.get(i % ids.size());
          try {
            HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
            if (r.statusCode() != 200) {
              failed.incrementAndGet();
            }
          } catch (Exception e) {
            failed.incrementAndGet();
          }
        }
        return null;
      });
    }
    pool.shutdown();
    if (!pool.awaitTermination(5, TimeUnit.MINUTES)) {
      pool.shutdownNow();
      throw new IllegalStateException("the load did not end in 5 minutes");
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    if (failed.get() > 0) {
      System.out.printf("  %d of %d requests failed%n", failed.get(), requests);
    }
    return requests / seconds;
  }

  static void print(Map<String, String> sets, Map<String, Map<String, List<Sample>>> samples,
      Map<String, List<Double>> throughput, int rounds) {
    System.out.println();
    sets.forEach((name, opts) -> System.out.printf("set %s: %s%n", name, opts));
    System.out.printf("%d rounds, alternated; median (min-max). RSS in MiB; times in ms.%n%n", rounds);
    System.out.printf("%-14s %-4s %-18s %-18s %-18s %-18s%n", "service", "set", "RSS at rest", "RSS after load",
        "JVM start→ready", "own start");
    samples.forEach((service, bySet) -> bySet.forEach((set, list) -> System.out.printf("%-14s %-4s %-18s %-18s %-18s %-18s%n",
        service, set,
        stat(list.stream().mapToDouble(s -> s.restKib() / 1024.0).toArray(), "%.0f"),
        stat(list.stream().mapToDouble(s -> s.loadedKib() / 1024.0).toArray(), "%.0f"),
        stat(list.stream().mapToDouble(s -> s.readyMs()).toArray(), "%.0f"),
        stat(list.stream().mapToDouble(s -> s.readyMs() - s.joinMs()).toArray(), "%.0f"))));
    System.out.println();
    for (String set : sets.keySet()) {
      double[] sums = new double[rounds];
      for (Map<String, List<Sample>> bySet : samples.values()) {
        List<Sample> list = bySet.get(set);
        for (int r = 0; r < list.size(); r++) {
          sums[r] += list.get(r).restKib() / 1024.0;
        }
      }
      System.out.printf("set %s: all %d services at rest %s MiB; gateway reads %s req/s%n", set, samples.size(),
          stat(sums, "%.0f"), stat(throughput.get(set).stream().mapToDouble(Double::doubleValue).toArray(), "%.0f"));
    }
    if (throughput.size() == 2) {
      List<List<Double>> t = new ArrayList<>(throughput.values());
      double[] ratios = new double[t.get(0).size()];
      for (int r = 0; r < ratios.length; r++) {
        ratios[r] = t.get(1).get(r) / t.get(0).get(r);
      }
      System.out.printf("gateway reads B / A, per round: %s%n", stat(ratios, "%.2f"));
    }
  }

  static String stat(double[] values, String format) {
    double[] v = values.clone();
    Arrays.sort(v);
    double median = v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    return String.format(format + " (" + format + "-" + format + ")", median, v[0], v[v.length - 1]);
  }

  static long rssKib(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("\\D", ""));
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the RSS of " + pid, e);
    }
    throw new IllegalStateException("no VmRSS for " + pid);
  }

  static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (IOException e) {
      return "?";
    }
  }

  static boolean ok(String url) {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (Exception e) {
      return false;
    }
  }

  static String get(String url) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(no log)";
    }
  }

  static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
