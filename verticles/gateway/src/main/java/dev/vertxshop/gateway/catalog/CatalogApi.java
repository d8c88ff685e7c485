package dev.vertxshop.gateway.catalog;

import dev.vertxshop.contracts.catalog.AdjustStock;
import dev.vertxshop.contracts.catalog.CatalogClient;
import dev.vertxshop.contracts.catalog.CreateProduct;
import dev.vertxshop.contracts.catalog.GetProduct;
import dev.vertxshop.contracts.catalog.ListProducts;
import dev.vertxshop.contracts.catalog.Product;
import dev.vertxshop.contracts.catalog.UpdateProduct;
import dev.vertxshop.gateway.http.Responses;
import dev.vertxshop.gateway.http.Validated;
import dev.vertxshop.gateway.resilience.Downstream;
import dev.vertxshop.platform.errors.ServiceException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.openapi.validation.RequestParameter;
import java.util.Map;

/**
 * The catalog's part of the public API: each handler takes an already validated request, reads it into the
 * catalog contract's record with the record's own reader (a request the catalog would refuse never crosses
 * the bus, and is refused with the catalog's words), calls the catalog through its breaker, and answers
 * with the reply's JSON as the catalog writes it.
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
    Map<String, RequestParameter> query = Validated.query(ctx);
    ListProducts request = Validated.read(ctx, () -> new ListProducts(Validated.integer(query, "page", 1),
        Validated.integer(query, "size", ListProducts.DEFAULT_SIZE), Validated.string(query, "category", null),
        Validated.string(query, "sort", ListProducts.DEFAULT_SORT)));
    if (request != null) {
      catalog.call(() -> client.listProducts(request))
          .onComplete(products -> Responses.json(ctx, 200, products.toJson()), ctx::fail);
    }
  }

  public void getProduct(RoutingContext ctx) {
    String id = Validated.path(ctx, "id");
    GetProduct request = Validated.read(ctx, () -> GetProduct.fromJson(new JsonObject().put("id", id)));
    if (request != null) {
      catalog.call(() -> client.getProduct(request))
          .onComplete(product -> answer(ctx, 200, product), ctx::fail);
    }
  }

  public void listCategories(RoutingContext ctx) {
    catalog.call(client::listCategories)
        .onComplete(categories -> Responses.json(ctx, 200, categories.toJson()), ctx::fail);
  }

  public void createProduct(RoutingContext ctx) {
    JsonObject fields = Validated.body(ctx);
    CreateProduct request = Validated.read(ctx, () -> CreateProduct.fromJson(fields));
    if (request != null) {
      catalog.call(() -> client.createProduct(request))
          .onComplete(product -> {
            ctx.response().putHeader(HttpHeaders.LOCATION, PRODUCTS_PATH + product.id());
            answer(ctx, 201, product);
          }, ctx::fail);
    }
  }

  public void updateProduct(RoutingContext ctx) {
    String id = Validated.path(ctx, "id");
    JsonObject fields = Validated.body(ctx).copy();
    Object version = fields.remove("version");
    Long bodyVersion = version instanceof Number number ? number.longValue() : null;
    Long headerVersion = ifMatchVersion(ctx.request().getHeader(HttpHeaders.IF_MATCH));
    if (bodyVersion != null && headerVersion != null && !bodyVersion.equals(headerVersion)) {
      ctx.fail(ServiceException.badRequest("If-Match (" + headerVersion + ") and 'version' (" + bodyVersion + ") disagree"));
      return;
    }
    Long expected = headerVersion != null ? headerVersion : bodyVersion;
    JsonObject body = new JsonObject().put("id", id).put("product", fields);
    if (expected != null) {
      body.put("version", expected);
    }
    UpdateProduct request = Validated.read(ctx, () -> UpdateProduct.fromJson(body));
    if (request != null) {
      catalog.call(() -> client.updateProduct(request))
          .onComplete(product -> answer(ctx, 200, product), ctx::fail);
    }
  }

  /** Operators: moves a product's stock by a delta (with a reason for the ledger), optionally under {@code If-Match}. */
  public void adjustStock(RoutingContext ctx) {
    String id = Validated.path(ctx, "id");
    JsonObject fields = Validated.body(ctx);
    Long expected = ifMatchVersion(ctx.request().getHeader(HttpHeaders.IF_MATCH));
    JsonObject body = new JsonObject().put("productId", id).put("delta", fields.getValue("delta")).put("reason", fields.getValue("reason"));
    if (expected != null) {
      body.put("version", expected);
    }
    AdjustStock request = Validated.read(ctx, () -> AdjustStock.fromJson(body));
    if (request != null) {
      catalog.call(() -> client.adjustStock(request))
          .onComplete(level -> answer(ctx, 200, level.toJson(), level.version()), ctx::fail);
    }
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


  /** A product answer, with its version as the {@code ETag} so that a client can send it back in {@code If-Match}. */
  private static void answer(RoutingContext ctx, int status, Product product) {
    answer(ctx, status, product.toJson(), product.version());
  }

  private static void answer(RoutingContext ctx, int status, JsonObject body, long version) {
    ctx.response().putHeader(HttpHeaders.ETAG, "\"" + version + "\"");
    Responses.json(ctx, status, body);
  }
}
