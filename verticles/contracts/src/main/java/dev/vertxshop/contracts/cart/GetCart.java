package dev.vertxshop.contracts.cart;

import dev.vertxshop.platform.bus.BusMessage;
import dev.vertxshop.platform.json.Fields;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.UUID;

/** {@link CartContract#GET}: the cart of {@code userId} (empty if none; asking creates nothing). */
public record GetCart(UUID userId) implements BusMessage {

  private static final Set<String> FIELDS = Set.of("userId");

  public GetCart {
    CartFields.required(userId, "userId");
  }

  public static GetCart fromJson(Object body) {
    return new GetCart(Fields.of(body).only(FIELDS).uuid("userId"));
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject().put("userId", userId.toString());
  }
}
