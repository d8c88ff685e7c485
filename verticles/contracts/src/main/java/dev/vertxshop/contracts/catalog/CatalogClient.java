package dev.vertxshop.contracts.catalog;

import dev.vertxshop.platform.bus.Bus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;

/**
 * Typed event-bus client of the catalog; every call has a deadline and fails with a ServiceException. Reads,
 * reservations and their release and commit are re-sent when a destination is lost; creates, updates and
 * stock adjustments never are.
 */
public final class CatalogClient {

  private final Vertx vertx;
  private final Duration deadline;

  public CatalogClient(Vertx vertx, Duration deadline) {
    this.vertx = vertx;
    this.deadline = deadline;
  }

  public Future<Product> getProduct(GetProduct request) {
    return Bus.call(vertx, CatalogContract.GET_PRODUCT, request, deadline);
  }

  public Future<ProductList> getProducts(GetProducts request) {
    return Bus.call(vertx, CatalogContract.GET_PRODUCTS, request, deadline);
  }

  public Future<ProductPage> listProducts(ListProducts request) {
    return Bus.call(vertx, CatalogContract.LIST_PRODUCTS, request, deadline);
  }

  public Future<Product> createProduct(CreateProduct request) {
    return Bus.call(vertx, CatalogContract.CREATE_PRODUCT, request, deadline);
  }

  public Future<Product> updateProduct(UpdateProduct request) {
    return Bus.call(vertx, CatalogContract.UPDATE_PRODUCT, request, deadline);
  }

  public Future<StockAdjusted> adjustStock(AdjustStock request) {
    return Bus.call(vertx, CatalogContract.ADJUST_STOCK, request, deadline);
  }

  public Future<Categories> listCategories() {
    return Bus.call(vertx, CatalogContract.LIST_CATEGORIES, new ListCategories(), deadline);
  }

  public Future<Reservation> reserveStock(ReserveStock request) {
    return Bus.call(vertx, CatalogContract.RESERVE_STOCK, request, deadline);
  }

  public Future<ReservationStatus> releaseStock(ReservationOf request) {
    return Bus.call(vertx, CatalogContract.RELEASE_STOCK, request, deadline);
  }

  public Future<ReservationStatus> commitStock(ReservationOf request) {
    return Bus.call(vertx, CatalogContract.COMMIT_STOCK, request, deadline);
  }
}
