package dev.vertxshop.contracts.catalog;

import dev.vertxshop.platform.bus.BusMessage;
import dev.vertxshop.platform.errors.ServiceException;
import dev.vertxshop.platform.json.Fields;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * {@link CatalogContract#RESERVE_STOCK}: hold the units of an order's lines, all or none. 1 to
 * {@value #MAX_LINES} lines of 1 to {@value #MAX_QUANTITY} units; lines of one product are allowed (the
 * catalog adds them up), so the record keeps the lines as the caller gave them.
 */
public record ReserveStock(UUID orderId, List<Line> lines) implements BusMessage {

  public static final int MAX_LINES = 50;
  public static final int MAX_QUANTITY = 99;
  private static final Set<String> FIELDS = Set.of("orderId", "lines");
  private static final Set<String> LINE_FIELDS = Set.of("productId", "quantity");

  /** Units of one product. */
  public record Line(UUID productId, int quantity) {

    public Line {
      if (productId == null) {
        throw ServiceException.badRequest("'productId' is required");
      }
      if (quantity < 1 || quantity > MAX_QUANTITY) {
        throw ServiceException.badRequest("'quantity' must be an integer between 1 and " + MAX_QUANTITY);
      }
    }

    static Line read(Object value, String path) {
      if (!(value instanceof JsonObject)) {
        throw ServiceException.badRequest("'" + path + "' must be an object {\"productId\", \"quantity\"}");
      }
      Fields f = Fields.of(value, path).only(LINE_FIELDS);
      return new Line(f.uuid("productId"), (int) f.integer("quantity", 1, MAX_QUANTITY));
    }

    JsonObject toJson() {
      return new JsonObject().put("productId", productId.toString()).put("quantity", quantity);
    }
  }

  public ReserveStock {
    if (orderId == null) {
      throw ServiceException.badRequest("'orderId' is required");
    }
    if (lines == null || lines.isEmpty() || lines.size() > MAX_LINES || lines.stream().anyMatch(java.util.Objects::isNull)) {
      throw badLines();
    }
    lines = List.copyOf(lines);
  }

  public static ReserveStock fromJson(Object body) {
    Fields f = Fields.of(body).only(FIELDS);
    UUID orderId = f.uuid("orderId");
    if (!(f.json().getValue("lines") instanceof JsonArray array) || array.isEmpty() || array.size() > MAX_LINES) {
      throw badLines();
    }
    return new ReserveStock(orderId, f.list("lines", 1, MAX_LINES, Line::read));
  }

  @Override
  public JsonObject toJson() {
    JsonArray array = new JsonArray();
    lines.forEach(line -> array.add(line.toJson()));
    return new JsonObject().put("orderId", orderId.toString()).put("lines", array);
  }

  private static ServiceException badLines() {
    return ServiceException.badRequest("'lines' must be an array of 1 to " + MAX_LINES + " lines");
  }
}
