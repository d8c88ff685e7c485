package dev.vertxshop.cart;

import static dev.vertxshop.cart.CartFixtures.await;
import static dev.vertxshop.cart.CartFixtures.eventually;
import static dev.vertxshop.cart.CartFixtures.failure;
import static dev.vertxshop.cart.CartFixtures.money;
import static dev.vertxshop.cart.CartFixtures.newUser;
import static dev.vertxshop.cart.CartFixtures.stored;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vertxshop.cart.CartFixtures.Stored;
import dev.vertxshop.contracts.cart.CartContract;
import dev.vertxshop.contracts.catalog.CatalogClient;
import dev.vertxshop.platform.boot.ShopNode;
import dev.vertxshop.platform.bus.Bus;
import dev.vertxshop.platform.errors.ErrorCode;
import dev.vertxshop.platform.errors.ServiceException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Adds under an idempotency key ({@code cart.item.add} with {@code idempotencyKey}), with the real catalog and PostgreSQL. */
@DisplayName("cart adds under an idempotency key: made once, answered again, refused for another request, pruned after the retention")
class CartIdempotencyTest {

  private static final int RACERS = 20;

  private static CartFixtures.CartNode shop;
  private static ShopNode node;
  private static Pool cartDb;
  private static Pool catalogDb;
  private static CartJsonClient cart;
  private static CatalogClient catalog;
  private static String category;

  @BeforeAll
  static void startNode() throws Exception {
    // The default retention (a day); the test ages keys itself. Only the pruning runs often.
    shop = CartFixtures.CartNode.start(Map.of("SHOP_CART_IDEMPOTENCY_PRUNE_INTERVAL", "200ms"));
    node = shop.node();
    cartDb = shop.cartDb();
    catalogDb = shop.catalogDb();
    cart = shop.cart();
    catalog = shop.catalog();
    category = shop.category();
  }

  @AfterAll
  static void stopNode() throws Exception {
    if (shop != null) {
      shop.stop();
    }
  }

  @Test
  @DisplayName("the same add sent again under its key answers the first answer (even after a price change) and changes nothing")
  void replayAnswersFirstReply() throws Exception {
    JsonObject mug = product("Mug", 1_250, 40);
    String user = newUser();
    String key = "add-" + UUID.randomUUID();

    JsonObject first = await(cart.addItem(user, id(mug), 2, key));
    assertThat(CartFixtures.quantities(first)).isEqualTo(Map.of(id(mug), 2));
    Stored afterFirst = stored(cartDb, user);

    CartFixtures.updateProduct(catalog, id(mug), new JsonObject().put("sku", mug.getString("sku")).put("name", "Mug")
        .put("category", category).put("price", money(1_500)).put("stock", 40), mug.getLong("version"));

    for (int i = 0; i < 3; i++) {
      assertThat(await(cart.addItem(user, id(mug), 2, key))).as("replay %d: the first answer, first price included", i)
          .isEqualTo(first);
    }
    assertThat(stored(cartDb, user)).as("one line, quantity, version and time unchanged").isEqualTo(afterFirst);
    assertThat(afterFirst.lines()).isEqualTo(Map.of(id(mug), 2));
    assertThat(keyRows(user)).isEqualTo(1);

    JsonObject another = await(cart.addItem(user, id(mug), 2, "add-" + UUID.randomUUID()));
    assertThat(CartFixtures.quantities(another)).as("a new key is a new add").isEqualTo(Map.of(id(mug), 4));
    JsonObject unkeyed = await(cart.addItem(user, id(mug), 1));
    assertThat(CartFixtures.quantities(unkeyed)).as("an add without a key is made every time").isEqualTo(Map.of(id(mug), 5));
  }

