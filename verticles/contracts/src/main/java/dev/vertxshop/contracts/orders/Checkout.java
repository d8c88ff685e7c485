package dev.vertxshop.contracts.orders;

import dev.vertxshop.platform.bus.BusMessage;
import dev.vertxshop.platform.errors.ServiceException;
import dev.vertxshop.platform.json.Fields;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * {@link OrdersContract#CHECKOUT}: check out the cart of {@code userId} under {@code idempotencyKey} (1 to
 * {@value OrdersContract#MAX_KEY_LENGTH} visible ASCII characters: keys travel in an HTTP header and in logs, where
 * spaces and control characters only hurt).
 */
public record Checkout(UUID userId, String idempotencyKey) implements BusMessage {

  private static final Set<String> FIELDS = Set.of("userId", "idempotencyKey");
  private static final Pattern KEY_TEXT = Pattern.compile("[\\x21-\\x7E]+");

  public Checkout {
    Fields.required(userId, "userId");
    Fields.required(idempotencyKey, "idempotencyKey");
    if (idempotencyKey.isBlank()) {
      throw ServiceException.badRequest("'idempotencyKey' must not be blank");
    }
    if (idempotencyKey.length() > OrdersContract.MAX_KEY_LENGTH) {
      throw ServiceException.badRequest("'idempotencyKey' must be at most " + OrdersContract.MAX_KEY_LENGTH + " characters");
    }
    if (!KEY_TEXT.matcher(idempotencyKey).matches()) {
      throw ServiceException.badRequest("'idempotencyKey' must be printable ASCII without spaces");
    }
  }

  public static Checkout fromJson(Object body) {
    Fields f = Fields.of(body).only(FIELDS);
    UUID userId = f.uuid("userId");
    return new Checkout(userId, f.string("idempotencyKey"));
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject().put("userId", userId.toString()).put("idempotencyKey", idempotencyKey);
  }
}
