package dev.vertxshop.catalog;

import dev.vertxshop.contracts.catalog.CatalogContract;
import dev.vertxshop.platform.bus.Bus;
import dev.vertxshop.platform.bus.BusMessage;
import dev.vertxshop.platform.bus.Route;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;

/**
 * The catalog's routes spoken in plain JSON, as a client without the contract's records sends them (another
 * language, a hand-written tool): requests are JSON documents, replies come back as JSON. The catalog's
 * tests of behaviour and refusals use it, so that they exercise the handlers' strict readers on the wire
 * format; {@link CatalogContractTest} covers the typed client.
 */
final class CatalogJsonClient {

  private final Vertx vertx;
  private final Duration deadline;

  CatalogJsonClient(Vertx vertx, Duration deadline) {
    this.vertx = vertx;
    this.deadline = deadline;
  }

  Future<JsonObject> getProduct(String id) {
    return send(CatalogContract.GET_PRODUCT, new JsonObject().put("id", id));
  }

  Future<JsonObject> listProducts(int page, int size, String category, String sort) {
    JsonObject query = new JsonObject().put("page", page).put("size", size);
    if (category != null) {
      query.put("category", category);
    }
    if (sort != null) {
      query.put("sort", sort);
    }
    return send(CatalogContract.LIST_PRODUCTS, query);
  }

  Future<JsonObject> createProduct(JsonObject fields) {
    return send(CatalogContract.CREATE_PRODUCT, fields);
  }

  Future<JsonObject> updateProduct(String id, JsonObject fields, Long expectedVersion) {
    JsonObject body = new JsonObject().put("id", id).put("product", fields);
    if (expectedVersion != null) {
      body.put("version", expectedVersion);
    }
    return send(CatalogContract.UPDATE_PRODUCT, body);
  }

  Future<JsonObject> adjustStock(String productId, int delta, String reason, Long expectedVersion) {
    JsonObject body = new JsonObject().put("productId", productId).put("delta", delta).put("reason", reason);
    if (expectedVersion != null) {
      body.put("version", expectedVersion);
    }
    return send(CatalogContract.ADJUST_STOCK, body);
  }

  Future<JsonObject> getProducts(List<String> ids) {
    return send(CatalogContract.GET_PRODUCTS, new JsonObject().put("ids", new JsonArray(ids)));
  }

  Future<JsonObject> reserveStock(String orderId, JsonArray lines) {
    return send(CatalogContract.RESERVE_STOCK, new JsonObject().put("orderId", orderId).put("lines", lines));
  }

  Future<JsonObject> releaseStock(String orderId) {
    return send(CatalogContract.RELEASE_STOCK, new JsonObject().put("orderId", orderId));
  }

  Future<JsonObject> commitStock(String orderId) {
    return send(CatalogContract.COMMIT_STOCK, new JsonObject().put("orderId", orderId));
  }

  Future<JsonObject> listCategories() {
    return send(CatalogContract.LIST_CATEGORIES, new JsonObject());
  }

  /** {@code body} as it is to the route's address; the reply as JSON (within one JVM it arrives as the catalog's record). */
  Future<JsonObject> send(Route<?, ?> route, Object body) {
    Future<Object> reply = route.idempotent()
        ? Bus.requestIdempotent(vertx, route.address(), body, deadline)
        : Bus.request(vertx, route.address(), body, deadline);
    return reply.map(CatalogJsonClient::json);
  }

  static JsonObject json(Object reply) {
    return reply instanceof BusMessage message ? message.toJson() : (JsonObject) reply;
  }
}
