package dev.vertxshop.catalog;

import dev.vertxshop.contracts.catalog.CatalogContract;
import dev.vertxshop.platform.bus.Bus;
import dev.vertxshop.platform.kafka.OutboxRelayVerticle;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.sqlclient.Pool;
import java.util.List;

/**
 * The catalog's event-bus API ({@code catalog.*}), one route of {@link CatalogContract} per handler: the
 * request arrives already read by its record's strict reader (or as the sender's record within one JVM).
 * Stateless over the shared pool, so any number of instances may run; each reports started only once all
 * its consumers are registered.
 */
public final class CatalogApiVerticle extends VerticleBase {

  private final Pool pool;

  public CatalogApiVerticle(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Future<?> start() {
    ProductStore store = new ProductStore(pool, this::kickRelay);
    ReservationStore reservations = new ReservationStore(pool);
    return Future.join(List.of(
        Bus.serve(vertx, CatalogContract.GET_PRODUCT, request -> store.get(request.id())).completion(),
        Bus.serve(vertx, CatalogContract.GET_PRODUCTS, request -> store.getMany(request.ids())).completion(),
        Bus.serve(vertx, CatalogContract.LIST_PRODUCTS, store::list).completion(),
        Bus.serve(vertx, CatalogContract.CREATE_PRODUCT, request -> store.create(request.product())).completion(),
        Bus.serve(vertx, CatalogContract.UPDATE_PRODUCT,
            request -> store.update(request.id(), request.product(), request.version())).completion(),
        Bus.serve(vertx, CatalogContract.ADJUST_STOCK, store::adjust).completion(),
        Bus.serve(vertx, CatalogContract.LIST_CATEGORIES, request -> store.categories()).completion(),
        Bus.serve(vertx, CatalogContract.RESERVE_STOCK, reservations::reserve).completion(),
        Bus.serve(vertx, CatalogContract.RELEASE_STOCK, request -> reservations.release(request.orderId())).completion(),
        Bus.serve(vertx, CatalogContract.COMMIT_STOCK, request -> reservations.commit(request.orderId())).completion()));
  }

  private void kickRelay() {
    OutboxRelayVerticle.kick(vertx, CatalogService.NAME);
  }
}