  @Test
  @DisplayName(RACERS + " concurrent adds under one key make exactly one change and all answer the same cart; another key beside them counts once")
  void concurrentSameKey() throws Exception {
    JsonObject pen = product("Pen", 300, 1_000);
    JsonObject ink = product("Ink", 700, 1_000);
    String user = newUser();
    String penKey = "pen-" + UUID.randomUUID();
    String inkKey = "ink-" + UUID.randomUUID();

    List<Future<JsonObject>> pens = new ArrayList<>();
    List<Future<JsonObject>> inks = new ArrayList<>();
    for (int i = 0; i < RACERS; i++) {
      pens.add(cart.addItem(user, id(pen), 3, penKey));
      inks.add(cart.addItem(user, id(ink), 1, inkKey));
    }
    await(Future.all(pens));
    await(Future.all(inks));

    assertThat(stored(cartDb, user).lines()).as("each key's add made once").isEqualTo(Map.of(id(pen), 3, id(ink), 1));
    assertThat(stored(cartDb, user).version()).as("two changes in all").isEqualTo(2L);
    assertThat(pens.stream().map(Future::result).distinct().toList()).as("one answer for every pen add").hasSize(1);
    assertThat(inks.stream().map(Future::result).distinct().toList()).as("one answer for every ink add").hasSize(1);
    assertThat(keyRows(user)).isEqualTo(2);
  }

  @Test
  @DisplayName("a key sent again with another product or quantity is UNPROCESSABLE, naming the first request, and changes nothing")
  void reuseForAnotherRequest() throws Exception {
    JsonObject lamp = product("Lamp", 4_000, 5);
    JsonObject bulb = product("Bulb", 200, 5);
    String user = newUser();
    String key = "reuse-" + UUID.randomUUID();
    await(cart.addItem(user, id(lamp), 1, key));
    Stored before = stored(cartDb, user);

    ServiceException otherQuantity = failure(cart.addItem(user, id(lamp), 2, key));
    assertThat(otherQuantity.code()).isEqualTo(ErrorCode.UNPROCESSABLE);
    assertThat(otherQuantity.getMessage()).contains(key).contains("1 units of product " + id(lamp)).contains("new key");
    ServiceException otherProduct = failure(cart.addItem(user, id(bulb), 1, key));
    assertThat(otherProduct.code()).isEqualTo(ErrorCode.UNPROCESSABLE);

    assertThat(stored(cartDb, user)).isEqualTo(before);
    assertThat(keyRows(user)).isEqualTo(1);
  }

  @Test
  @DisplayName("a key is its user's: the same key text of another user is that user's own add")
  void keysPerUser() throws Exception {
    JsonObject cup = product("Cup", 500, 50);
    String alice = newUser();
    String bob = newUser();
    String key = "shared-" + UUID.randomUUID();
    await(cart.addItem(alice, id(cup), 2, key));
    JsonObject bobs = await(cart.addItem(bob, id(cup), 5, key));
    assertThat(bobs.getString("userId")).isEqualTo(bob);
    assertThat(stored(cartDb, alice).lines()).isEqualTo(Map.of(id(cup), 2));
    assertThat(stored(cartDb, bob).lines()).isEqualTo(Map.of(id(cup), 5));
  }

  @Test
  @DisplayName("a refused add stores no key: after the cause is gone, the same key makes the add")
  void refusedAddStoresNoKey() throws Exception {
    JsonObject plate = product("Plate", 900, 50);
    String user = newUser();
    String key = "refused-" + UUID.randomUUID();
    await(cart.setItem(user, id(plate), CartContract.MAX_QUANTITY));
    Stored full = stored(cartDb, user);
    assertThat(failure(cart.addItem(user, id(plate), 1, key)).code()).as("over 99 units").isEqualTo(ErrorCode.BAD_REQUEST);
    assertThat(failure(cart.addItem(user, UUID.randomUUID().toString(), 1, key)).code()).isEqualTo(ErrorCode.NOT_FOUND);
    assertThat(keyRows(user)).isZero();
    assertThat(stored(cartDb, user)).isEqualTo(full);

    await(cart.setItem(user, id(plate), 10));
    assertThat(CartFixtures.quantities(await(cart.addItem(user, id(plate), 1, key)))).isEqualTo(Map.of(id(plate), 11));
    assertThat(CartFixtures.quantities(await(cart.addItem(user, id(plate), 1, key)))).isEqualTo(Map.of(id(plate), 11));
  }

