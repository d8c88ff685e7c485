package dev.vertxshop.contracts.catalog;

import dev.vertxshop.contracts.Money;
import dev.vertxshop.platform.bus.BusMessage;
import dev.vertxshop.platform.json.Fields;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/**
 * A product as the catalog answers it and publishes it ({@link ProductUpserted}): {@code stock} is the units
 * available now, {@code version} is incremented by every change (also by reservations), timestamps are
 * ISO-8601 instants. {@code description} is empty rather than absent.
 */
public record Product(UUID id, String sku, String name, String description, String category, Money price, int stock,
    long version, Instant createdAt, Instant updatedAt) implements BusMessage {

  public static final Set<String> FIELDS =
      Set.of("id", "sku", "name", "description", "category", "price", "stock", "version", "createdAt", "updatedAt");

  public static Product fromJson(Object json) {
    return read(Fields.of(json));
  }

  static Product read(Fields f) {
    f.only(FIELDS);
    return new Product(f.uuid("id"), f.string("sku"), f.string("name"), f.optionalString("description"), f.string("category"),
        Money.read(f.object("price"), Long.MAX_VALUE, null), (int) f.integer("stock", 0, Integer.MAX_VALUE),
        f.integer("version", 1, Long.MAX_VALUE), f.instant("createdAt"), f.instant("updatedAt"));
  }

  @Override
  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id.toString())
        .put("sku", sku)
        .put("name", name)
        .put("description", description)
        .put("category", category)
        .put("price", price.toJson())
        .put("stock", stock)
        .put("version", version)
        .put("createdAt", createdAt.toString())
        .put("updatedAt", updatedAt.toString());
  }
}
