package dev.vertxshop.catalog;

import dev.vertxshop.platform.errors.ServiceException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * A validated {@code catalog.stock.reserve} body: duplicate product lines merged, lines sorted by
 * product id. Every reservation takes its row locks in that one order, so two reservations sharing
 * products wait for each other instead of deadlocking.
 */
record ReservationRequest(UUID orderId, List<Line> lines) {

  /** Units of one product. */
  record Line(UUID productId, int quantity) {
  }

  static final int MAX_LINES = 50;
  static final int MAX_QUANTITY = 99;

  private static final Set<String> FIELDS = Set.of("orderId", "lines");
  private static final Set<String> LINE_FIELDS = Set.of("productId", "quantity");
  private static final Set<String> ORDER_ONLY = Set.of("orderId");

  /**
   * PostgreSQL orders uuids by their bytes, which is the order of their canonical lower-case text;
   * {@link UUID#compareTo} compares signed longs and would disagree with the database's ORDER BY.
   */
  static final Comparator<UUID> DATABASE_ORDER = Comparator.comparing(UUID::toString);

  static ReservationRequest parse(Object body) {
    JsonObject json = Requests.object(body);
    Requests.rejectUnknown(json, FIELDS, "");
    UUID orderId = Requests.uuid(json, "orderId", "orderId");
    Object value = json.getValue("lines");
    if (!(value instanceof JsonArray array) || array.isEmpty() || array.size() > MAX_LINES) {
      throw ServiceException.badRequest("'lines' must be an array of 1 to " + MAX_LINES + " lines");
    }
    Map<UUID, Integer> merged = new TreeMap<>(DATABASE_ORDER);
    for (int i = 0; i < array.size(); i++) {
      String path = "lines[" + i + "]";
      if (!(array.getValue(i) instanceof JsonObject line)) {
        throw ServiceException.badRequest("'" + path + "' must be an object {\"productId\", \"quantity\"}");
      }
      Requests.rejectUnknown(line, LINE_FIELDS, path);
      UUID productId = Requests.uuid(line, "productId", path + ".productId");
      int quantity = Requests.integer(line, "quantity", path + ".quantity", 1, MAX_QUANTITY, true).intValue();
      // At most 50 x 99 units of one product: far from overflowing an int.
      merged.merge(productId, quantity, Integer::sum);
    }
    List<Line> lines = new ArrayList<>(merged.size());
    merged.forEach((productId, quantity) -> lines.add(new Line(productId, quantity)));
    return new ReservationRequest(orderId, List.copyOf(lines));
  }

  /** The {@code orderId} of a release or commit body, which has no other field. */
  static UUID orderId(Object body) {
    JsonObject json = Requests.object(body);
    Requests.rejectUnknown(json, ORDER_ONLY, "");
    return Requests.uuid(json, "orderId", "orderId");
  }
}
