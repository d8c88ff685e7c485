package dev.vertxshop.contracts.catalog;

import dev.vertxshop.platform.bus.BusMessage;
import dev.vertxshop.platform.errors.ServiceException;
import dev.vertxshop.platform.json.Fields;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.UUID;

/**
 * {@link CatalogContract#ADJUST_STOCK}: adds {@code delta} units to a product's stock (negative: takes them),
 * with a {@code reason} for the ledger (trimmed), under {@code version} when not null.
 */
public record AdjustStock(UUID productId, int delta, String reason, Long version) implements BusMessage {

  public static final int MAX_DELTA = ProductFields.MAX_STOCK;
  public static final int MAX_REASON = 200;
  private static final Set<String> FIELDS = Set.of("productId", "delta", "reason", "version");

  public AdjustStock {
    if (productId == null) {
      throw ServiceException.badRequest("'productId' is required");
    }
    if (delta < -MAX_DELTA || delta > MAX_DELTA) {
      throw ServiceException.badRequest("'delta' must be an integer between " + -MAX_DELTA + " and " + MAX_DELTA);
    }
    if (delta == 0) {
      throw ServiceException.badRequest("'delta' must not be 0: an adjustment moves units");
    }
    reason = reason == null ? "" : reason.strip();
    if (reason.isEmpty() || reason.length() > MAX_REASON || reason.chars().anyMatch(Character::isISOControl)) {
      throw ServiceException.badRequest("'reason' must be 1 to " + MAX_REASON + " printable characters, not blank");
    }
    if (version != null && version < 1) {
      throw ServiceException.badRequest("'version' must be an integer between 1 and " + Long.MAX_VALUE);
    }
  }

  public static AdjustStock fromJson(Object body) {
    Fields f = Fields.of(body).only(FIELDS);
    UUID productId = f.uuid("productId");
    int delta = (int) f.integer("delta", -MAX_DELTA, MAX_DELTA);
    String reason = f.string("reason");
    return new AdjustStock(productId, delta, reason, f.optionalInteger("version", 1, Long.MAX_VALUE));
  }

  @Override
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("productId", productId.toString()).put("delta", delta).put("reason", reason);
    if (version != null) {
      json.put("version", version);
    }
    return json;
  }
}
