package dev.vertxshop.contracts.orders;

import dev.vertxshop.platform.errors.ServiceException;
import dev.vertxshop.platform.json.Fields;

/** The page rules the orders contract's list records share: each failure a BAD_REQUEST naming the field. */
final class OrderFields {

  private OrderFields() {
  }

  /** The page asked for, 1 when absent. */
  static int readPage(Fields f) {
    return f.integer("page", 1, OrdersContract.MAX_PAGE, 1);
  }

  /** The page size asked for, {@value OrdersContract#DEFAULT_PAGE_SIZE} when absent. */
  static int readSize(Fields f) {
    return f.integer("size", 1, OrdersContract.MAX_PAGE_SIZE, OrdersContract.DEFAULT_PAGE_SIZE);
  }

  /** The rows before page {@code page} of {@code size}. */
  static long offset(int page, int size) {
    return (long) (page - 1) * size;
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
