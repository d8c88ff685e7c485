package dev.vertxshop.hardening.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vertxshop.hardening.security.ApiFuzzer.Fuzzed;
import dev.vertxshop.hardening.security.ApiFuzzer.Operation;
import dev.vertxshop.hardening.security.Shop.Response;
import dev.vertxshop.hardening.security.Shop.User;
import dev.vertxshop.audit.Baseline;
import dev.vertxshop.audit.InvariantChecker;
import dev.vertxshop.audit.InvariantReport;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Thousands of seeded random and malformed requests over every route of the OpenAPI document, against the
 * whole shop: not one answer may be a 5xx, and once quiet the checkout invariant must hold (no order left
 * PENDING, stock and captures consistent). {@code -Dshop.fuzz.seed}, {@code -Dshop.fuzz.requests} and
 * {@code -Dshop.fuzz.concurrency} change the run; the seed is printed with the figures.
 */
@DisplayName("API fuzz: thousands of random and malformed requests, no 5xx, no stuck saga")
class ApiFuzzIT {

  private static final long SEED = Long.getLong("shop.fuzz.seed", 20_260_421L);
  private static final int REQUESTS = Integer.getInteger("shop.fuzz.requests", 3_000);
  private static final int CONCURRENCY = Integer.getInteger("shop.fuzz.concurrency", 6);

  private static Shop shop;
  private static Pool audit;
  private static InvariantChecker checker;

  @BeforeAll
  static void start() {
    shop = Shop.start(Map.of("SHOP_GATEWAY_BREAKER_MAX_FAILURES", "1000"));
    audit = shop.pool("orders");
    checker = new InvariantChecker(shop.node.vertx(), audit, shop.providerAdminUrl());
  }

  @AfterAll
  static void stop() {
    if (checker != null) {
      Shop.await(checker.close());
    }
    if (audit != null) {
      Shop.await(audit.close());
    }
    if (shop != null) {
      shop.close();
    }
  }

  @Test
  @DisplayName("every operation, valid and malformed: 0 answers >= 500, every request answered, invariants hold once quiet")
  void fuzz() throws Exception {
    List<Operation> operations = ApiFuzzer.operations(shop.get("/api/openapi.json", null).json());
    User alice = shop.newUser("fuzz-alice");
    User bob = shop.newUser("fuzz-bob");
    List<String> products = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      products.add(shop.createProduct(500 + 700L * i, 100_000));
    }
    List<String> adminProducts = List.of(shop.createProduct(1_000, ApiFuzzer.ADMIN_STOCK),
        shop.createProduct(2_000, ApiFuzzer.ADMIN_STOCK));
    String kid = Tokens.header(alice.token()).getString("kid");
    long now = System.currentTimeMillis() / 1000;
    JsonObject claims = Tokens.claims(alice.id(), now, now + 600);
    List<String> forged = List.of(
        Tokens.rs256(shop.jwtKeys.getPrivate(), kid, Tokens.claims(alice.id(), now - 7200, now - 3600)),
        Tokens.none(kid, claims, true),
        Tokens.hs256(shop.jwtKeys.getPublic().getEncoded(), kid, claims),
        Tokens.hs256(("-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(shop.jwtKeys.getPublic().getEncoded())
            + "\n-----END PUBLIC KEY-----\n").getBytes(StandardCharsets.US_ASCII), kid, claims),
        Tokens.withClaims(alice.token(), Tokens.claims(alice.token()).put("sub", bob.id())),
        "not.a.jwt", "");
    List<String> orderIds = new CopyOnWriteArrayList<>();
    ApiFuzzer fuzzer = new ApiFuzzer(SEED, operations, new ApiFuzzer.Context(shop.adminToken, List.of(alice.token(), bob.token()),
        forged, products, adminProducts, List.of(alice.email(), bob.email(), "nobody@example.com"), Shop.CATEGORY, orderIds));
    Baseline baseline = Shop.await(checker.baseline());

    Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
    Map<String, LongAdder> categories = new ConcurrentHashMap<>();
    Map<String, LongAdder> byOperation = new ConcurrentHashMap<>();
    ConcurrentLinkedQueue<String> serverErrors = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<String> unanswered = new ConcurrentLinkedQueue<>();
    AtomicInteger checkouts = new AtomicInteger();
    Semaphore inFlight = new Semaphore(CONCURRENCY);
    long start = System.nanoTime();
    for (int i = 0; i < REQUESTS; i++) {
      Fuzzed fuzzed = fuzzer.next();
      inFlight.acquire();
      categories.computeIfAbsent(fuzzed.category(), k -> new LongAdder()).increment();
      byOperation.computeIfAbsent(fuzzed.operation(), k -> new LongAdder()).increment();
      shop.sendAsync(fuzzed.request()).onComplete(response -> {
        try {
          statuses.computeIfAbsent(response.status(), k -> new LongAdder()).increment();
          if (response.status() >= 500 && serverErrors.size() < 20) {
            serverErrors.add(fuzzed.category() + " " + fuzzed.request() + " -> " + response.status() + " " + shorten(response.text()));
          }
          if (fuzzed.request().method() == HttpMethod.POST && fuzzed.request().uri().equals("/api/orders")
              && (response.status() == 201 || response.status() == 202)) {
            checkouts.incrementAndGet();
            orderIds.add(response.json().getString("id"));
          }
        } finally {
          inFlight.release();
        }
      }, failure -> {
        unanswered.add(fuzzed.category() + " " + fuzzed.request() + ": " + failure);
        inFlight.release();
      });
    }
    assertThat(inFlight.tryAcquire(CONCURRENCY, 2, TimeUnit.MINUTES)).as("every request finished").isTrue();
    inFlight.release(CONCURRENCY);
    double seconds = (System.nanoTime() - start) / 1e9;

