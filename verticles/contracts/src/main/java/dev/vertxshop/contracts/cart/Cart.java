package dev.vertxshop.contracts.cart;

import dev.vertxshop.contracts.Money;
import dev.vertxshop.platform.bus.BusMessage;
import dev.vertxshop.platform.json.Fields;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The reply of every cart address: the user's cart priced with the catalog's current products. Lines come in the
 * order they were added, each with the product's {@code name}, {@code unitPrice} and {@code available} units (stock
 * now) and {@code lineTotal = unitPrice × quantity}; {@code total} is their sum and {@code itemCount} the number of
 * units. {@code updatedAt} is null for a user who never had a cart (written as a JSON null, never left out).
 */
public record Cart(UUID userId, List<Line> lines, Money total, int itemCount, Instant updatedAt) implements BusMessage {

  private static final Set<String> FIELDS = Set.of("userId", "lines", "total", "itemCount", "updatedAt");
  private static final Set<String> LINE_FIELDS = Set.of("productId", "name", "quantity", "unitPrice", "lineTotal", "available");

  /** One priced line. */
  public record Line(UUID productId, String name, int quantity, Money unitPrice, Money lineTotal, int available) {

    static Line read(Object value, String path) {
      Fields f = Fields.of(value, path).only(LINE_FIELDS);
      return new Line(f.uuid("productId"), f.string("name"), CartFields.readQuantity(f, 1),
          Money.read(f.object("unitPrice"), Long.MAX_VALUE, null), Money.read(f.object("lineTotal"), Long.MAX_VALUE, null),
          (int) f.integer("available", 0, Integer.MAX_VALUE));
    }

    JsonObject toJson() {
      return new JsonObject()
          .put("productId", productId.toString())
          .put("name", name)
          .put("quantity", quantity)
          .put("unitPrice", unitPrice.toJson())
          .put("lineTotal", lineTotal.toJson())
          .put("available", available);
    }
  }

  public Cart {
    CartFields.required(userId, "userId");
    lines = List.copyOf(lines);
  }

  /** The cart of a user who has none. */
  public static Cart empty(UUID userId, String currency) {
    return new Cart(userId, List.of(), new Money(0, currency), 0, null);
  }

  public static Cart fromJson(Object json) {
    Fields f = Fields.of(json).only(FIELDS);
    UUID userId = f.uuid("userId");
    List<Line> lines = f.list("lines", 0, CartContract.MAX_LINES, Line::read);
    Money total = Money.read(f.object("total"), Long.MAX_VALUE, null);
    int itemCount = (int) f.integer("itemCount", 0, (long) CartContract.MAX_LINES * CartContract.MAX_QUANTITY);
    Instant updatedAt = f.has("updatedAt") ? f.instant("updatedAt") : null;
    return new Cart(userId, lines, total, itemCount, updatedAt);
  }

  @Override
  public JsonObject toJson() {
    JsonArray array = new JsonArray();
    lines.forEach(line -> array.add(line.toJson()));
    return new JsonObject()
        .put("userId", userId.toString())
        .put("lines", array)
        .put("total", total.toJson())
        .put("itemCount", itemCount)
        .put("updatedAt", updatedAt == null ? null : updatedAt.toString());
  }
}
