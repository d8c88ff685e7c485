package dev.vertxshop.orders;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vertxshop.contracts.Money;
import dev.vertxshop.contracts.cart.Cart;
import dev.vertxshop.contracts.orders.Checkout;
import dev.vertxshop.contracts.orders.GetOrder;
import dev.vertxshop.contracts.orders.ListOrders;
import dev.vertxshop.contracts.orders.OrdersContract;
import dev.vertxshop.platform.bus.BusMessage;
import dev.vertxshop.platform.errors.ErrorCode;
import dev.vertxshop.platform.errors.ServiceException;
import dev.vertxshop.platform.testing.JsonValues;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
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
 * Properties of orders: request validation fails only as BAD_REQUEST whatever arrives, and the order's
 * total snapshotted from a cart is exact integer arithmetic, refused (UNPROCESSABLE) rather than wrapped
 * when a long cannot hold it.
 */
@Label("orders: requests fail only as BAD_REQUEST; order totals are exact or refused")
class OrdersPropertiesTest {

  private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

  @Property(tries = 1000)
  @Label("checkout/get/list requests: any body is a request within the rules or BAD_REQUEST")
  void requestsNeverFailOtherwise(@ForAll("bodies") Object body, @ForAll("operations") String operation) {
    Function<Object, Object> parse = switch (operation) {
      case "checkout" -> Checkout::fromJson;
      case "get" -> GetOrder::fromJson;
      default -> ListOrders::fromJson;
    };
    Object request;
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
    if (request != null) {
      // What the typed client writes, the service reads back equal, through the wire's text.
      assertThat(parse.apply(new JsonObject(((BusMessage) request).toJson().encode()))).isEqualTo(request);
    }
    if (request instanceof Checkout checkout) {
      assertThat(checkout.idempotencyKey()).hasSizeBetween(1, OrdersContract.MAX_KEY_LENGTH).matches("[!-~]+");
    } else if (request instanceof ListOrders page) {
      assertThat(page.page()).isBetween(1, OrdersContract.MAX_PAGE);
      assertThat(page.size()).isBetween(1, OrdersContract.MAX_PAGE_SIZE);
      assertThat(page.offset()).isNotNegative();
    }
  }

  @Property(tries = 500)
  @Label("Checkout.fromJson: every valid body is accepted with exactly its user and key")
  void validCheckoutsAccepted(@ForAll("validCheckouts") JsonObject body) {
    Checkout checkout = Checkout.fromJson(body);
    assertThat(checkout.userId()).hasToString(body.getString("userId"));
    assertThat(checkout.idempotencyKey()).isEqualTo(body.getString("idempotencyKey"));
  }

  @Property(tries = 1000)
  @Label("OrderDraft.fromCart: the total equals BigInteger arithmetic over the lines, or UNPROCESSABLE beyond a long")
  void totalsExactOrRefused(@ForAll("pricedCarts") List<long[]> lines) {
    List<Cart.Line> cartLines = new ArrayList<>();
    BigInteger expected = BigInteger.ZERO;
    boolean fits = true;
    for (long[] line : lines) {
      // The line total is the cart's; the draft computes its own.
      cartLines.add(new Cart.Line(UUID.randomUUID(), "p", (int) line[1], Money.eur(line[0]), Money.eur(0), 0));
      BigInteger lineTotal = BigInteger.valueOf(line[0]).multiply(BigInteger.valueOf(line[1]));
      fits &= lineTotal.compareTo(LONG_MAX) <= 0;
      expected = expected.add(lineTotal);
    }
    fits &= expected.compareTo(LONG_MAX) <= 0;
    String outcome = !fits ? "too large" : lines.isEmpty() ? "empty" : expected.signum() == 0 ? "zero" : "ordered";
    Statistics.label("cart").collect(outcome);
    OrderDraft draft;
    try {
      draft = OrderDraft.fromCart(new Cart(UUID.randomUUID(), cartLines, Money.eur(0), 0, null));
    } catch (ServiceException e) {
      assertThat(e.code()).as(e.getMessage()).isEqualTo(ErrorCode.UNPROCESSABLE);
      assertThat(outcome).as("refused only when too large or free").isIn("too large", "zero");
      return;
    }
    assertThat(outcome).as("accepted only when it fits").isIn("ordered", "empty");
    assertThat(BigInteger.valueOf(draft.totalMinor())).isEqualTo(expected);
    assertThat(draft.lines()).hasSize(lines.size());
    for (int i = 0; i < lines.size(); i++) {
      assertThat(draft.lines().get(i).unitPriceMinor()).isEqualTo(lines.get(i)[0]);
      assertThat((long) draft.lines().get(i).quantity()).isEqualTo(lines.get(i)[1]);
    }
  }

  @Provide
  Arbitrary<String> operations() {
    return Arbitraries.of("checkout", "get", "list");
  }

  @Provide
  Arbitrary<Object> bodies() {
    Arbitrary<JsonObject> valid = Arbitraries.oneOf(validCheckouts(), validGets(), validLists());
    return Arbitraries.frequencyOf(
        Tuple.of(2, JsonValues.any(3)),
        Tuple.of(1, JsonValues.objects(2, "userId", "idempotencyKey", "orderId", "page", "size").map(o -> (Object) o)),
        Tuple.of(5, JsonValues.mutated(valid, List.of("userId", "idempotencyKey", "orderId", "page", "size")).map(o -> (Object) o)),
        Tuple.of(2, valid.map(o -> (Object) o)));
  }

  @Provide
  Arbitrary<JsonObject> validCheckouts() {
    Arbitrary<String> key = Arbitraries.strings().withCharRange('!', '~').ofMinLength(1).ofMaxLength(OrdersContract.MAX_KEY_LENGTH);
    return Combinators.combine(uuids(), key).as((user, k) -> new JsonObject().put("userId", user).put("idempotencyKey", k));
  }

  @Provide
  Arbitrary<JsonObject> validGets() {
    return Combinators.combine(uuids(), uuids()).as((user, order) -> new JsonObject().put("userId", user).put("orderId", order));
  }

  @Provide
  Arbitrary<JsonObject> validLists() {
    return Combinators.combine(uuids(), Arbitraries.integers().between(1, OrdersContract.MAX_PAGE),
            Arbitraries.integers().between(1, OrdersContract.MAX_PAGE_SIZE))
        .as((user, page, size) -> new JsonObject().put("userId", user).put("page", page).put("size", size));
  }

  /** Lines as {unit price, quantity}: mostly shop-sized prices and some free ones, sometimes near the long's limit. */
  @Provide
  Arbitrary<List<long[]>> pricedCarts() {
    Arbitrary<Long> price = Arbitraries.frequencyOf(
        Tuple.of(6, Arbitraries.longs().between(0, 1_000_000_000L)),
        Tuple.of(1, Arbitraries.just(0L)),
        Tuple.of(2, Arbitraries.longs().between(0, Long.MAX_VALUE)),
        Tuple.of(2, Arbitraries.longs().between(Long.MAX_VALUE / 100, Long.MAX_VALUE / 40)));
    Arbitrary<long[]> line = Combinators.combine(price, Arbitraries.integers().between(1, 99))
        .as((unit, quantity) -> new long[] {unit, quantity});
    return line.list().ofMinSize(0).ofMaxSize(50);
  }

  private static Arbitrary<String> uuids() {
    return Arbitraries.create(UUID::randomUUID).map(UUID::toString);
  }
}
