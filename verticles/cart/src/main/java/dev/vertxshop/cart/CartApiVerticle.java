package dev.vertxshop.cart;

import dev.vertxshop.contracts.cart.CartContract;
import dev.vertxshop.contracts.catalog.CatalogClient;
import dev.vertxshop.platform.bus.Bus;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.util.List;

/**
 * The cart's event-bus API ({@code cart.*}), one consumer per route of {@link CartContract}: requests arrive read
 * by the route's strict reader (a refused one never reaches {@link Carts}), replies are {@link dev.vertxshop.contracts.cart.Cart}
 * records. Stateless over the shared pool, so any number of
 * instances may run; each reports started only once all its consumers are registered.
 */
public final class CartApiVerticle extends VerticleBase {

  private final Pool pool;
  private final Duration catalogTimeout;
  private final CartMetrics metrics;

  CartApiVerticle(Pool pool, Duration catalogTimeout, CartMetrics metrics) {
    this.pool = pool;
    this.catalogTimeout = catalogTimeout;
    this.metrics = metrics;
  }

  @Override
  public Future<?> start() {
    Carts carts = new Carts(new CartStore(pool), new CatalogClient(vertx, catalogTimeout), metrics);
    return Future.join(List.of(
        // One consumer for adds with and without a key: ADD_ITEM_KEYED is the same address, re-sent by clients only.
        Bus.serve(vertx, CartContract.GET, carts::get).completion(),
        Bus.serve(vertx, CartContract.ADD_ITEM, carts::add).completion(),
        Bus.serve(vertx, CartContract.SET_ITEM, carts::set).completion(),
        Bus.serve(vertx, CartContract.REMOVE_ITEM, carts::remove).completion()));
  }
}