  @Test
  @DisplayName("an idempotencyKey that is not 1..64 visible ASCII characters is BAD_REQUEST, and nothing is written")
  void invalidKeys() throws Exception {
    JsonObject bowl = product("Bowl", 800, 50);
    String user = newUser();
    List<Object> keys = List.of("", "a".repeat(CartContract.MAX_KEY_LENGTH + 1), "with space", "tab\t", "é", 42, true,
        new JsonObject());
    for (Object key : keys) {
      JsonObject body = new JsonObject().put("userId", user).put("productId", id(bowl)).put("quantity", 1).put("idempotencyKey", key);
      ServiceException refused = failure(Bus.request(node.vertx(), CartContract.ADD_ITEM.address(), body, CartFixtures.DEADLINE));
      assertThat(refused.code()).as("key %s", key).isEqualTo(ErrorCode.BAD_REQUEST);
      assertThat(refused.getMessage()).as("key %s", key).contains("idempotencyKey");
    }
    assertThat(stored(cartDb, user).version()).as("no cart").isNull();
    assertThat(keyRows(user)).isZero();
    String longest = "k".repeat(CartContract.MAX_KEY_LENGTH);
    assertThat(CartFixtures.quantities(await(cart.addItem(user, id(bowl), 1, longest)))).isEqualTo(Map.of(id(bowl), 1));
  }

  @Test
  @DisplayName("a key older than the retention is pruned (counted in metrics), and the same key is then a new add; a recent key stays")
  void oldKeysArePruned() throws Exception {
    JsonObject fork = product("Fork", 100, 50);
    String user = newUser();
    String oldKey = "old-" + UUID.randomUUID();
    String recentKey = "recent-" + UUID.randomUUID();
    await(cart.addItem(user, id(fork), 1, oldKey));
    await(cart.addItem(user, id(fork), 1, recentKey));
    double prunedBefore = metric("shop_cart_idempotency_keys_pruned_total");

    long aged = await(cartDb.preparedQuery("UPDATE idempotency_keys SET created_at = now() - interval '25 hours' "
        + "WHERE user_id = $1 AND idem_key = $2").execute(Tuple.of(UUID.fromString(user), oldKey))).rowCount();
    assertThat(aged).isEqualTo(1);
    eventually(() -> keyExists(user, oldKey) ? null : Boolean.TRUE);

    assertThat(keyExists(user, recentKey)).as("a key younger than the retention").isTrue();
    assertThat(metric("shop_cart_idempotency_keys_pruned_total")).isGreaterThan(prunedBefore);
    assertThat(CartFixtures.quantities(await(cart.addItem(user, id(fork), 1, oldKey)))).as("a pruned key is a new add")
        .isEqualTo(Map.of(id(fork), 3));
    assertThat(CartFixtures.quantities(await(cart.addItem(user, id(fork), 1, recentKey)))).as("a kept key still answers")
        .isEqualTo(Map.of(id(fork), 2));
  }

  private static long keyRows(String user) throws Exception {
    return await(cartDb.preparedQuery("SELECT count(*) FROM idempotency_keys WHERE user_id = $1")
        .execute(Tuple.of(UUID.fromString(user)))).iterator().next().getLong(0);
  }

  private static boolean keyExists(String user, String key) throws Exception {
    return await(cartDb.preparedQuery("SELECT count(*) FROM idempotency_keys WHERE user_id = $1 AND idem_key = $2")
        .execute(Tuple.of(UUID.fromString(user), key))).iterator().next().getLong(0) == 1;
  }

  private static double metric(String name) throws Exception {
    HttpClientAgent http = node.vertx().createHttpClient();
    try {
      String scrape = await(http.request(HttpMethod.GET, node.opsPort(), "127.0.0.1", "/metrics")
          .compose(request -> request.send().compose(HttpClientResponse::body))).toString();
      for (String line : scrape.split("\n")) {
        if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
          return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
      }
      return 0;
    } finally {
      await(http.close());
    }
  }

  private static JsonObject product(String name, long price, int stock) throws Exception {
    return CartFixtures.newProduct(catalog, category, name, price, stock);
  }

  private static String id(JsonObject product) {
    return product.getString("id");
  }
}
