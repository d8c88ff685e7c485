package dev.vertxshop.cart;

import static dev.vertxshop.cart.CartFixtures.await;
import static dev.vertxshop.cart.CartFixtures.failure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vertxshop.contracts.Money;
import dev.vertxshop.contracts.cart.AddItem;
import dev.vertxshop.contracts.cart.Cart;
import dev.vertxshop.contracts.cart.CartClient;
import dev.vertxshop.contracts.cart.CartContract;
import dev.vertxshop.contracts.cart.GetCart;
import dev.vertxshop.contracts.cart.RemoveItem;
import dev.vertxshop.contracts.cart.SetItem;
import dev.vertxshop.platform.bus.Bus;
import dev.vertxshop.platform.bus.BusMessage;
import dev.vertxshop.platform.bus.Route;
import dev.vertxshop.platform.errors.ErrorCode;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The cart's contract from the client's side, against the real handlers over PostgreSQL and the real catalog: every
 * route accepts what the typed {@link CartClient} sends, its replies read back with the client's records, and the
 * same request sent as its JSON (as it is on the wire, or from a client without the records) is served the same way.
 */
@DisplayName("cart contract: the handlers take what the typed client sends, and the replies read with its records")
class CartContractTest {

  private static CartFixtures.CartNode shop;
  private static CartClient client;

  @BeforeAll
  static void startNode() throws Exception {
    shop = CartFixtures.CartNode.start(Map.of());
    client = new CartClient(shop.node().vertx(), CartFixtures.DEADLINE);
  }

  @AfterAll
  static void stopNode() throws Exception {
    if (shop != null) {
      shop.stop();
    }
  }

  @Test
  @DisplayName("get, add, keyed add, set and remove through the typed client: each reply a Cart that reads back equal")
  void everyRoute() throws Exception {
    UUID user = UUID.randomUUID();
    JsonObject lamp = product("Contract lamp", 1_999, 4);
    JsonObject bulb = product("Contract bulb", 250, 100);
    UUID lampId = UUID.fromString(lamp.getString("id"));
    UUID bulbId = UUID.fromString(bulb.getString("id"));

    Cart empty = await(client.get(new GetCart(user)));
    assertThat(empty).isEqualTo(Cart.empty(user, Money.EUR));
    readsBack(CartContract.GET, empty);

    Cart added = await(client.addItem(new AddItem(user, lampId, 2)));
    assertThat(added.lines()).containsExactly(new Cart.Line(lampId, "Contract lamp", 2, Money.eur(1_999), Money.eur(3_998), 4));
    assertThat(added.total()).isEqualTo(Money.eur(3_998));
    assertThat(added.itemCount()).isEqualTo(2);
    assertThat(added.updatedAt()).isNotNull();
    readsBack(CartContract.ADD_ITEM, added);

    AddItem keyed = new AddItem(user, bulbId, 3, "contract-" + UUID.randomUUID());
    Cart first = await(client.addItem(keyed));
    assertThat(first.lines()).extracting(Cart.Line::productId).containsExactly(lampId, bulbId);
    assertThat(first.total()).isEqualTo(Money.eur(3_998 + 750));
    readsBack(CartContract.ADD_ITEM_KEYED, first);
    // The replay is the reply stored as JSON in the key's row, read back with the same record.
    assertThat(await(client.addItem(keyed))).as("the first answer again").isEqualTo(first);

    Cart set = await(client.setItem(new SetItem(user, lampId, 5)));
    assertThat(set.lines().get(0).quantity()).isEqualTo(5);
    assertThat(set.itemCount()).isEqualTo(8);
    readsBack(CartContract.SET_ITEM, set);

    Cart removed = await(client.removeItem(new RemoveItem(user, bulbId)));
    assertThat(removed.lines()).extracting(Cart.Line::productId).containsExactly(lampId);
    assertThat(removed.total()).isEqualTo(Money.eur(5 * 1_999));
    readsBack(CartContract.REMOVE_ITEM, removed);
    assertThat(await(client.get(new GetCart(user)))).isEqualTo(removed);

    Cart zero = await(client.setItem(new SetItem(user, lampId, 0)));
    assertThat(zero.lines()).isEmpty();
    assertThat(zero.total()).isEqualTo(Money.eur(0));
    assertThat(zero.updatedAt()).as("the cart exists now").isNotNull();
    readsBack(CartContract.SET_ITEM, zero);
  }

  @Test
  @DisplayName("the handlers' failures reach the typed client as their codes: NOT_FOUND for an unknown product or a missing line")
  void failuresKeepTheirCodes() throws Exception {
    UUID user = UUID.randomUUID();
    assertThat(failure(client.addItem(new AddItem(user, UUID.randomUUID(), 1))).code()).isEqualTo(ErrorCode.NOT_FOUND);
    assertThat(failure(client.removeItem(new RemoveItem(user, UUID.randomUUID()))).code()).isEqualTo(ErrorCode.NOT_FOUND);
  }

  @Test
  @DisplayName("a request sent as its JSON is served as the record: the same cart for a get and for a keyed add sent again")
  void jsonIsTheSameRequest() throws Exception {
    UUID user = UUID.randomUUID();
    UUID chair = UUID.fromString(product("Contract chair", 4_999, 3).getString("id"));
    AddItem keyed = new AddItem(user, chair, 1, "json-" + UUID.randomUUID());
    Cart typed = await(client.addItem(keyed));
    Object again = await(Bus.request(shop.node().vertx(), CartContract.ADD_ITEM.address(), keyed.toJson(), CartFixtures.DEADLINE));
    assertThat(CartContract.ADD_ITEM.readReply().apply(CartJsonClient.json(again))).isEqualTo(typed);

    GetCart get = new GetCart(user);
    Object reply = await(Bus.request(shop.node().vertx(), CartContract.GET.address(), get.toJson(), CartFixtures.DEADLINE));
    assertThat(CartContract.GET.readReply().apply(CartJsonClient.json(reply))).isEqualTo(await(client.get(get)));
  }

  /** What the handler answered, written as JSON and read with the route's reply reader, is the same record. */
  private static <R> void readsBack(Route<?, R> route, R reply) {
    JsonObject json = new JsonObject(((BusMessage) reply).toJson().encode());
    assertThat(route.readReply().apply(json)).as(route.address()).isEqualTo(reply);
  }

  private static JsonObject product(String name, long price, int stock) throws Exception {
    return CartFixtures.newProduct(shop.catalog(), shop.category(), name, price, stock);
  }
}
