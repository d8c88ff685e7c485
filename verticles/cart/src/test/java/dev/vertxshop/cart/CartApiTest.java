package dev.vertxshop.cart;

import static dev.vertxshop.cart.CartFixtures.await;
import static dev.vertxshop.cart.CartFixtures.failure;
import static dev.vertxshop.cart.CartFixtures.money;
import static dev.vertxshop.cart.CartFixtures.newUser;
import static dev.vertxshop.cart.CartFixtures.quantities;
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
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The cart API over the event bus, with the real catalog in the same node and both schemas in PostgreSQL. */
@DisplayName("cart event-bus API (cart.*) with the real catalog")
class CartApiTest {

  private static CartFixtures.CartNode shop;
  private static ShopNode node;
  private static Pool cartDb;
  private static Pool catalogDb;
  private static CartJsonClient cart;
  private static CatalogClient catalog;
  private static String category;
  /** A product that the validation cases aim at; they must never put it into a cart. */
  private static JsonObject target;

  @BeforeAll
  static void startNode() throws Exception {
    shop = CartFixtures.CartNode.start(Map.of());
    node = shop.node();
    cartDb = shop.cartDb();
    catalogDb = shop.catalogDb();
    cart = shop.cart();
    catalog = shop.catalog();
    category = shop.category();
    target = product("Target", 100, 10);
  }

  @AfterAll
  static void stopNode() throws Exception {
    if (shop != null) {
      shop.stop();
    }
  }

  @Test
  @DisplayName("add, add again, set, set 0 and remove: every reply is the priced cart, with line totals and the total")
  void addSetRemoveView() throws Exception {
    JsonObject headphones = product("Headphones", 1_999, 5);
    JsonObject cable = product("Cable", 250, 100);
    String user = newUser();

    JsonObject afterAdd = await(cart.addItem(user, id(headphones), 2));
    assertThat(afterAdd.getString("userId")).isEqualTo(user);
    assertThat(afterAdd.getJsonArray("lines")).containsExactly(line(headphones, 2, 3_998, 5));
    assertThat(afterAdd.getJsonObject("total")).isEqualTo(money(3_998));
    assertThat(afterAdd.getInteger("itemCount")).isEqualTo(2);
    assertThat(Instant.parse(afterAdd.getString("updatedAt"))).isNotNull();
    assertThat(afterAdd.fieldNames()).containsExactlyInAnyOrder("userId", "lines", "total", "itemCount", "updatedAt");

    JsonObject afterSecond = await(cart.addItem(user, id(cable), 3));
    assertThat(afterSecond.getJsonArray("lines")).as("lines in the order they were added")
        .containsExactly(line(headphones, 2, 3_998, 5), line(cable, 3, 750, 100));
    assertThat(afterSecond.getJsonObject("total")).isEqualTo(money(4_748));
    assertThat(afterSecond.getInteger("itemCount")).isEqualTo(5);

    JsonObject afterMore = await(cart.addItem(user, id(headphones), 1));
    assertThat(quantities(afterMore)).isEqualTo(Map.of(id(headphones), 3, id(cable), 3));
    assertThat(afterMore.getJsonArray("lines").getJsonObject(0)).as("adding to a line keeps its place")
        .isEqualTo(line(headphones, 3, 5_997, 5));
    assertThat(afterMore.getJsonObject("total")).isEqualTo(money(6_747));

    JsonObject afterSet = await(cart.setItem(user, id(cable), 10));
    assertThat(quantities(afterSet)).isEqualTo(Map.of(id(headphones), 3, id(cable), 10));
    assertThat(afterSet.getJsonObject("total")).isEqualTo(money(5_997 + 2_500));
    assertThat(afterSet.getInteger("itemCount")).isEqualTo(13);

    JsonObject afterSetZero = await(cart.setItem(user, id(headphones), 0));
    assertThat(afterSetZero.getJsonArray("lines")).containsExactly(line(cable, 10, 2_500, 100));
    assertThat(afterSetZero.getJsonObject("total")).isEqualTo(money(2_500));

    JsonObject afterRemove = await(cart.removeItem(user, id(cable)));
    assertThat(afterRemove.getJsonArray("lines")).isEmpty();
    assertThat(afterRemove.getJsonObject("total")).isEqualTo(money(0));
    assertThat(afterRemove.getInteger("itemCount")).isZero();

    assertThat(await(cart.get(user))).as("get answers what the last write answered").isEqualTo(afterRemove);
    assertThat(stored(cartDb, user).version()).as("one version per change").isEqualTo(6L);
  }

