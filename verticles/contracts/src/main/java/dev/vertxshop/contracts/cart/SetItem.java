package dev.vertxshop.contracts.cart;

import dev.vertxshop.platform.bus.BusMessage;
import dev.vertxshop.platform.json.Fields;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.UUID;

/** {@link CartContract#SET_ITEM}: the product's line set to {@code quantity} (0..{@value CartContract#MAX_QUANTITY}; 0 removes it). */
public record SetItem(UUID userId, UUID productId, int quantity) implements BusMessage {

  private static final Set<String> FIELDS = Set.of("userId", "productId", "quantity");

  public SetItem {
    CartFields.required(userId, "userId");
    CartFields.required(productId, "productId");
    CartFields.quantity(quantity, 0);
  }

  public static SetItem fromJson(Object body) {
    Fields f = Fields.of(body).only(FIELDS);
    return new SetItem(f.uuid("userId"), f.uuid("productId"), CartFields.readQuantity(f, 0));
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject().put("userId", userId.toString()).put("productId", productId.toString()).put("quantity", quantity);
  }
}
