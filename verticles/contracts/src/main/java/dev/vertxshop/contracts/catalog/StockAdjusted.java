package dev.vertxshop.contracts.catalog;

import dev.vertxshop.platform.bus.BusMessage;
import dev.vertxshop.platform.json.Fields;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.UUID;

/**
 * The reply of {@link CatalogContract#ADJUST_STOCK}: the move made, the new level ({@code stock}, available
 * now), the units {@code held} by reservations, and the product's new {@code version}.
 */
public record StockAdjusted(UUID productId, int delta, String reason, int stock, long held, long version) implements BusMessage {

  private static final Set<String> FIELDS = Set.of("productId", "delta", "reason", "stock", "held", "version");

  public static StockAdjusted fromJson(Object json) {
    Fields f = Fields.of(json).only(FIELDS);
    return new StockAdjusted(f.uuid("productId"), (int) f.integer("delta", -AdjustStock.MAX_DELTA, AdjustStock.MAX_DELTA),
        f.string("reason"), (int) f.integer("stock", 0, Integer.MAX_VALUE), f.integer("held", 0, Long.MAX_VALUE),
        f.integer("version", 1, Long.MAX_VALUE));
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject().put("productId", productId.toString()).put("delta", delta).put("reason", reason)
        .put("stock", stock).put("held", held).put("version", version);
  }
}