  @Test
  @DisplayName("the view uses the catalog's current price and stock, and allows more units than in stock, reporting 'available'")
  void currentPrices() throws Exception {
    JsonObject lamp = product("Lamp", 4_000, 2);
    String user = newUser();
    JsonObject added = await(cart.addItem(user, id(lamp), 5));
    assertThat(added.getJsonArray("lines")).containsExactly(line(lamp, 5, 20_000, 2));

    CartFixtures.updateProduct(catalog, id(lamp), new JsonObject()
        .put("sku", lamp.getString("sku")).put("name", "Lamp").put("category", category)
        .put("price", money(3_500)).put("stock", 7), lamp.getLong("version"));

    JsonObject now = await(cart.get(user));
    assertThat(now.getJsonArray("lines").getJsonObject(0).getJsonObject("unitPrice")).isEqualTo(money(3_500));
    assertThat(now.getJsonArray("lines").getJsonObject(0).getJsonObject("lineTotal")).isEqualTo(money(17_500));
    assertThat(now.getJsonArray("lines").getJsonObject(0).getInteger("available")).isEqualTo(7);
    assertThat(now.getJsonObject("total")).isEqualTo(money(17_500));
  }

  @Test
  @DisplayName("a line whose product no longer exists is left out of the view and the total")
  void vanishedProductDropped() throws Exception {
    JsonObject kept = product("Kept", 1_000, 5);
    JsonObject gone = product("Gone", 9_000, 5);
    String user = newUser();
    await(cart.addItem(user, id(kept), 1));
    await(cart.addItem(user, id(gone), 1));
    // The catalog has no delete endpoint; the row goes the way an operator would remove it.
    await(catalogDb.preparedQuery("DELETE FROM products WHERE id = $1").execute(Tuple.of(UUID.fromString(id(gone)))));

    JsonObject view = await(cart.get(user));
    assertThat(view.getJsonArray("lines")).containsExactly(line(kept, 1, 1_000, 5));
    assertThat(view.getJsonObject("total")).isEqualTo(money(1_000));
    assertThat(view.getInteger("itemCount")).isEqualTo(1);
  }

  @Test
  @DisplayName("a user without a cart gets an empty one, and asking creates nothing")
  void emptyCart() throws Exception {
    String user = newUser();
    JsonObject view = await(cart.get(user));
    assertThat(view).isEqualTo(new JsonObject().put("userId", user).put("lines", new JsonArray()).put("total", money(0))
        .put("itemCount", 0).putNull("updatedAt"));
    assertThat(stored(cartDb, user).version()).isNull();
  }

  @Test
  @DisplayName("adding an unknown product fails NOT_FOUND and writes nothing")
  void unknownProduct() throws Exception {
    String user = newUser();
    await(cart.addItem(user, id(product("Existing", 500, 1)), 1));
    Stored before = stored(cartDb, user);
    String ghost = UUID.randomUUID().toString();

    ServiceException onAdd = failure(cart.addItem(user, ghost, 1));
    ServiceException onSet = failure(cart.setItem(user, ghost, 2));

    assertThat(onAdd.code()).isEqualTo(ErrorCode.NOT_FOUND);
    assertThat(onAdd.getMessage()).contains(ghost);
    assertThat(onSet.code()).isEqualTo(ErrorCode.NOT_FOUND);
    assertThat(stored(cartDb, user)).isEqualTo(before);
    String fresh = newUser();
    failure(cart.addItem(fresh, ghost, 1));
    assertThat(stored(cartDb, fresh).version()).as("no cart made for the failed add").isNull();
  }

  @Test
  @DisplayName("removing a line that is not in the cart fails NOT_FOUND and changes nothing; set 0 of it is a no-op")
  void removeMissingLine() throws Exception {
    JsonObject inCart = product("In cart", 300, 3);
    JsonObject notInCart = product("Not in cart", 300, 3);
    String user = newUser();
    JsonObject view = await(cart.addItem(user, id(inCart), 1));
    Stored before = stored(cartDb, user);

    ServiceException error = failure(cart.removeItem(user, id(notInCart)));
    assertThat(error.code()).isEqualTo(ErrorCode.NOT_FOUND);
    assertThat(error.getMessage()).contains(id(notInCart));
    assertThat(await(cart.setItem(user, id(notInCart), 0))).isEqualTo(view);
    assertThat(stored(cartDb, user)).isEqualTo(before);

    String nobody = newUser();
    assertThat(failure(cart.removeItem(nobody, id(inCart))).code()).isEqualTo(ErrorCode.NOT_FOUND);
    assertThat(stored(cartDb, nobody).version()).isNull();
  }

