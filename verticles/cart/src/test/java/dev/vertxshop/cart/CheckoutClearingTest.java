package dev.vertxshop.cart;

import static dev.vertxshop.cart.CartFixtures.await;
import static dev.vertxshop.cart.CartFixtures.awaitConsumed;
import static dev.vertxshop.cart.CartFixtures.newUser;
import static dev.vertxshop.cart.CartFixtures.orderEvent;
import static dev.vertxshop.cart.CartFixtures.publish;
import static dev.vertxshop.cart.CartFixtures.quantities;
import static dev.vertxshop.cart.CartFixtures.stored;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vertxshop.cart.CartFixtures.Stored;
import dev.vertxshop.contracts.catalog.CatalogClient;
import dev.vertxshop.contracts.orders.OrdersContract;
import dev.vertxshop.platform.boot.ShopNode;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Order events published to {@code shop.orders.events} the way the orders relay writes them, consumed
 * by the cart's consumer group in a node running the real catalog and cart. Each test waits until the
 * group committed past its last record, so "nothing happened" is an observation, not a timeout.
 */
@DisplayName("clearing checked-out units from carts on OrderConfirmed")
class CheckoutClearingTest {

  private static CartFixtures.CartNode shop;
  private static ShopNode node;
  private static Pool cartDb;
  private static Pool catalogDb;
  private static CartJsonClient cart;
  private static CatalogClient catalog;
  private static String category;

  @BeforeAll
  static void startNode() throws Exception {
    shop = CartFixtures.CartNode.start(Map.of());
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
  @DisplayName("the ordered units leave the cart exactly once, even when the event comes twice; units added after checkout stay")
  void subtractsOnceAndKeepsLaterLines() throws Exception {
    String book = product("Book");
    String pen = product("Pen");
    String bag = product("Bag");
    String user = newUser();
    // Checked out: 2 books and 1 pen.
    await(cart.addItem(user, book, 2));
    await(cart.addItem(user, pen, 1));
    // Added after checking out, before the confirmation arrives: 1 more book and 4 bags.
    await(cart.addItem(user, book, 1));
    await(cart.addItem(user, bag, 4));

    String order = UUID.randomUUID().toString();
    String event = orderEvent(UUID.randomUUID().toString(), OrdersContract.ORDER_CONFIRMED, order, user, book, 2, pen, 1);
    publish(order, event);
    RecordMetadata duplicate = publish(order, event);
    awaitConsumed(duplicate);

    assertThat(quantities(await(cart.get(user)))).isEqualTo(Map.of(book, 1, bag, 4));
    assertThat(stored(cartDb, user).lines()).isEqualTo(Map.of(book, 1, bag, 4));
    assertThat(inboxHas(event)).isTrue();
  }

  @Test
  @DisplayName("other event types, other users' orders and orders of users without a cart change nothing")
  void touchesOnlyTheConfirmedUsersCart() throws Exception {
    String shared = product("Shared");
    String alice = newUser();
    String bob = newUser();
    String nobody = newUser();
    await(cart.addItem(alice, shared, 3));
    await(cart.addItem(bob, shared, 3));
    Stored bobBefore = stored(cartDb, bob);

    String order = UUID.randomUUID().toString();
    publish(order, orderEvent(UUID.randomUUID().toString(), OrdersContract.ORDER_PLACED, order, alice, shared, 3));
    publish(order, orderEvent(UUID.randomUUID().toString(), OrdersContract.ORDER_CANCELLED, order, alice, shared, 3));
    String other = UUID.randomUUID().toString();
    publish(other, orderEvent(UUID.randomUUID().toString(), OrdersContract.ORDER_CONFIRMED, other, nobody, shared, 1));
    RecordMetadata last = publish(order, orderEvent(UUID.randomUUID().toString(), OrdersContract.ORDER_CONFIRMED, order, alice,
        shared, 1));
    awaitConsumed(last);
    awaitConsumed(publish(other, orderEvent(UUID.randomUUID().toString(), "OrderShipped", other, nobody, shared, 1)));

    assertThat(stored(cartDb, alice).lines()).as("only the confirmation counted").isEqualTo(Map.of(shared, 2));
    assertThat(stored(cartDb, bob)).isEqualTo(bobBefore);
    assertThat(stored(cartDb, nobody).version()).as("no cart is made for a user who had none").isNull();
  }

  @Test
  @DisplayName("a malformed OrderConfirmed is skipped without blocking the events behind it")
  void malformedEventSkipped() throws Exception {
    String tent = product("Tent");
    String user = newUser();
    await(cart.addItem(user, tent, 2));
    String order = UUID.randomUUID().toString();

    JsonObject noUser = new JsonObject().put("id", order).put("lines", new io.vertx.core.json.JsonArray());
    publish(order, CartFixtures.envelope(UUID.randomUUID().toString(), OrdersContract.ORDER_CONFIRMED, order, noUser));
    publish(order, orderEvent("not-a-uuid", OrdersContract.ORDER_CONFIRMED, order, user, tent, 2));
    publish(order, orderEvent(UUID.randomUUID().toString(), OrdersContract.ORDER_CONFIRMED, order, user, tent, 0));
    publish(order, "{not json");
    RecordMetadata valid = publish(order, orderEvent(UUID.randomUUID().toString(), OrdersContract.ORDER_CONFIRMED, order, user,
        tent, 1));
    awaitConsumed(valid);

    assertThat(stored(cartDb, user).lines()).isEqualTo(Map.of(tent, 1));
  }

  private static String product(String name) throws Exception {
    return CartFixtures.newProduct(catalog, category, name, 1_000, 100).getString("id");
  }

  private static boolean inboxHas(String envelope) throws Exception {
    UUID eventId = UUID.fromString(new JsonObject(envelope).getString("eventId"));
    return await(cartDb.preparedQuery("SELECT count(*) FROM inbox WHERE consumer = $1 AND event_id = $2")
        .execute(Tuple.of(CheckoutClearing.CONSUMER, eventId))).iterator().next().getLong(0) == 1;
  }
}
