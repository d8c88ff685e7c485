package dev.vertxshop.contracts.cart;

import dev.vertxshop.platform.bus.BusMessage;
import dev.vertxshop.platform.json.Fields;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.UUID;

/**
 * {@link CartContract#ADD_ITEM}: {@code quantity} (1..{@value CartContract#MAX_QUANTITY}) more units of a product, under
 * an optional {@code idempotencyKey} (null: none; otherwise 1..{@value CartContract#MAX_KEY_LENGTH} visible ASCII
 * characters), which makes the add at most once.
 */
public record AddItem(UUID userId, UUID productId, int quantity, String idempotencyKey) implements BusMessage {

  private static final Set<String> FIELDS = Set.of("userId", "productId", "quantity", "idempotencyKey");

  public AddItem {
    CartFields.required(userId, "userId");
    CartFields.required(productId, "productId");
    CartFields.quantity(quantity, 1);
    CartFields.key(idempotencyKey);
  }

  /** An add without a key: made every time it arrives. */
  public AddItem(UUID userId, UUID productId, int quantity) {
    this(userId, productId, quantity, null);
  }

  public static AddItem fromJson(Object body) {
    Fields f = Fields.of(body).only(FIELDS);
    UUID userId = f.uuid("userId");
    UUID productId = f.uuid("productId");
    int quantity = CartFields.readQuantity(f, 1);
    return new AddItem(userId, productId, quantity, f.optionalString("idempotencyKey"));
  }

  @Override
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("userId", userId.toString()).put("productId", productId.toString()).put("quantity", quantity);
    return idempotencyKey == null ? json : json.put("idempotencyKey", idempotencyKey);
  }
}
