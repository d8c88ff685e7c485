package dev.vertxshop.cart;

import dev.vertxshop.contracts.cart.CartContract;
import dev.vertxshop.platform.errors.ServiceException;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Carts in PostgreSQL. Every change is one transaction that first locks the user's cart row, so the
 * 50-line and 99-unit rules hold under concurrent requests; a refused change rolls back and leaves
 * the cart as it was. Each change answers the cart as it is after the commit.
 */
final class CartStore {

  private final Pool pool;

  CartStore(Pool pool) {
    this.pool = pool;
  }

  Future<CartState> read(UUID userId) {
    return read(pool, userId);
  }

  /** Adds {@code quantity} units to the product's line, creating the line (and the cart) if needed. */
  Future<CartState> add(UUID userId, UUID productId, int quantity) {
    return pool.withTransaction(tx -> change(tx, userId, productId, current -> {
      if (current == null) {
        return quantity;
      }
      int total = current + quantity;
      if (total > CartContract.MAX_QUANTITY) {
        throw ServiceException.badRequest("the cart has " + current + " units of product " + productId + "; adding "
            + quantity + " would make " + total + ", more than " + CartContract.MAX_QUANTITY);
      }
      return total;
    }));
  }

  /** Sets the product's line to {@code quantity} (1..99), creating it if needed. */
  Future<CartState> set(UUID userId, UUID productId, int quantity) {
    return pool.withTransaction(tx -> change(tx, userId, productId, current -> quantity));
  }

  /**
   * Removes the product's line. Without such a line: NOT_FOUND when {@code mustExist} (remove), the
   * cart unchanged otherwise (a set to 0).
   */
  Future<CartState> remove(UUID userId, UUID productId, boolean mustExist) {
    return pool.withTransaction(tx -> tx.preparedQuery(CartQueries.LOCK_CART).execute(Tuple.of(userId))
        .compose(cart -> cart.size() == 0 ? Future.succeededFuture(0)
            : tx.preparedQuery(CartQueries.DELETE_LINE).execute(Tuple.of(userId, productId)).map(deleted -> deleted.rowCount()))
        .compose(deleted -> {
          if (deleted == 0) {
            return mustExist
                ? Future.failedFuture(ServiceException.notFound("product " + productId + " is not in the cart"))
                : read(tx, userId);
          }
          return tx.preparedQuery(CartQueries.BUMP_CART).execute(Tuple.of(userId)).compose(v -> read(tx, userId));
        }));
  }

  /** The new quantity of a line given the current one (null: no line yet); may refuse by throwing. */
  private interface NextQuantity {
    int apply(Integer current);
  }

  private static Future<CartState> change(SqlConnection tx, UUID userId, UUID productId, NextQuantity next) {
    return tx.preparedQuery(CartQueries.TOUCH_CART).execute(Tuple.of(userId))
        .compose(touched -> tx.preparedQuery(CartQueries.LINE_STATE).execute(Tuple.of(userId, productId)))
        .compose(state -> {
          Row row = state.iterator().next();
          long lines = row.getLong(0);
          Integer current = row.getInteger(1);
          if (current == null && lines >= CartContract.MAX_LINES) {
            return Future.failedFuture(ServiceException.badRequest(
                "the cart already has " + lines + " lines, the most it can hold; remove one to add product " + productId));
          }
          int quantity;
          try {
            quantity = next.apply(current);
          } catch (ServiceException refused) {
            return Future.failedFuture(refused);
          }
          return tx.preparedQuery(CartQueries.UPSERT_LINE).execute(Tuple.of(userId, productId, quantity));
        })
        .compose(written -> read(tx, userId));
  }

  private static Future<CartState> read(SqlClient client, UUID userId) {
    return client.preparedQuery(CartQueries.CART).execute(Tuple.of(userId)).map(rows -> {
      if (rows.size() == 0) {
        return CartState.empty(userId);
      }
      List<CartState.Line> lines = new ArrayList<>(rows.size());
      Instant updatedAt = null;
      for (Row row : rows) {
        updatedAt = row.getOffsetDateTime("updated_at").toInstant();
        UUID productId = row.getUUID("product_id");
        if (productId != null) {
          lines.add(new CartState.Line(productId, row.getInteger("quantity"), row.getOffsetDateTime("added_at").toInstant()));
        }
      }
      return new CartState(userId, updatedAt, List.copyOf(lines));
    });
  }
}
