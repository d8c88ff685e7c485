package dev.vertxshop.contracts.cart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vertxshop.contracts.Money;
import dev.vertxshop.platform.errors.ErrorCode;
import dev.vertxshop.platform.errors.ServiceException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

@Label("cart messages: what toJson writes, fromJson reads back equal, through the wire's text; what the contract refuses, both sides refuse")
class CartMessagesTest {

  @Property(tries = 200)
  @Label("GetCart, AddItem (with and without a key), SetItem, RemoveItem")
  void requests(@ForAll("uuids") UUID user, @ForAll("uuids") UUID product, @ForAll("addQuantities") int add,
      @ForAll("setQuantities") int set, @ForAll("keys") String key) {
    GetCart get = new GetCart(user);
    assertThat(GetCart.fromJson(wire(get.toJson()))).isEqualTo(get);
    AddItem addItem = new AddItem(user, product, add, key);
    assertThat(AddItem.fromJson(wire(addItem.toJson()))).isEqualTo(addItem);
    assertThat(addItem.toJson().containsKey("idempotencyKey")).as("a key is written only when there is one").isEqualTo(key != null);
    SetItem setItem = new SetItem(user, product, set);
    assertThat(SetItem.fromJson(wire(setItem.toJson()))).isEqualTo(setItem);
    RemoveItem remove = new RemoveItem(user, product);
    assertThat(RemoveItem.fromJson(wire(remove.toJson()))).isEqualTo(remove);
  }

  @Property(tries = 200)
  @Label("Cart, with up to 50 lines, any amounts, with and without updatedAt")
  void carts(@ForAll("carts") Cart cart) {
    Cart read = Cart.fromJson(wire(cart.toJson()));
    assertThat(read).isEqualTo(cart);
    assertThat(cart.toJson().containsKey("updatedAt")).as("updatedAt is written, null or not").isTrue();
  }

  @Example
  @Label("an empty cart is what the contract says: no lines, total 0, no updatedAt (null on the wire)")
  void emptyCart() {
    UUID user = UUID.randomUUID();
    JsonObject json = Cart.empty(user, Money.EUR).toJson();
    assertThat(json).isEqualTo(new JsonObject().put("userId", user.toString()).put("lines", new JsonArray())
        .put("total", Money.eur(0).toJson()).put("itemCount", 0).putNull("updatedAt"));
  }

  @Example
  @Label("the service's refusals, each BAD_REQUEST naming the field")
  void refusals() {
    String user = UUID.randomUUID().toString();
    String product = UUID.randomUUID().toString();
    JsonObject add = new JsonObject().put("userId", user).put("productId", product).put("quantity", 1);
    assertRefused(AddItem::fromJson, add.copy().put("price", 1), "unknown field 'price'");
    assertRefused(AddItem::fromJson, add.copy().put("quantity", 0), "'quantity' must be an integer between 1 and 99");
    assertRefused(AddItem::fromJson, add.copy().put("quantity", 100), "'quantity' must be an integer between 1 and 99");
    assertRefused(AddItem::fromJson, add.copy().put("quantity", 1.5), "'quantity' must be an integer, not a fraction");
    assertRefused(AddItem::fromJson, add.copy().put("quantity", "2"), "'quantity' must be an integer");
    assertRefused(AddItem::fromJson, add.copy().put("quantity", true), "'quantity' must be an integer");
    assertRefused(AddItem::fromJson, without(add, "quantity"), "'quantity' is required");
    assertRefused(AddItem::fromJson, add.copy().put("productId", "p-1"), "'productId' is not a UUID");
    assertRefused(AddItem::fromJson, add.copy().put("productId", 7), "'productId' must be a string");
    assertRefused(AddItem::fromJson, add.copy().put("userId", "1-1-1-1-1"), "'userId' is not a UUID");
    assertRefused(AddItem::fromJson, without(add, "userId"), "'userId' is required");
    assertRefused(AddItem::fromJson, add.copy().put("idempotencyKey", ""), "'idempotencyKey' must be 1 to 64 characters");
    assertRefused(AddItem::fromJson, add.copy().put("idempotencyKey", "k".repeat(65)), "'idempotencyKey' must be 1 to 64 characters");
    assertRefused(AddItem::fromJson, add.copy().put("idempotencyKey", "with space"), "'idempotencyKey' must be printable ASCII without spaces");
    assertRefused(AddItem::fromJson, add.copy().put("idempotencyKey", 42), "'idempotencyKey' must be a string");
    assertRefused(SetItem::fromJson, add.copy().put("quantity", -1), "'quantity' must be an integer between 0 and 99");
    assertRefused(SetItem::fromJson, add.copy().put("idempotencyKey", "k"), "unknown field 'idempotencyKey'");
    assertRefused(RemoveItem::fromJson, add, "unknown field 'quantity'");
    assertRefused(GetCart::fromJson, new JsonObject().put("userId", user).put("all", true), "unknown field 'all'");
    assertRefused(GetCart::fromJson, new JsonObject(), "'userId' is required");
    for (Function<Object, ?> reader : List.<Function<Object, ?>>of(GetCart::fromJson, AddItem::fromJson, SetItem::fromJson,
        RemoveItem::fromJson, Cart::fromJson)) {
      assertRefused(reader, new JsonArray().add(user), "must be a JSON object");
      assertRefused(reader, add.encode(), "must be a JSON object");
    }
    JsonObject cart = validCart();
    assertRefused(Cart::fromJson, cart.copy().put("discount", 0), "unknown field 'discount'");
    assertRefused(Cart::fromJson, without(cart, "total"), "'total' is required");
    JsonObject badLine = cart.copy();
    badLine.getJsonArray("lines").getJsonObject(0).put("quantity", 0);
    assertRefused(Cart::fromJson, badLine, "'lines[0].quantity' must be an integer between 1 and 99");
    JsonObject badMoney = cart.copy();
    badMoney.getJsonArray("lines").getJsonObject(0).getJsonObject("unitPrice").put("amount", -1);
    assertRefused(Cart::fromJson, badMoney, "'lines[0].unitPrice.amount'");
    assertRefused(Cart::fromJson, cart.copy().put("updatedAt", "yesterday"), "'updatedAt' must be an ISO-8601 instant");
  }

