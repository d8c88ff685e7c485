package dev.vertxshop.search;

import static dev.vertxshop.search.SearchFixtures.await;
import static dev.vertxshop.search.SearchFixtures.product;
import static dev.vertxshop.search.SearchFixtures.publish;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vertxshop.contracts.catalog.CatalogContract;
import dev.vertxshop.contracts.search.SearchContract;
import dev.vertxshop.platform.boot.ShopNode;
import dev.vertxshop.platform.bus.Bus;
import dev.vertxshop.platform.config.Env;
import dev.vertxshop.platform.config.KafkaConfig;
import dev.vertxshop.platform.errors.ServiceException;
import dev.vertxshop.platform.kafka.Topics;
import dev.vertxshop.platform.testing.ShopTestEnv;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * search.query under a flood, against a node with one Lucene worker and a queue of 100: what does not fit
 * is refused at once, and what waited past its caller's deadline is not run.
 */
@DisplayName("search.query: a bounded queue and the caller's deadline")
class SearchLimitsTest {

  private static final int QUEUE = 100;

  private static ShopNode node;

  @BeforeAll
  static void start() throws Exception {
    Env env = ShopTestEnv.shared(Map.of("SHOP_SEARCH_WORKERS", "1", "SHOP_SEARCH_QUERY_QUEUE", String.valueOf(QUEUE)));
    Vertx admin = Vertx.vertx();
    try {
      await(Topics.ensure(admin, KafkaConfig.from(env), List.of(Topics.compacted(CatalogContract.PRODUCTS_TOPIC, KafkaConfig.from(env)))));
    } finally {
      await(admin.close());
    }
    // Enough products that a query sorting and counting facets over all of them takes a worker some time.
    String category = SearchFixtures.uniqueCategory("flood");
    List<JsonObject> products = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      products.add(product(UUID.randomUUID().toString(), "Flood item " + i, "", category + (i % 50), 100 + i, 1));
    }
    try (KafkaProducer<String, String> producer = SearchFixtures.producer(env)) {
      publish(producer, products);
    }
    node = await(ShopNode.start(env, List.of(new SearchService()), false));
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) {
      await(node.stop());
    }
  }

  @Test
  @DisplayName("a burst of 600 queries: what does not fit in the queue is refused TOO_MANY_REQUESTS at once, the rest answered, none hangs")
  void floodRefused() throws Exception {
    double before = refused("busy");
    Map<String, Integer> outcomes = await(burst(600, Duration.ofSeconds(30)));
    assertThat(outcomes.getOrDefault("ok", 0)).as("queries answered").isPositive();
    assertThat(outcomes.getOrDefault("too_many_requests", 0)).as("queries refused, busy").isPositive();
    assertThat(outcomes.keySet()).as("answered or refused, nothing else (no timeout)").containsOnly("ok", "too_many_requests");
    assertThat(refused("busy") - before).isEqualTo((double) outcomes.get("too_many_requests"));
  }

  @Test
  @DisplayName("queries queued behind 80 others past their 50 ms deadline are refused DEADLINE_EXCEEDED when their turn comes, not run")
  void lateQueriesNotRun() throws Exception {
    double before = refused("deadline");
    long started = System.nanoTime();
    Future<Map<String, Integer>> patient = burst(80, Duration.ofSeconds(30));
    Future<Map<String, Integer>> hurried = burst(10, Duration.ofMillis(50));
    Map<String, Integer> first = await(patient);
    long tookMs = (System.nanoTime() - started) / 1_000_000;
    await(hurried);
    // The hurried callers time out at 50 ms whatever happens; what matters is that the worker skipped them.
    assertThat(first).as("the 80 patient queries answered in " + tookMs + " ms").containsExactly(Map.entry("ok", 80));
    assertThat(tookMs).as("the queue takes longer than the hurried deadline (else this test proves nothing)").isGreaterThan(50);
    assertThat(refused("deadline") - before).as("hurried queries not run because their deadline had passed while queued")
        .isPositive();
  }

  /** {@code count} queries sent at once; completes with the outcome of each, by error key ("ok" for an answer). */
  private static Future<Map<String, Integer>> burst(int count, Duration deadline) {
    JsonObject heavy = new JsonObject().put("sort", "name").put("size", 100);
    List<Future<Object>> answers = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      answers.add(Bus.request(node.vertx(), SearchContract.QUERY.address(), heavy, deadline));
    }
    return Future.join(answers).otherwiseEmpty().map(done -> {
      Map<String, Integer> outcomes = new TreeMap<>();
      for (Future<Object> answer : answers) {
        String key = answer.succeeded() ? "ok" : ServiceException.from(answer.cause()).code().key();
        outcomes.merge(key, 1, Integer::sum);
      }
      return outcomes;
    });
  }

  private static double refused(String reason) {
    Counter counter = node.meterRegistry().find("shop.search.queries.refused").tag("reason", reason).counter();
    return counter == null ? 0 : counter.count();
  }
}
