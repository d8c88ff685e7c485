package dev.vertxshop.contracts.catalog;

import dev.vertxshop.contracts.Money;
import dev.vertxshop.platform.bus.BusMessage;
import dev.vertxshop.platform.json.Fields;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The reply of {@link CatalogContract#RESERVE_STOCK}: {@code status} {@value #RESERVED}, {@code state}
 * {@value #HELD} or {@value #COMMITTED}, and the lines as reserved (one per product, in product-id order) with
 * the name and unit price at reservation time.
 */
public record Reservation(UUID orderId, String status, String state, List<Line> lines) implements BusMessage {

  public static final String RESERVED = "RESERVED";
  public static final String HELD = "HELD";
  public static final String COMMITTED = "COMMITTED";
  private static final Set<String> FIELDS = Set.of("orderId", "status", "state", "lines");
  private static final Set<String> LINE_FIELDS = Set.of("productId", "name", "quantity", "unitPrice");

  /** One product's units as reserved; {@code quantity} is the sum of the request's lines of that product. */
  public record Line(UUID productId, String name, int quantity, Money unitPrice) {

    static Line read(Object value, String path) {
      Fields f = Fields.of(value, path).only(LINE_FIELDS);
      return new Line(f.uuid("productId"), f.string("name"),
          (int) f.integer("quantity", 1, (long) ReserveStock.MAX_LINES * ReserveStock.MAX_QUANTITY),
          Money.read(f.object("unitPrice"), Long.MAX_VALUE, null));
    }

    JsonObject toJson() {
      return new JsonObject().put("productId", productId.toString()).put("name", name).put("quantity", quantity)
          .put("unitPrice", unitPrice.toJson());
    }
  }

  public Reservation {
    if (!RESERVED.equals(status)) {
      throw new IllegalArgumentException("a reservation's status is " + RESERVED + ", not " + status);
    }
    lines = List.copyOf(lines);
  }

  /** A reservation of {@code orderId} in {@code state}. */
  public static Reservation of(UUID orderId, String state, List<Line> lines) {
    return new Reservation(orderId, RESERVED, state, lines);
  }

  public static Reservation fromJson(Object json) {
    Fields f = Fields.of(json).only(FIELDS);
    String status = f.oneOf("status", Set.of(RESERVED));
    return new Reservation(f.uuid("orderId"), status, f.oneOf("state", Set.of(HELD, COMMITTED)),
        f.list("lines", 1, ReserveStock.MAX_LINES, Line::read));
  }

  @Override
  public JsonObject toJson() {
    JsonArray array = new JsonArray();
    lines.forEach(line -> array.add(line.toJson()));
    return new JsonObject().put("orderId", orderId.toString()).put("status", status).put("state", state).put("lines", array);
  }

}
