package dev.vertxshop.contracts.search;

import dev.vertxshop.platform.bus.BusMessage;
import dev.vertxshop.platform.errors.ServiceException;
import dev.vertxshop.platform.json.Fields;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@link SearchContract#QUERY}: one page of products matching free text, a category and a price range.
 * On the wire {@code text} is {@code "q"}; absent fields take their defaults ({@code page} 1, {@code size}
 * {@value #DEFAULT_SIZE}, {@code sort} relevance), a blank text means "every product".
 *
 * @param text the free text (at most {@value #MAX_TEXT} characters), or null for every product
 * @param category a category id, or null
 * @param minPrice lowest price in minor units, inclusive, or null
 * @param maxPrice highest price in minor units, inclusive, or null
 * @param sort one of {@link #SORTS}
 */
public record SearchQuery(String text, String category, Long minPrice, Long maxPrice, String sort, int page, int size)
    implements BusMessage {

  public static final int MAX_TEXT = 200;
  public static final int MAX_SIZE = 100;
  public static final int DEFAULT_SIZE = 20;
  /** How deep one may page: collecting the top N costs memory in N, and nobody reads hit 10 001. */
  public static final int MAX_WINDOW = 10_000;
  public static final long MAX_PRICE = 1_000_000_000_000L;
  public static final List<String> SORTS = List.of("relevance", "name", "-name", "price", "-price");
  public static final String DEFAULT_SORT = "relevance";
  /** Category ids as the catalog defines them. */
  public static final Pattern CATEGORY = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
  private static final Set<String> FIELDS = Set.of("q", "category", "minPrice", "maxPrice", "sort", "page", "size");

  /** Every check of the contract: a query that is built is a query the service runs. */
  public SearchQuery {
    if (text != null && text.isBlank()) {
      text = null;
    }
    if (text != null && text.length() > MAX_TEXT) {
      throw ServiceException.badRequest("'q' must be at most " + MAX_TEXT + " characters");
    }
    if (category != null && !CATEGORY.matcher(category).matches()) {
      throw ServiceException.badRequest("'category' must be a category id (lower-case letters, digits, dashes)");
    }
    checkPrice("minPrice", minPrice);
    checkPrice("maxPrice", maxPrice);
    if (minPrice != null && maxPrice != null && minPrice > maxPrice) {
      throw ServiceException.badRequest("'minPrice' must not be greater than 'maxPrice'");
    }
    if (sort == null) {
      sort = DEFAULT_SORT;
    } else if (!SORTS.contains(sort)) {
      throw ServiceException.badRequest("'sort' must be one of " + String.join(", ", SORTS));
    }
    if (page < 1 || page > MAX_WINDOW) {
      throw ServiceException.badRequest("'page' must be an integer between 1 and " + MAX_WINDOW);
    }
    if (size < 1 || size > MAX_SIZE) {
      throw ServiceException.badRequest("'size' must be an integer between 1 and " + MAX_SIZE);
    }
    if ((long) page * size > MAX_WINDOW) {
      throw ServiceException.badRequest("'page' times 'size' must be at most " + MAX_WINDOW + ": only the first "
          + MAX_WINDOW + " results can be paged through; narrow the search instead");
    }
  }

  /** Reads a request strictly: any field not in the contract, a wrong type or an out-of-range value is refused. */
  public static SearchQuery fromJson(Object body) {
    Fields f = Fields.of(body).only(FIELDS);
    return new SearchQuery(f.optionalString("q"), f.optionalString("category"),
        f.optionalInteger("minPrice", 0, MAX_PRICE), f.optionalInteger("maxPrice", 0, MAX_PRICE),
        f.optionalString("sort"), f.integer("page", 1, MAX_WINDOW, 1), f.integer("size", 1, MAX_SIZE, DEFAULT_SIZE));
  }

  @Override
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("sort", sort).put("page", page).put("size", size);
    if (text != null) {
      json.put("q", text);
    }
    if (category != null) {
      json.put("category", category);
    }
    if (minPrice != null) {
      json.put("minPrice", minPrice);
    }
    if (maxPrice != null) {
      json.put("maxPrice", maxPrice);
    }
    return json;
  }

  /** Hits to skip before this page. */
  public int offset() {
    return (page - 1) * size;
  }

  /** How many top hits must be collected to serve this page. */
  public int window() {
    return page * size;
  }

  private static void checkPrice(String name, Long price) {
    if (price != null && (price < 0 || price > MAX_PRICE)) {
      throw ServiceException.badRequest("'" + name + "' must be an integer between 0 and " + MAX_PRICE);
    }
  }
}
