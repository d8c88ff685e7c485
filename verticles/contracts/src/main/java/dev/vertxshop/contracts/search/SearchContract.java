package dev.vertxshop.contracts.search;

import dev.vertxshop.platform.bus.Route;
import io.vertx.core.json.JsonObject;

/**
 * The search service's published contract: a Lucene index of the products, fed from the catalog's
 * product topic.
 *
 * <p>Query: {@code {"q"? (free text, 0..200 chars), "category"?, "minPrice"? / "maxPrice"? (minor units),
 * "sort"? ("relevance"|"name"|"-name"|"price"|"-price"), "page" (from 1), "size" (1..100)}}. Reply:
 * {@code {"items": [product], "page", "size", "total", "facets": {"category": [{"value", "count"}]}}},
 * products as the catalog publishes them.
 *
 * <p>Defaults: {@code page} 1, {@code size} 20, {@code sort} relevance; an absent or blank {@code q}
 * matches every product. {@code q} accepts simple operators ({@code "a phrase"}, {@code -word},
 * {@code a | b}, {@code pre*}) and never fails to parse; every word must match name or description.
 * Price bounds are inclusive. {@code total} is exact. Only the first 10 000 hits can be paged through
 * ({@code page * size <= 10000}). The category facet counts the text and price matches per category
 * <em>without</em> the category filter, so a client can show what other categories would give; it is
 * sorted by count, then value. Fields not listed here, wrong types and out-of-range values fail
 * BAD_REQUEST, as does {@code minPrice > maxPrice}.
 */
public final class SearchContract {

  private SearchContract() {
  }

  /** {@link SearchQuery} → the page as a JSON document (products as the catalog publishes them). */
  public static final Route<SearchQuery, JsonObject> QUERY = Route.idempotent("search.query",
      SearchQuery.class, SearchQuery::fromJson, JsonObject.class, Route::jsonReply);
}
