package dev.vertxshop.gateway.search;

import dev.vertxshop.contracts.search.SearchClient;
import dev.vertxshop.contracts.search.SearchQuery;
import dev.vertxshop.gateway.http.Responses;
import dev.vertxshop.gateway.http.Validated;
import dev.vertxshop.gateway.resilience.Downstream;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.openapi.validation.RequestParameter;
import java.util.Map;

/** Product search: the query parameters become the search service's query, the parameters given and no others. */
public final class SearchApi {

  private final Downstream search;
  private final SearchClient client;

  public SearchApi(Downstream search, SearchClient client) {
    this.search = search;
    this.client = client;
  }

  public void search(RoutingContext ctx) {
    Map<String, RequestParameter> params = Validated.query(ctx);
    JsonObject query = new JsonObject();
    putString(query, params, "q");
    putString(query, params, "category");
    putString(query, params, "sort");
    putLong(query, params, "minPrice");
    putLong(query, params, "maxPrice");
    putLong(query, params, "page");
    putLong(query, params, "size");
    // Read here with the contract's own reader: a query the service would refuse never crosses the bus.
    SearchQuery request = Validated.read(ctx, () -> SearchQuery.fromJson(query));
    if (request == null) {
      return;
    }
    search.call(() -> client.query(request)).onComplete(page -> Responses.json(ctx, 200, page), ctx::fail);
  }

  private static void putString(JsonObject query, Map<String, RequestParameter> params, String name) {
    String value = Validated.string(params, name, null);
    if (value != null) {
      query.put(name, value);
    }
  }

  private static void putLong(JsonObject query, Map<String, RequestParameter> params, String name) {
    Long value = Validated.longOrNull(params, name);
    if (value != null) {
      query.put(name, value);
    }
  }
}
