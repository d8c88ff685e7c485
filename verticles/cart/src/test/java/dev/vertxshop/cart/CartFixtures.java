package dev.vertxshop.cart;

import dev.vertxshop.catalog.CatalogService;
import dev.vertxshop.contracts.catalog.CatalogClient;
import dev.vertxshop.platform.testing.ShopTestEnv;
import dev.vertxshop.platform.boot.ShopNode;
import dev.vertxshop.contracts.Money;
import dev.vertxshop.contracts.catalog.CreateProduct;
import dev.vertxshop.contracts.catalog.ProductFields;
import dev.vertxshop.contracts.catalog.UpdateProduct;
import dev.vertxshop.contracts.orders.OrdersContract;
import dev.vertxshop.embedded.SharedInfra;
import dev.vertxshop.platform.config.DatabaseConfig;
import dev.vertxshop.platform.config.Env;
import dev.vertxshop.platform.db.Databases;
import dev.vertxshop.platform.errors.ServiceException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Shared helpers of the cart tests: the catalog products carts point at, direct pools on both schemas,
 * order events on Kafka, and bounded waiting. Blocking: call from the test thread, never an event loop.
 */
final class CartFixtures {

  static final Duration DEADLINE = Duration.ofSeconds(30);

  private CartFixtures() {
  }

  /**
   * A node running the real catalog and cart on the shared test infrastructure, with a pool on each
   * service's database, their typed clients and a fresh category: what every cart integration test starts.
   */
  record CartNode(ShopNode node, Pool cartDb, Pool catalogDb, CartJsonClient cart, CatalogClient catalog, String category) {

    static CartNode start(Map<String, String> settings) throws Exception {
      Env env = ShopTestEnv.shared(settings);
      ShopNode node = await(ShopNode.start(env, List.of(new CatalogService(), new CartService()), false));
      Pool catalogDb = catalogPool(node.vertx(), env);
      return new CartNode(node, cartPool(node.vertx(), env), catalogDb, new CartJsonClient(node.vertx(), DEADLINE),
          new CatalogClient(node.vertx(), DEADLINE), newCategory(catalogDb));
    }

    void stop() throws Exception {
      await(cartDb.close());
      await(catalogDb.close());
      await(node.stop());
    }
  }

  static Pool cartPool(Vertx vertx, Env env) {
    return Databases.pool(vertx, DatabaseConfig.from(env), CartService.NAME);
  }

  static Pool catalogPool(Vertx vertx, Env env) {
    return Databases.pool(vertx, DatabaseConfig.from(env), CatalogService.NAME);
  }

  /** The catalog has no endpoint to create categories: tests add theirs directly. */
  static String newCategory(Pool catalogDb) throws Exception {
    String id = "cart-" + UUID.randomUUID().toString().substring(0, 13);
    await(catalogDb.preparedQuery("INSERT INTO categories (id, name) VALUES ($1, $2)").execute(Tuple.of(id, "Cart tests")));
    return id;
  }

  static JsonObject newProduct(CatalogClient catalog, String category, String name, long price, int stock) throws Exception {
    String sku = "CART-" + UUID.randomUUID().toString().substring(0, 13).toUpperCase(Locale.ROOT);
    return await(catalog.createProduct(new CreateProduct(new ProductFields(sku, name, null, category, Money.eur(price), stock))))
        .toJson();
  }

  /** Replaces the fields of product {@code id} (read at {@code version}), as the catalog's update takes them; the product after. */
  static JsonObject updateProduct(CatalogClient catalog, String id, JsonObject fields, long version) throws Exception {
    return await(catalog.updateProduct(UpdateProduct.fromJson(
        new JsonObject().put("id", id).put("product", fields).put("version", version)))).toJson();
  }

  static String newUser() {
    return UUID.randomUUID().toString();
  }

  static JsonObject money(long amount) {
    return Money.eur(amount).toJson();
  }

  /** What the cart stores for a user: its version (null without a cart) and its lines, product to quantity. */
  record Stored(Long version, Instant updatedAt, Map<String, Integer> lines) {
  }

  static Stored stored(Pool cartDb, String userId) throws Exception {
    UUID user = UUID.fromString(userId);
    Row cart = await(cartDb.preparedQuery("SELECT version, updated_at FROM carts WHERE user_id = $1").execute(Tuple.of(user)))
        .stream().findFirst().orElse(null);
    Map<String, Integer> lines = new TreeMap<>();
    await(cartDb.preparedQuery("SELECT product_id, quantity FROM cart_lines WHERE user_id = $1").execute(Tuple.of(user)))
        .forEach(row -> lines.put(row.getUUID(0).toString(), row.getInteger(1)));
    return new Stored(cart == null ? null : cart.getLong(0),
        cart == null ? null : cart.getOffsetDateTime(1).toInstant(), lines);
  }