    Shop.await(checker.awaitQuiet(baseline, Duration.ofSeconds(90)), Duration.ofSeconds(120));
    InvariantReport report = Shop.await(checker.check(baseline));

    System.out.printf("API fuzz: seed %d, %d requests in %.1f s (%.0f/s, %d in flight), %d operations of the document%n", SEED,
        REQUESTS, seconds, REQUESTS / seconds, CONCURRENCY, operations.size());
    System.out.printf("  status histogram: %s%n", histogram(statuses));
    System.out.printf("  by kind: %s%n", counts(categories));
    System.out.printf("  by operation: %s%n", counts(byOperation));
    System.out.printf("  checkouts accepted: %d; orders since the baseline by status: %s; invariant violations: %d%n",
        checkouts.get(), new TreeMap<>(report.ordersByStatus()), report.violations().size());
    serverErrors.forEach(error -> System.out.printf("  5xx: %s%n", error));
    unanswered.stream().limit(10).forEach(error -> System.out.printf("  unanswered: %s%n", error));

    assertThat(serverErrors).as("answers >= 500").isEmpty();
    assertThat(statuses.keySet()).allSatisfy(status -> assertThat(status).isLessThan(500));
    assertThat(unanswered).as("requests without an answer").isEmpty();
    long answered = statuses.values().stream().mapToLong(LongAdder::sum).sum();
    assertThat(answered).isEqualTo(REQUESTS);
    assertThat(byOperation.keySet()).as("every operation of the document was fuzzed")
        .containsAll(operations.stream().map(Operation::id).toList());
    assertThat(checkouts.get()).as("real checkouts ran during the fuzz").isPositive();
    assertThat(statuses).as("successes too, not only refusals").containsKeys(200, 201);
    assertThat(report.orders("PENDING")).as("no PENDING order once quiet").isZero();
    assertThat(report.violations()).as(report.toString()).isEmpty();
  }

  private static String histogram(Map<Integer, LongAdder> statuses) {
    StringBuilder out = new StringBuilder();
    new TreeMap<>(statuses).forEach((status, count) -> out.append(out.length() == 0 ? "" : ", ").append(status).append('=')
        .append(count.sum()));
    return out.toString();
  }

  private static String counts(Map<String, LongAdder> counts) {
    StringBuilder out = new StringBuilder();
    new TreeMap<>(counts).forEach((name, count) -> out.append(out.length() == 0 ? "" : ", ").append(name).append('=')
        .append(count.sum()));
    return out.toString();
  }

  private static String shorten(String text) {
    return text.length() > 200 ? text.substring(0, 200) + "..." : text;
  }
}
