package dev.vertxshop.contracts.catalog;

import dev.vertxshop.platform.bus.BusMessage;
import dev.vertxshop.platform.errors.ServiceException;
import dev.vertxshop.platform.json.Fields;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;

/**
 * {@link CatalogContract#LIST_PRODUCTS}: one page of products, of one category or all. Absent fields take
 * their defaults ({@code page} 1, {@code size} {@value #DEFAULT_SIZE}, {@code sort} {@value #DEFAULT_SORT}).
 *
 * @param category a category id, or null for every category
 * @param sort one of {@link #SORTS}; ties are broken by id in the same direction
 */
public record ListProducts(int page, int size, String category, String sort) implements BusMessage {

  public static final int DEFAULT_SIZE = 20;
  public static final int MAX_SIZE = CatalogContract.MAX_PAGE_SIZE;
  /** Deep OFFSET pages cost a scan each; nobody browses 100k pages of a shop. */
  public static final int MAX_PAGE = 100_000;
  public static final String DEFAULT_SORT = "name";
  public static final List<String> SORTS = List.of("name", "-name", "price", "-price");
  private static final Set<String> FIELDS = Set.of("page", "size", "category", "sort");

  public ListProducts {
    if (page < 1 || page > MAX_PAGE) {
      throw ServiceException.badRequest("'page' must be an integer between 1 and " + MAX_PAGE);
    }
    if (size < 1 || size > MAX_SIZE) {
      throw ServiceException.badRequest("'size' must be an integer between 1 and " + MAX_SIZE);
    }
    if (category != null && !ProductFields.CATEGORY.matcher(category).matches()) {
      throw ServiceException.badRequest("'category' must be a category id (lower-case letters, digits, dashes)");
    }
    if (sort == null) {
      sort = DEFAULT_SORT;
    } else if (!SORTS.contains(sort)) {
      throw ServiceException.badRequest("'sort' must be one of " + String.join(", ", SORTS));
    }
  }

  public static ListProducts fromJson(Object body) {
    Fields f = Fields.of(body).only(FIELDS);
    return new ListProducts(f.integer("page", 1, MAX_PAGE, 1), f.integer("size", 1, MAX_SIZE, DEFAULT_SIZE),
        f.optionalString("category"), f.optionalString("sort"));
  }

  /** Rows to skip before this page. */
  public long offset() {
    return (long) (page - 1) * size;
  }

  @Override
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("page", page).put("size", size).put("sort", sort);
    if (category != null) {
      json.put("category", category);
    }
    return json;
  }
}
