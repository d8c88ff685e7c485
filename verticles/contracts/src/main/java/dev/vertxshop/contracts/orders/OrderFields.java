package dev.vertxshop.contracts.orders;

import dev.vertxshop.platform.errors.ServiceException;

/** The checks the orders contract's records share: each failure a BAD_REQUEST naming the field. */
final class OrderFields {

  private OrderFields() {
  }

  static void required(Object value, String field) {
    if (value == null) {
      throw ServiceException.badRequest("'" + field + "' is required");
    }
  }

  static void page(int page, int size) {
    if (page < 1 || page > OrdersContract.MAX_PAGE) {
      throw ServiceException.badRequest("'page' must be an integer between 1 and " + OrdersContract.MAX_PAGE);
    }
    if (size < 1 || size > OrdersContract.MAX_PAGE_SIZE) {
      throw ServiceException.badRequest("'size' must be an integer between 1 and " + OrdersContract.MAX_PAGE_SIZE);
    }
  }
}