  @Test
  @DisplayName("a line holds at most 99 units: an add beyond fails BAD_REQUEST and the line stays as it was")
  void quantityCeiling() throws Exception {
    JsonObject paper = product("Paper", 10, 1_000);
    String user = newUser();
    await(cart.setItem(user, id(paper), 99));
    Stored before = stored(cartDb, user);

    ServiceException error = failure(cart.addItem(user, id(paper), 1));

    assertThat(error.code()).isEqualTo(ErrorCode.BAD_REQUEST);
    assertThat(error.getMessage()).contains("99", id(paper));
    assertThat(stored(cartDb, user)).isEqualTo(before);
    assertThat(before.lines()).isEqualTo(Map.of(id(paper), 99));
  }

  @Test
  @DisplayName("a cart holds at most 50 lines: the 51st fails BAD_REQUEST and writes nothing; existing lines still change")
  void lineCeiling() throws Exception {
    String user = newUser();
    List<JsonObject> products = new ArrayList<>();
    for (int i = 0; i < CartContract.MAX_LINES + 1; i++) {
      products.add(product("Line " + i, 100 + i, 10));
    }
    for (int i = 0; i < CartContract.MAX_LINES; i++) {
      await(cart.addItem(user, id(products.get(i)), 1));
    }
    Stored before = stored(cartDb, user);
    assertThat(before.lines()).hasSize(CartContract.MAX_LINES);

    ServiceException error = failure(cart.addItem(user, id(products.get(CartContract.MAX_LINES)), 1));
    assertThat(error.code()).isEqualTo(ErrorCode.BAD_REQUEST);
    assertThat(error.getMessage()).contains("50 lines");
    assertThat(failure(cart.setItem(user, id(products.get(CartContract.MAX_LINES)), 1)).code()).isEqualTo(ErrorCode.BAD_REQUEST);
    assertThat(stored(cartDb, user)).isEqualTo(before);

    JsonObject view = await(cart.addItem(user, id(products.get(0)), 4));
    assertThat(view.getJsonArray("lines")).hasSize(CartContract.MAX_LINES);
    assertThat(view.getInteger("itemCount")).isEqualTo(CartContract.MAX_LINES + 4);
  }

  @Test
  @DisplayName("concurrent writes to one cart: no add is lost, and the 50-line limit holds exactly")
  void concurrentWrites() throws Exception {
    String user = newUser();
    JsonObject popular = product("Popular", 100, 1_000);
    List<JsonObject> many = new ArrayList<>();
    for (int i = 0; i < CartContract.MAX_LINES + 4; i++) {
      many.add(product("Many " + i, 10, 10));
    }

    List<Future<JsonObject>> increments = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      increments.add(cart.addItem(user, id(popular), 1));
    }
    await(Future.all(increments));
    assertThat(stored(cartDb, user).lines()).isEqualTo(Map.of(id(popular), 30));

