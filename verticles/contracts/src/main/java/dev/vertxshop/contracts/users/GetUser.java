package dev.vertxshop.contracts.users;

import dev.vertxshop.platform.bus.BusMessage;
import dev.vertxshop.platform.json.Fields;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.UUID;

/** {@link UsersContract#GET}: the user {@code id} (a malformed id is BAD_REQUEST; an unknown one NOT_FOUND). */
public record GetUser(UUID id) implements BusMessage {

  private static final Set<String> FIELDS = Set.of("id");

  public GetUser {
    Fields.required(id, "id");
  }

  public static GetUser fromJson(Object body) {
    return new GetUser(Fields.of(body).only(FIELDS).uuid("id"));
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject().put("id", id.toString());
  }
}
