package dev.vertxshop.catalog;

import dev.vertxshop.contracts.catalog.CatalogContract;
import dev.vertxshop.platform.bus.Bus;
import dev.vertxshop.platform.kafka.OutboxRelayVerticle;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import dev.vertxshop.platform.errors.ServiceException;
import java.util.List;
import java.util.UUID;
import java.util.Set;

/**
 * The catalog's event-bus API ({@code catalog.*}). Stateless over the shared pool, so any number of
 * instances may run; each reports started only once all its consumers are registered.
 */
public final class CatalogApiVerticle extends VerticleBase {

  /** Ids per {@code catalog.product.getMany} request, as the contract states. */
  static final int MAX_IDS = 100;
  private static final Set<String> UPDATE_FIELDS = Set.of("id", "product", "version");
  private static final Set<String> ADJUST_FIELDS = Set.of("productId", "delta", "reason", "version");
  static final int MAX_REASON = 200;
  // Local only: the relay that must publish is the one next to the pool that committed.
  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true);

  private final Pool pool;

  public CatalogApiVerticle(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Future<?> start() {
    ProductStore store = new ProductStore(pool, this::kickRelay);
    ReservationStore reservations = new ReservationStore(pool);
    return Future.join(List.of(
        Bus.serve(vertx, CatalogContract.GET_PRODUCT,
            message -> store.get(Requests.productId(Requests.object(message.body()), "id"))).completion(),
        Bus.serve(vertx, CatalogContract.GET_PRODUCTS, message -> store.getMany(
            Requests.productIds(Requests.object(message.body()), "ids", MAX_IDS))).completion(),
        Bus.serve(vertx, CatalogContract.LIST_PRODUCTS,
            message -> store.list(ListQuery.parse(Requests.object(message.body())))).completion(),
        Bus.serve(vertx, CatalogContract.CREATE_PRODUCT,
            message -> store.create(ProductInput.parse(message.body(), ""))).completion(),
        Bus.serve(vertx, CatalogContract.UPDATE_PRODUCT, message -> {
          JsonObject body = Requests.object(message.body());
          Requests.rejectUnknown(body, UPDATE_FIELDS, "");
          Long version = Requests.integer(body, "version", "version", 1, Long.MAX_VALUE, false);
          ProductInput product = ProductInput.parse(body.getValue("product"), "product", false);
          return store.update(Requests.productId(body, "id"), product, version);
        }).completion(),
        Bus.serve(vertx, CatalogContract.ADJUST_STOCK, message -> {
          JsonObject body = Requests.object(message.body());
          Requests.rejectUnknown(body, ADJUST_FIELDS, "");
          UUID productId = Requests.productId(body, "productId");
          long delta = Requests.integer(body, "delta", "delta", -ProductInput.MAX_STOCK, ProductInput.MAX_STOCK, true);
          if (delta == 0) {
            throw ServiceException.badRequest("'delta' must not be 0: an adjustment moves units");
          }
          String reason = Requests.string(body, "reason", "reason", true).strip();
          if (reason.isEmpty() || reason.length() > MAX_REASON || reason.chars().anyMatch(Character::isISOControl)) {
            throw ServiceException.badRequest("'reason' must be 1 to " + MAX_REASON + " printable characters, not blank");
          }
          Long version = Requests.integer(body, "version", "version", 1, Long.MAX_VALUE, false);
          return store.adjust(productId, (int) delta, reason, version);
        }).completion(),
        Bus.serve(vertx, CatalogContract.LIST_CATEGORIES, message -> store.categories()).completion(),
        Bus.serve(vertx, CatalogContract.RESERVE_STOCK,
            message -> reservations.reserve(ReservationRequest.parse(message.body()))).completion(),
        Bus.serve(vertx, CatalogContract.RELEASE_STOCK,
            message -> reservations.release(ReservationRequest.orderId(message.body()))).completion(),
        Bus.serve(vertx, CatalogContract.COMMIT_STOCK,
            message -> reservations.commit(ReservationRequest.orderId(message.body()))).completion()));
  }

  private void kickRelay() {
    vertx.eventBus().send(OutboxRelayVerticle.kickAddress(CatalogService.NAME), "", LOCAL);
  }
}
