package dev.vertxshop.contracts.search;

/**
 * The search service's published contract: a Lucene index of the products, fed from the catalog's
 * product topic.
 *
 * <p>Query: {@code {"q"? (free text, 0..200 chars), "category"?, "minPrice"? / "maxPrice"? (minor units),
 * "sort"? ("relevance"|"name"|"-name"|"price"|"-price"), "page" (from 1), "size" (1..100)}}. Reply:
 * {@code {"items": [product], "page", "size", "total", "facets": {"category": [{"value", "count"}]}}},
 * products as the catalog publishes them.
 */
public final class SearchContract {

  private SearchContract() {
  }

  public static final String QUERY = "search.query";
}
