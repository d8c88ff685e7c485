package dev.vertxshop.gateway.catalog;

import dev.vertxshop.contracts.catalog.CatalogClient;
import dev.vertxshop.gateway.http.Responses;
import dev.vertxshop.gateway.resilience.Downstream;
import dev.vertxshop.platform.errors.ServiceException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.ValidatedRequest;
import java.util.Map;

/**
 * The catalog's part of the public API: each handler takes an already validated request, calls the
 * catalog through its breaker, and answers with the catalog's JSON as it is.
 */
public final class CatalogApi {

  public static final String PRODUCTS_PATH = "/api/products/";

  private final Downstream catalog;
  private final CatalogClient client;

  public CatalogApi(Downstream catalog, CatalogClient client) {
    this.catalog = catalog;
    this.client = client;
  }

  public void listProducts(RoutingContext ctx) {
    Map<String, RequestParameter> query = validated(ctx).getQuery();
    int page = integer(query, "page", 1);
    int size = integer(query, "size", 20);
    String category = string(query, "category", null);
    String sort = string(query, "sort", "name");
    catalog.call(() -> client.listProducts(page, size, category, sort))
        .onComplete(products -> Responses.json(ctx, 200, products), ctx::fail);
  }

  public void getProduct(RoutingContext ctx) {
    String id = validated(ctx).getPathParameters().get("id").getString();
    catalog.call(() -> client.getProduct(id))
        .onComplete(product -> answer(ctx, 200, product), ctx::fail);
  }

  public void listCategories(RoutingContext ctx) {
    catalog.call(client::listCategories)
        .onComplete(categories -> Responses.json(ctx, 200, categories), ctx::fail);
  }

  public void createProduct(RoutingContext ctx) {
    JsonObject fields = validated(ctx).getBody().getJsonObject();
    catalog.call(() -> client.createProduct(fields))
        .onComplete(product -> {
          ctx.response().putHeader(HttpHeaders.LOCATION, PRODUCTS_PATH + product.getString("id"));
          answer(ctx, 201, product);
        }, ctx::fail);
  }

  public void updateProduct(RoutingContext ctx) {
    ValidatedRequest request = validated(ctx);
    String id = request.getPathParameters().get("id").getString();
    JsonObject fields = request.getBody().getJsonObject().copy();
    Object version = fields.remove("version");
    Long bodyVersion = version instanceof Number number ? number.longValue() : null;
    Long headerVersion = ifMatchVersion(ctx.request().getHeader(HttpHeaders.IF_MATCH));
    if (bodyVersion != null && headerVersion != null && !bodyVersion.equals(headerVersion)) {
      ctx.fail(ServiceException.badRequest("If-Match (" + headerVersion + ") and 'version' (" + bodyVersion + ") disagree"));
      return;
    }
    Long expected = headerVersion != null ? headerVersion : bodyVersion;
    catalog.call(() -> client.updateProduct(id, fields, expected))
        .onComplete(product -> answer(ctx, 200, product), ctx::fail);
  }

  /** Operators: moves a product's stock by a delta (with a reason for the ledger), optionally under {@code If-Match}. */
  public void adjustStock(RoutingContext ctx) {
    ValidatedRequest request = validated(ctx);
    String id = request.getPathParameters().get("id").getString();
    JsonObject body = request.getBody().getJsonObject();
    Long expected = ifMatchVersion(ctx.request().getHeader(HttpHeaders.IF_MATCH));
    catalog.call(() -> client.adjustStock(id, body.getInteger("delta"), body.getString("reason"), expected))
        .onComplete(level -> answer(ctx, 200, level), ctx::fail);
  }

  /**
   * The version in an {@code If-Match} value ({@code "3"}, {@code W/"3"} or {@code 3}); none for {@code *},
   * which any existing product matches. The document's pattern has already checked the form.
   */
  static Long ifMatchVersion(String ifMatch) {
    if (ifMatch == null || ifMatch.isBlank() || ifMatch.trim().equals("*")) {
      return null;
    }
    String digits = ifMatch.trim().replace("W/", "").replace("\"", "");
    return Long.parseLong(digits);
  }

  private static ValidatedRequest validated(RoutingContext ctx) {
    return ctx.get(RouterBuilder.KEY_META_DATA_VALIDATED_REQUEST);
  }

  private static int integer(Map<String, RequestParameter> params, String name, int fallback) {
    RequestParameter value = params.get(name);
    return value == null || value.isNull() ? fallback : value.getInteger();
  }

  private static String string(Map<String, RequestParameter> params, String name, String fallback) {
    RequestParameter value = params.get(name);
    return value == null || value.isNull() ? fallback : value.getString();
  }

  /** A product answer, with its version as the {@code ETag} so that a client can send it back in {@code If-Match}. */
  private static void answer(RoutingContext ctx, int status, JsonObject product) {
    Object version = product.getValue("version");
    if (version instanceof Number) {
      ctx.response().putHeader(HttpHeaders.ETAG, "\"" + version + "\"");
    }
    Responses.json(ctx, status, product);
  }
}
