package dev.vertxshop.contracts.catalog;

import dev.vertxshop.platform.bus.BusMessage;
import dev.vertxshop.platform.errors.ServiceException;
import dev.vertxshop.platform.json.Fields;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.UUID;

/** {@link CatalogContract#GET_PRODUCT}: one product by id. */
public record GetProduct(UUID id) implements BusMessage {

  private static final Set<String> FIELDS = Set.of("id");

  public GetProduct {
    if (id == null) {
      throw ServiceException.badRequest("'id' is required");
    }
  }

  public static GetProduct fromJson(Object body) {
    return new GetProduct(Fields.of(body).only(FIELDS).uuid("id"));
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject().put("id", id.toString());
  }
}
