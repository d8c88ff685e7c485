package dev.vertxshop.contracts.users;

import dev.vertxshop.platform.bus.BusMessage;
import dev.vertxshop.platform.json.Fields;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/** {@link UsersContract#JWKS}: an empty request for the token verification keys. */
public record GetKeys() implements BusMessage {

  public static GetKeys fromJson(Object body) {
    Fields.of(body).only(Set.of());
    return new GetKeys();
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject();
  }
}
