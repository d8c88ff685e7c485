package dev.vertxshop.search;

import dev.vertxshop.platform.errors.ServiceException;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A validated {@code search.query} request.
 *
 * @param text the free text, or null for "every product"
 * @param minPrice lowest price in minor units, inclusive, or null
 * @param maxPrice highest price in minor units, inclusive, or null
 */
record SearchQuery(String text, String category, Long minPrice, Long maxPrice, String sort, int page, int size) {

  static final int MAX_TEXT = 200;
  static final int MAX_SIZE = 100;
  static final int DEFAULT_SIZE = 20;
  /** How deep one may page: collecting the top N costs memory in N, and nobody reads hit 10 001. */
  static final int MAX_WINDOW = 10_000;
  static final long MAX_PRICE = 1_000_000_000_000L;
  static final List<String> SORTS = List.of("relevance", "name", "-name", "price", "-price");
  static final String DEFAULT_SORT = "relevance";
  /** Category ids as the catalog defines them. */
  static final Pattern CATEGORY = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
  private static final Set<String> FIELDS = Set.of("q", "category", "minPrice", "maxPrice", "sort", "page", "size");

  /** Reads a request; absent fields take their defaults, any field not in the contract is refused. */
  static SearchQuery parse(Object body) {
    JsonObject json = Requests.object(body);
    Requests.rejectUnknown(json, FIELDS);
    String text = Requests.string(json, "q");
    if (text != null && text.length() > MAX_TEXT) {
      throw ServiceException.badRequest("'q' must be at most " + MAX_TEXT + " characters");
    }
    String category = Requests.string(json, "category");
    if (category != null && !CATEGORY.matcher(category).matches()) {
      throw ServiceException.badRequest("'category' must be a category id (lower-case letters, digits, dashes)");
    }
    Long min = Requests.integer(json, "minPrice", 0, MAX_PRICE);
    Long max = Requests.integer(json, "maxPrice", 0, MAX_PRICE);
    if (min != null && max != null && min > max) {
      throw ServiceException.badRequest("'minPrice' must not be greater than 'maxPrice'");
    }
    String sort = Requests.string(json, "sort");
    if (sort == null) {
      sort = DEFAULT_SORT;
    } else if (!SORTS.contains(sort)) {
      throw ServiceException.badRequest("'sort' must be one of " + String.join(", ", SORTS));
    }
    Long page = Requests.integer(json, "page", 1, MAX_WINDOW);
    Long size = Requests.integer(json, "size", 1, MAX_SIZE);
    int p = page == null ? 1 : page.intValue();
    int s = size == null ? DEFAULT_SIZE : size.intValue();
    if ((long) p * s > MAX_WINDOW) {
      throw ServiceException.badRequest("'page' times 'size' must be at most " + MAX_WINDOW + ": only the first "
          + MAX_WINDOW + " results can be paged through; narrow the search instead");
    }
    return new SearchQuery(text == null || text.isBlank() ? null : text, category, min, max, sort, p, s);
  }

  int offset() {
    return (page - 1) * size;
  }

  /** How many top hits must be collected to serve this page. */
  int window() {
    return page * size;
  }
}
