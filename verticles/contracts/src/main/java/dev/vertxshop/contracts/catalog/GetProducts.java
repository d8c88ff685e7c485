package dev.vertxshop.contracts.catalog;

import dev.vertxshop.platform.bus.BusMessage;
import dev.vertxshop.platform.errors.ServiceException;
import dev.vertxshop.platform.json.Fields;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** {@link CatalogContract#GET_PRODUCTS}: 1 to {@value #MAX_IDS} products by id; duplicates are dropped, the order kept. */
public record GetProducts(List<UUID> ids) implements BusMessage {

  public static final int MAX_IDS = 100;
  private static final Set<String> FIELDS = Set.of("ids");

  public GetProducts {
    if (ids == null || ids.isEmpty() || ids.stream().anyMatch(java.util.Objects::isNull)) {
      throw badIds();
    }
    ids = List.copyOf(new LinkedHashSet<>(ids));
    if (ids.size() > MAX_IDS) {
      throw badIds();
    }
  }

  public static GetProducts fromJson(Object body) {
    Fields f = Fields.of(body).only(FIELDS);
    if (!(f.json().getValue("ids") instanceof JsonArray array) || array.isEmpty() || array.size() > MAX_IDS) {
      throw badIds();
    }
    List<UUID> ids = new java.util.ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      Object item = array.getValue(i);
      if (!(item instanceof String text)) {
        throw ServiceException.badRequest("'ids[" + i + "]' is not a UUID");
      }
      ids.add(Fields.uuid(text, "ids[" + i + "]"));
    }
    return new GetProducts(ids);
  }

  @Override
  public JsonObject toJson() {
    JsonArray array = new JsonArray();
    ids.forEach(id -> array.add(id.toString()));
    return new JsonObject().put("ids", array);
  }

  private static ServiceException badIds() {
    return ServiceException.badRequest("'ids' must be an array of 1 to " + MAX_IDS + " product ids");
  }
}