    // One line is taken by the popular product: of 54 new products, 49 fit.
    List<Future<JsonObject>> adds = many.stream().map(p -> cart.addItem(user, id(p), 1)).toList();
    await(Future.join(adds).otherwiseEmpty());
    List<ErrorCode> refusals = adds.stream().filter(Future::failed).map(f -> ServiceException.from(f.cause()).code()).toList();
    assertThat(refusals).containsExactly(ErrorCode.BAD_REQUEST, ErrorCode.BAD_REQUEST, ErrorCode.BAD_REQUEST,
        ErrorCode.BAD_REQUEST, ErrorCode.BAD_REQUEST);
    assertThat(stored(cartDb, user).lines()).hasSize(CartContract.MAX_LINES);
  }

  @Test
  @DisplayName("user isolation: one user's adds, sets and removes never touch another user's cart")
  void userIsolation() throws Exception {
    JsonObject shared = product("Shared", 700, 50);
    JsonObject other = product("Other", 900, 50);
    String alice = newUser();
    String bob = newUser();
    await(cart.addItem(bob, id(shared), 2));
    JsonObject bobBefore = await(cart.get(bob));
    Stored bobStored = stored(cartDb, bob);

    await(cart.addItem(alice, id(shared), 5));
    await(cart.addItem(alice, id(other), 1));
    await(cart.setItem(alice, id(shared), 1));
    await(cart.removeItem(alice, id(shared)));
    await(cart.setItem(alice, id(other), 0));

    assertThat(await(cart.get(bob))).isEqualTo(bobBefore);
    assertThat(stored(cartDb, bob)).isEqualTo(bobStored);
    assertThat(await(cart.get(alice)).getJsonArray("lines")).isEmpty();
  }

  static Stream<Arguments> badRequests() {
    String user = UUID.randomUUID().toString();
    String product = target.getString("id");
    JsonObject add = new JsonObject().put("userId", user).put("productId", product).put("quantity", 1);
    List<Arguments> cases = new ArrayList<>();
    for (String address : List.of(CartContract.ADD_ITEM.address(), CartContract.SET_ITEM.address())) {
      int min = address.equals(CartContract.ADD_ITEM.address()) ? 1 : 0;
      cases.add(bad(address, "quantity below " + min, add.copy().put("quantity", min - 1), "quantity"));
      cases.add(bad(address, "quantity 100", add.copy().put("quantity", 100), "quantity"));
      cases.add(bad(address, "quantity a fraction", add.copy().put("quantity", 1.5), "quantity"));
      cases.add(bad(address, "quantity as text", add.copy().put("quantity", "2"), "quantity"));
      cases.add(bad(address, "quantity a boolean", add.copy().put("quantity", true), "quantity"));
      cases.add(bad(address, "quantity missing", without(add, "quantity"), "quantity"));
      cases.add(bad(address, "quantity huge", add.copy().put("quantity", Long.MAX_VALUE), "quantity"));
      cases.add(bad(address, "productId malformed", add.copy().put("productId", "p-1"), "productId"));
      cases.add(bad(address, "productId a number", add.copy().put("productId", 7), "productId"));
      cases.add(bad(address, "productId missing", without(add, "productId"), "productId"));
      cases.add(bad(address, "userId short form", add.copy().put("userId", "1-1-1-1-1"), "userId"));
      cases.add(bad(address, "userId an object", add.copy().put("userId", new JsonObject()), "userId"));
      cases.add(bad(address, "userId missing", without(add, "userId"), "userId"));
      cases.add(bad(address, "unknown field", add.copy().put("price", 1), "price"));
    }
    JsonObject remove = without(add, "quantity");
    cases.add(bad(CartContract.REMOVE_ITEM.address(), "quantity given", add.copy(), "quantity"));
    cases.add(bad(CartContract.REMOVE_ITEM.address(), "productId malformed", remove.copy().put("productId", "x"), "productId"));
    cases.add(bad(CartContract.REMOVE_ITEM.address(), "userId missing", without(remove, "userId"), "userId"));
    cases.add(bad(CartContract.GET.address(), "userId malformed", new JsonObject().put("userId", "alice"), "userId"));
    cases.add(bad(CartContract.GET.address(), "userId missing", new JsonObject(), "userId"));
    cases.add(bad(CartContract.GET.address(), "unknown field", new JsonObject().put("userId", user).put("all", true), "all"));
    for (String address : List.of(CartContract.GET.address(), CartContract.ADD_ITEM.address(), CartContract.SET_ITEM.address(), CartContract.REMOVE_ITEM.address())) {
      cases.add(bad(address, "body not an object", new JsonArray().add(user), "JSON object"));
      cases.add(bad(address, "body a string", add.encode(), "JSON object"));
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("badRequests")
  @DisplayName("an invalid request fails BAD_REQUEST naming the field, and writes nothing")
  void badRequest(String address, String label, Object body, String mentioned) throws Exception {
    List<Long> before = CartFixtures.schemaCounts(cartDb);

    ServiceException error = failure(Bus.request(node.vertx(), address, body, CartFixtures.DEADLINE));

    assertThat(error.code()).isEqualTo(ErrorCode.BAD_REQUEST);
    assertThat(error.getMessage()).contains(mentioned);
    assertThat(CartFixtures.schemaCounts(cartDb)).as("carts, versions, lines, units").isEqualTo(before);
  }

  // Helpers.

  private static JsonObject product(String name, long price, int stock) throws Exception {
    return CartFixtures.newProduct(catalog, category, name, price, stock);
  }

  private static String id(JsonObject product) {
    return product.getString("id");
  }

  private static JsonObject line(JsonObject product, int quantity, long lineTotal, int available) {
    return new JsonObject()
        .put("productId", id(product))
        .put("name", product.getString("name"))
        .put("quantity", quantity)
        .put("unitPrice", product.getJsonObject("price"))
        .put("lineTotal", money(lineTotal))
        .put("available", available);
  }

  private static Arguments bad(String address, String label, Object body, String mentioned) {
    return Arguments.of(address, label, body, mentioned);
  }

  private static JsonObject without(JsonObject json, String field) {
    JsonObject copy = json.copy();
    copy.remove(field);
    return copy;
  }
}