  @Example
  @Label("the records hold the same rules: a client cannot build what the cart would refuse")
  void recordsCheck() {
    UUID id = UUID.randomUUID();
    assertBad(() -> new GetCart(null));
    assertBad(() -> new AddItem(id, id, 0));
    assertBad(() -> new AddItem(id, id, 100));
    assertBad(() -> new AddItem(id, null, 1));
    assertBad(() -> new AddItem(id, id, 1, ""));
    assertBad(() -> new AddItem(id, id, 1, "tab\t"));
    assertBad(() -> new SetItem(id, id, -1));
    assertBad(() -> new SetItem(id, id, 100));
    assertBad(() -> new RemoveItem(null, id));
    assertThat(new SetItem(id, id, 0).quantity()).isZero();
  }

  @Provide
  Arbitrary<UUID> uuids() {
    return Arbitraries.randomValue(random -> new UUID(random.nextLong(), random.nextLong()));
  }

  @Provide
  Arbitrary<Integer> addQuantities() {
    return Arbitraries.integers().between(1, CartContract.MAX_QUANTITY);
  }

  @Provide
  Arbitrary<Integer> setQuantities() {
    return Arbitraries.integers().between(0, CartContract.MAX_QUANTITY);
  }

  @Provide
  Arbitrary<String> keys() {
    return Arbitraries.strings().withCharRange('!', '~').ofMinLength(1).ofMaxLength(CartContract.MAX_KEY_LENGTH).injectNull(0.3);
  }

  @Provide
  Arbitrary<Cart> carts() {
    Arbitrary<Money> money = Combinators.combine(Arbitraries.longs().between(0, Long.MAX_VALUE), Arbitraries.of("EUR", "USD"))
        .as(Money::new);
    Arbitrary<Cart.Line> line = Combinators.combine(uuids(), Arbitraries.strings().ofMinLength(1).ofMaxLength(200),
            addQuantities(), money, money, Arbitraries.integers().between(0, Integer.MAX_VALUE))
        .as(Cart.Line::new);
    Arbitrary<Instant> updatedAt = Arbitraries.longs().between(0, 4_000_000_000_000_000L)
        .map(micros -> Instant.ofEpochSecond(micros / 1_000_000, micros % 1_000_000 * 1_000)).injectNull(0.2);
    return Combinators.combine(uuids(), line.list().ofMaxSize(CartContract.MAX_LINES), money,
            Arbitraries.integers().between(0, CartContract.MAX_LINES * CartContract.MAX_QUANTITY), updatedAt)
        .as(Cart::new);
  }

  private static JsonObject validCart() {
    UUID product = UUID.randomUUID();
    return new Cart(UUID.randomUUID(), List.of(new Cart.Line(product, "Lamp", 2, Money.eur(100), Money.eur(200), 3)),
        Money.eur(200), 2, Instant.parse("2026-01-02T03:04:05Z")).toJson();
  }

  private static JsonObject without(JsonObject json, String field) {
    JsonObject copy = json.copy();
    copy.remove(field);
    return copy;
  }

  /** As it arrives from another JVM: encoded to text and parsed again. */
  private static JsonObject wire(JsonObject json) {
    return new JsonObject(json.encode());
  }

  private static void assertRefused(Function<Object, ?> reader, Object body, String message) {
    assertThatThrownBy(() -> reader.apply(body))
        .isInstanceOfSatisfying(ServiceException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST);
          assertThat(e.getMessage()).contains(message);
        });
  }

  private static void assertBad(Runnable build) {
    assertThatThrownBy(build::run)
        .isInstanceOfSatisfying(ServiceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST));
  }
}
