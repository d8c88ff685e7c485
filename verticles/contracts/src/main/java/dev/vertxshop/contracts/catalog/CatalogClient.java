package dev.vertxshop.contracts.catalog;

import dev.vertxshop.platform.bus.Bus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;

/** Typed event-bus client of the catalog; every call has a deadline and fails with a ServiceException. */
public final class CatalogClient {

  private final Vertx vertx;
  private final Duration deadline;

  public CatalogClient(Vertx vertx, Duration deadline) {
    this.vertx = vertx;
    this.deadline = deadline;
  }

  public Future<JsonObject> getProduct(String id) {
    return Bus.requestIdempotent(vertx, CatalogContract.GET_PRODUCT, new JsonObject().put("id", id), deadline);
  }

  public Future<JsonObject> listProducts(int page, int size, String category, String sort) {
    JsonObject query = new JsonObject().put("page", page).put("size", size);
    if (category != null) {
      query.put("category", category);
    }
    if (sort != null) {
      query.put("sort", sort);
    }
    return Bus.requestIdempotent(vertx, CatalogContract.LIST_PRODUCTS, query, deadline);
  }

  public Future<JsonObject> createProduct(JsonObject fields) {
    return Bus.request(vertx, CatalogContract.CREATE_PRODUCT, fields, deadline);
  }

  public Future<JsonObject> updateProduct(String id, JsonObject fields, Long expectedVersion) {
    JsonObject body = new JsonObject().put("id", id).put("product", fields);
    if (expectedVersion != null) {
      body.put("version", expectedVersion);
    }
    return Bus.request(vertx, CatalogContract.UPDATE_PRODUCT, body, deadline);
  }

  /**
   * Adds {@code delta} units to a product's stock (negative: takes them), with a reason for the ledger; under
   * {@code expectedVersion} (null: any). Not idempotent, so never re-sent.
   */
  public Future<JsonObject> adjustStock(String productId, int delta, String reason, Long expectedVersion) {
    JsonObject body = new JsonObject().put("productId", productId).put("delta", delta).put("reason", reason);
    if (expectedVersion != null) {
      body.put("version", expectedVersion);
    }
    return Bus.request(vertx, CatalogContract.ADJUST_STOCK, body, deadline);
  }

  public Future<JsonObject> getProducts(java.util.List<String> ids) {
    return Bus.requestIdempotent(vertx, CatalogContract.GET_PRODUCTS, new JsonObject().put("ids", new io.vertx.core.json.JsonArray(ids)), deadline);
  }

  public Future<JsonObject> reserveStock(String orderId, io.vertx.core.json.JsonArray lines) {
    return Bus.requestIdempotent(vertx, CatalogContract.RESERVE_STOCK, new JsonObject().put("orderId", orderId).put("lines", lines), deadline);
  }

  public Future<JsonObject> releaseStock(String orderId) {
    return Bus.requestIdempotent(vertx, CatalogContract.RELEASE_STOCK, new JsonObject().put("orderId", orderId), deadline);
  }

  public Future<JsonObject> commitStock(String orderId) {
    return Bus.requestIdempotent(vertx, CatalogContract.COMMIT_STOCK, new JsonObject().put("orderId", orderId), deadline);
  }

  public Future<JsonObject> listCategories() {
    return Bus.requestIdempotent(vertx, CatalogContract.LIST_CATEGORIES, new JsonObject(), deadline);
  }
}
