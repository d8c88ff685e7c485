package dev.vertxshop.catalog;

import dev.vertxshop.contracts.catalog.CatalogContract;
import dev.vertxshop.platform.errors.ServiceException;
import io.vertx.core.json.JsonObject;

/** A validated page request of {@code catalog.product.list}. */
record ListQuery(int page, int size, String category, String sort) {

  static final int DEFAULT_SIZE = 20;
  static final String DEFAULT_SORT = "name";
  /** Deep OFFSET pages cost a scan each; nobody browses 100k pages of a shop. */
  static final int MAX_PAGE = 100_000;

  /** Reads the query; absent or null fields take their defaults, extra fields are ignored. */
  static ListQuery parse(JsonObject json) {
    Long page = Requests.integer(json, "page", "page", 1, MAX_PAGE, false);
    Long size = Requests.integer(json, "size", "size", 1, CatalogContract.MAX_PAGE_SIZE, false);
    String category = Requests.string(json, "category", "category", false);
    if (category != null && !ProductInput.CATEGORY.matcher(category).matches()) {
      throw ServiceException.badRequest("'category' must be a category id (lower-case letters, digits, dashes)");
    }
    String sort = Requests.string(json, "sort", "sort", false);
    if (sort == null) {
      sort = DEFAULT_SORT;
    } else if (!CatalogQueries.sortKeys().contains(sort)) {
      throw ServiceException.badRequest("'sort' must be one of name, -name, price, -price");
    }
    return new ListQuery(page == null ? 1 : page.intValue(), size == null ? DEFAULT_SIZE : size.intValue(), category, sort);
  }

  long offset() {
    return (long) (page - 1) * size;
  }
}
