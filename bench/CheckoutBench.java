import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checkout benchmark through the public API of a running shop (single-file program: {@code java
 * bench/CheckoutBench.java}). Each of CONCURRENCY shoppers, with its own account, loops: put one
 * item in the cart, then check out with a fresh Idempotency-Key. Prints checkouts/s and the latency
 * of the checkout request (p50, p99), and how the orders ended.
 *
 * <p>Settings (environment): BASE_URL (http://127.0.0.1:18080), ADMIN_TOKEN (to restock before the
 * run), CONCURRENCY (32), WARMUP_SECONDS (10), SECONDS (30).
 */
public final class CheckoutBench {

  private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([0-9a-f-]{36})\"");
  private static final Pattern TOKEN = Pattern.compile("\"token\"\\s*:\\s*\"([^\"]+)\"");
  private static final Pattern STATUS = Pattern.compile("\"status\"\\s*:\\s*\"([A-Z]+)\"");

  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5))
      .executor(Executors.newFixedThreadPool(4))
      .build();

  public static void main(String[] args) throws Exception {
    String base = env("BASE_URL", "http://127.0.0.1:18080");
    int concurrency = Integer.parseInt(env("CONCURRENCY", "32"));
    int warmup = Integer.parseInt(env("WARMUP_SECONDS", "10"));
    int seconds = Integer.parseInt(env("SECONDS", "30"));
    String adminToken = System.getenv("ADMIN_TOKEN");

    List<String> products = new ArrayList<>();
    for (int page = 1; page <= 3; page++) {
      Matcher m = ID.matcher(send(get(base + "/api/products?size=100&page=" + page, null)).body());
      while (m.find()) {
        products.add(m.group(1));
      }
    }
    if (products.isEmpty()) {
      throw new IllegalStateException("no products at " + base);
    }
    if (adminToken != null) {
      restock(base, adminToken, products);
    }
    System.out.printf("%d products; registering %d shoppers...%n", products.size(), concurrency);
    List<String> tokens = new ArrayList<>();
    for (int i = 0; i < concurrency; i++) {
      String email = "bench-" + UUID.randomUUID() + "@example.com";
      String body = "{\"email\":\"" + email + "\",\"password\":\"bench-password-1\",\"name\":\"Bench " + i + "\"}";
      expect(send(post(base + "/api/users", body, null, null)), 201, "register");
      String login = send(post(base + "/api/auth/login",
          "{\"email\":\"" + email + "\",\"password\":\"bench-password-1\"}", null, null)).body();
      Matcher t = TOKEN.matcher(login);
      if (!t.find()) {
        throw new IllegalStateException("login failed: " + login);
      }
      tokens.add(t.group(1));
    }

    System.out.printf("warm-up %d s...%n", warmup);
    run(base, tokens, products, warmup, null, null);
    List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
    Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
    System.out.printf("measuring %d s with %d concurrent shoppers...%n", seconds, concurrency);
    long start = System.nanoTime();
    run(base, tokens, products, seconds, latencies, outcomes);
    double elapsed = (System.nanoTime() - start) / 1e9;

    List<Long> sorted = new ArrayList<>(latencies);
    Collections.sort(sorted);
    int n = sorted.size();
    System.out.println();
    System.out.println("| measure | value |");
    System.out.println("|---|---|");
    System.out.printf("| checkouts completed | %d in %.1f s |%n", n, elapsed);
    System.out.printf("| checkouts/s | %.1f |%n", n / elapsed);
    System.out.printf("| checkout p50 | %.1f ms |%n", n == 0 ? 0 : sorted.get(n / 2) / 1e6);
    System.out.printf("| checkout p99 | %.1f ms |%n", n == 0 ? 0 : sorted.get(Math.min(n - 1, (int) (n * 0.99))) / 1e6);
    System.out.printf("| outcomes | %s |%n", outcomes);
    System.out.printf("| shoppers | %d (each: add to cart, then checkout) |%n", concurrency);
  }

  private static void run(String base, List<String> tokens, List<String> products, int seconds,
      List<Long> latencies, Map<String, AtomicInteger> outcomes) throws InterruptedException {
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    CountDownLatch done = new CountDownLatch(tokens.size());
    AtomicLong errors = new AtomicLong();
    for (String token : tokens) {
      Thread shopper = new Thread(() -> {
        try {
          while (System.nanoTime() < end) {
            String product = products.get(ThreadLocalRandom.current().nextInt(products.size()));
            HttpResponse<String> added = send(post(base + "/api/cart/items",
                "{\"productId\":\"" + product + "\",\"quantity\":1}", token, null));
            if (added.statusCode() != 200) {
              errors.incrementAndGet();
              continue;
            }
            long t0 = System.nanoTime();
            HttpResponse<String> order = send(post(base + "/api/orders", "", token, UUID.randomUUID().toString()));
            long took = System.nanoTime() - t0;
            if (latencies != null) {
              latencies.add(took);
              Matcher s = STATUS.matcher(order.body());
              String outcome = order.statusCode() + " " + (s.find() ? s.group(1) : "-");
              outcomes.computeIfAbsent(outcome, k -> new AtomicInteger()).incrementAndGet();
            }
          }
        } catch (Exception e) {
          errors.incrementAndGet();
        } finally {
          done.countDown();
        }
      });
      shopper.start();
    }
    done.await();
    if (errors.get() > 0) {
      System.out.printf("  (%d failed requests)%n", errors.get());
    }
  }

  private static void restock(String base, String adminToken, List<String> products) throws Exception {
    // Enough units that the run measures the saga, not out-of-stock cancellations.
    for (String id : products) {
      String product = send(get(base + "/api/products/" + id, null)).body();
      String version = product.replaceAll("(?s).*\"version\"\\s*:\\s*(\\d+).*", "$1");
      String body = product
          .replaceAll("\"stock\"\\s*:\\s*\\d+", "\"stock\":1000000")
          .replaceAll(",?\\s*\"(id|version|createdAt|updatedAt)\"\\s*:\\s*(\"[^\"]*\"|\\d+)", "")
          .replaceAll("\\{\\s*,", "{");
      HttpRequest put = HttpRequest.newBuilder(URI.create(base + "/api/products/" + id))
          .header("Authorization", "Bearer " + adminToken)
          .header("Content-Type", "application/json")
          .header("If-Match", "\"" + version + "\"")
          .PUT(HttpRequest.BodyPublishers.ofString(body)).build();
      HttpResponse<String> r = send(put);
      if (r.statusCode() != 200) {
        throw new IllegalStateException("restock of " + id + " failed: " + r.statusCode() + " " + r.body());
      }
    }
  }

  private static HttpRequest get(String url, String token) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return b.GET().build();
  }

  private static HttpRequest post(String url, String body, String token, String idempotencyKey) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
    if (!body.isEmpty()) {
      b.header("Content-Type", "application/json");
    }
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    if (idempotencyKey != null) {
      b.header("Idempotency-Key", idempotencyKey);
    }
    return b.POST(body.isEmpty() ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build();
  }

  private static HttpResponse<String> send(HttpRequest request) throws Exception {
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static void expect(HttpResponse<String> r, int status, String what) {
    if (r.statusCode() != status) {
      throw new IllegalStateException(what + " answered " + r.statusCode() + ": " + r.body());
    }
  }

  private static String env(String name, String def) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? def : v;
  }
}
