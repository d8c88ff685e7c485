package dev.vertxshop.cart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vertxshop.contracts.cart.AddItem;
import dev.vertxshop.contracts.cart.CartContract;
import dev.vertxshop.contracts.cart.GetCart;
import dev.vertxshop.contracts.cart.RemoveItem;
import dev.vertxshop.contracts.cart.SetItem;
import dev.vertxshop.platform.bus.BusMessage;
import dev.vertxshop.platform.errors.ErrorCode;
import dev.vertxshop.platform.errors.ServiceException;
import dev.vertxshop.platform.testing.JsonValues;
import dev.vertxshop.contracts.Money;
import dev.vertxshop.contracts.catalog.Product;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * Properties of the cart: the contract's request readers fail only as BAD_REQUEST whatever arrives, and the priced
 * view's amounts are exact integer arithmetic that refuses, never wraps, what a long cannot hold.
 */
@Label("cart: requests fail only as BAD_REQUEST; line totals and totals are exact or refused")
class CartPropertiesTest {

  private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

  @Property(tries = 1000)
  @Label("the contract's readers of add/set/remove/get: any body is a request within the rules or BAD_REQUEST")
  void requestsNeverFailOtherwise(@ForAll("bodies") Object body, @ForAll("operations") String operation) {
    Function<Object, BusMessage> parse = switch (operation) {
      case "add" -> AddItem::fromJson;
      case "set" -> SetItem::fromJson;
      case "remove" -> RemoveItem::fromJson;
      default -> GetCart::fromJson;
    };
    BusMessage request;
    try {
      request = parse.apply(body);
    } catch (ServiceException e) {
      assertThat(e.code()).as(e.getMessage()).isEqualTo(ErrorCode.BAD_REQUEST);
      request = null;
    }
    Statistics.label("outcome").collect(request != null ? "accepted" : "refused");
    Statistics.label("outcome").coverage(coverage -> {
      coverage.check("accepted").count(count -> count > 0);
      coverage.check("refused").count(count -> count > 0);
    });
    if (request instanceof AddItem add) {
      assertThat(add.quantity()).isBetween(1, CartContract.MAX_QUANTITY);
      assertThat(add.productId()).isNotNull();
    } else if (request instanceof SetItem set) {
      assertThat(set.quantity()).isBetween(0, CartContract.MAX_QUANTITY);
      assertThat(set.productId()).isNotNull();
    } else if (request instanceof RemoveItem remove) {
      assertThat(remove.productId()).isNotNull();
    }
    if (request != null) {
      assertThat(request.toJson().getString("userId")).isNotNull();
      // What was accepted reads back the same from its own JSON.
      assertThat(parse.apply(request.toJson())).isEqualTo(request);
    }
  }

  @Property(tries = 500)
  @Label("AddItem.fromJson: every valid body is accepted with exactly its ids and quantity")
  void validAddsAccepted(@ForAll("validAdds") JsonObject body) {
    AddItem request = AddItem.fromJson(body);
    assertThat(request.userId()).hasToString(body.getString("userId").toLowerCase());
    assertThat(request.productId()).hasToString(body.getString("productId").toLowerCase());
    assertThat(request.quantity()).isEqualTo(body.getInteger("quantity"));
  }

  @Property(tries = 1000)
  @Label("CartView: line totals and the total equal BigInteger arithmetic, or the view is refused when a long cannot hold them")
  void totalsExactOrRefused(@ForAll("pricedCarts") List<long[]> lines) {
    UUID userId = UUID.randomUUID();
    List<CartState.Line> stored = new ArrayList<>();
    Map<UUID, Product> products = new HashMap<>();
    BigInteger expectedTotal = BigInteger.ZERO;
    boolean fits = true;
    long units = 0;
    for (long[] line : lines) {
      UUID productId = UUID.randomUUID();
      stored.add(new CartState.Line(productId, (int) line[1], Instant.EPOCH));
      products.put(productId, new Product(productId, "SKU-1", "p", "", "c", Money.eur(line[0]), 3, 1, Instant.EPOCH, Instant.EPOCH));
      BigInteger lineTotal = BigInteger.valueOf(line[0]).multiply(BigInteger.valueOf(line[1]));
      fits &= lineTotal.compareTo(LONG_MAX) <= 0;
      expectedTotal = expectedTotal.add(lineTotal);
      units += line[1];
    }
    fits &= expectedTotal.compareTo(LONG_MAX) <= 0;
    CartState cart = new CartState(userId, Instant.EPOCH, stored);
    Statistics.label("fits in a long").collect(fits);
    if (!fits) {
      assertThatThrownBy(() -> CartView.of(cart, products)).isInstanceOf(ArithmeticException.class);
      return;
    }
    JsonObject view = CartView.of(cart, products).toJson();
    JsonArray viewLines = view.getJsonArray("lines");
    assertThat(viewLines).hasSize(lines.size());
    for (int i = 0; i < lines.size(); i++) {
      long[] line = lines.get(i);
      JsonObject viewLine = viewLines.getJsonObject(i);
      assertThat(BigInteger.valueOf(viewLine.getJsonObject("lineTotal").getLong("amount")))
          .isEqualTo(BigInteger.valueOf(line[0]).multiply(BigInteger.valueOf(line[1])));
      assertThat(viewLine.getJsonObject("unitPrice").getLong("amount")).isEqualTo(line[0]);
    }
    assertThat(BigInteger.valueOf(view.getJsonObject("total").getLong("amount"))).isEqualTo(expectedTotal);
    assertThat(view.getJsonObject("total").getString("currency")).isEqualTo("EUR");
    assertThat((long) view.getInteger("itemCount")).isEqualTo(units);
  }

  @Provide
  Arbitrary<String> operations() {
    return Arbitraries.of("get", "add", "set", "remove");
  }

  @Provide
  Arbitrary<Object> bodies() {
    List<String> paths = List.of("userId", "productId", "quantity");
    return Arbitraries.frequencyOf(
        Tuple.of(2, JsonValues.any(3)),
        Tuple.of(1, JsonValues.objects(2, "userId", "productId", "quantity").map(o -> (Object) o)),
        Tuple.of(5, JsonValues.mutated(validAdds(), paths).map(o -> (Object) o)),
        Tuple.of(2, validAdds().map(o -> (Object) o)));
  }

  @Provide
  Arbitrary<JsonObject> validAdds() {
    Arbitrary<String> ids = Arbitraries.create(UUID::randomUUID).map(UUID::toString)
        .flatMap(id -> Arbitraries.of(id, id.toUpperCase()));
    return Combinators.combine(ids, ids, Arbitraries.integers().between(1, CartContract.MAX_QUANTITY))
        .as((user, product, quantity) -> new JsonObject().put("userId", user).put("productId", product).put("quantity", quantity));
  }

  /** Lines as {unit price, quantity}: mostly shop-sized prices, sometimes prices near the long's limit. */
  @Provide
  Arbitrary<List<long[]>> pricedCarts() {
    Arbitrary<Long> price = Arbitraries.frequencyOf(
        Tuple.of(6, Arbitraries.longs().between(0, 1_000_000_000L)),
        Tuple.of(2, Arbitraries.longs().between(0, Long.MAX_VALUE)),
        Tuple.of(2, Arbitraries.longs().between(Long.MAX_VALUE / 100, Long.MAX_VALUE / 40)));
    Arbitrary<long[]> line = Combinators.combine(price, Arbitraries.integers().between(1, CartContract.MAX_QUANTITY))
        .as((unit, quantity) -> new long[] {unit, quantity});
    return line.list().ofMinSize(0).ofMaxSize(50);
  }
}
