package dev.vertxshop.contracts.cart;

import dev.vertxshop.platform.bus.BusMessage;
import dev.vertxshop.platform.json.Fields;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.UUID;

/** {@link CartContract#REMOVE_ITEM}: the product's line out of the cart. */
public record RemoveItem(UUID userId, UUID productId) implements BusMessage {

  private static final Set<String> FIELDS = Set.of("userId", "productId");

  public RemoveItem {
    CartFields.required(userId, "userId");
    CartFields.required(productId, "productId");
  }

  public static RemoveItem fromJson(Object body) {
    Fields f = Fields.of(body).only(FIELDS);
    return new RemoveItem(f.uuid("userId"), f.uuid("productId"));
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject().put("userId", userId.toString()).put("productId", productId.toString());
  }
}