  /** Rows in the whole cart schema: a refused request must add or remove none. */
  static List<Long> schemaCounts(Pool cartDb) throws Exception {
    Row row = await(cartDb.query("SELECT (SELECT count(*) FROM carts), (SELECT coalesce(sum(version), 0) FROM carts), "
        + "(SELECT count(*) FROM cart_lines), (SELECT coalesce(sum(quantity), 0) FROM cart_lines)").execute()).iterator().next();
    return List.of(row.getLong(0), row.getLong(1), row.getLong(2), row.getLong(3));
  }

  /** The view's lines as product id to quantity. */
  static Map<String, Integer> quantities(JsonObject cart) {
    Map<String, Integer> lines = new TreeMap<>();
    cart.getJsonArray("lines").forEach(line -> lines.put(((JsonObject) line).getString("productId"),
        ((JsonObject) line).getInteger("quantity")));
    return lines;
  }

  // Order events, as the orders service's outbox relay writes them.

  /** An order event envelope (type as given) for an order of {@code userId}, lines from pairs of (productId, quantity). */
  static String orderEvent(String eventId, String type, String orderId, String userId, Object... productsAndQuantities) {
    JsonArray lines = new JsonArray();
    for (int i = 0; i < productsAndQuantities.length; i += 2) {
      lines.add(new JsonObject()
          .put("productId", productsAndQuantities[i])
          .put("name", "Ordered")
          .put("quantity", productsAndQuantities[i + 1])
          .put("unitPrice", money(100))
          .put("lineTotal", money(100L * (Integer) productsAndQuantities[i + 1])));
    }
    JsonObject order = new JsonObject()
        .put("id", orderId)
        .put("userId", userId)
        .put("status", OrdersContract.CONFIRMED)
        .put("lines", lines)
        .put("total", money(0))
        .put("createdAt", Instant.now().toString())
        .put("updatedAt", Instant.now().toString());
    return envelope(eventId, type, orderId, order);
  }

  static String envelope(String eventId, String type, String key, JsonObject data) {
    return new JsonObject().put("eventId", eventId).put("type", type).put("key", key)
        .put("occurredAt", Instant.now().toString()).put("data", data).encode();
  }

  /** Publishes to the orders topic, keyed by order id (as the relay does); answers where it landed. */
  static RecordMetadata publish(String key, String value) throws Exception {
    Properties props = new Properties();
    props.put("bootstrap.servers", SharedInfra.kafka().bootstrapServers());
    props.put("acks", "all");
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
      return producer.send(new ProducerRecord<>(OrdersContract.EVENTS_TOPIC, key, value)).get(30, TimeUnit.SECONDS);
    }
  }

  /**
   * Waits until the cart's consumer group has committed past {@code record}. The consumer commits only
   * after handling, so from then on the record's effect (or its being skipped) is observable.
   */
  static void awaitConsumed(RecordMetadata record) throws Exception {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, SharedInfra.kafka().bootstrapServers());
    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
    try (Admin admin = Admin.create(props)) {
      eventually(() -> {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(CheckoutClearing.CONSUMER)
            .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
        OffsetAndMetadata committed = offsets.get(partition);
        return committed != null && committed.offset() > record.offset() ? Boolean.TRUE : null;
      });
    }
  }

  /**
   * Calls {@code probe} until it answers non-null, or fails after {@link #DEADLINE}. A wait for a
   * condition, not a sleep standing in for an assertion: the test goes on as soon as it holds.
   */
  static <T> T eventually(Callable<T> probe) throws Exception {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    List<Throwable> failures = new ArrayList<>();
    while (true) {
      try {
        T value = probe.call();
        if (value != null) {
          return value;
        }
      } catch (Exception e) {
        failures.add(e);
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within " + DEADLINE
            + (failures.isEmpty() ? "" : "; last failure: " + failures.get(failures.size() - 1)));
      }
      Thread.sleep(50);
    }
  }

  static ServiceException failure(Future<?> future) throws Exception {
    return await(future.transform(result -> result.succeeded()
        ? Future.failedFuture(new AssertionError("expected a failure, got " + result.result()))
        : Future.succeededFuture(ServiceException.from(result.cause()))));
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
