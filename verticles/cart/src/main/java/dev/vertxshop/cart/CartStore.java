package dev.vertxshop.cart;

import dev.vertxshop.contracts.cart.Cart;
import dev.vertxshop.contracts.cart.CartContract;
import dev.vertxshop.platform.errors.ErrorCode;
import dev.vertxshop.platform.errors.ServiceException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Carts in PostgreSQL. Every change is one transaction that first locks the user's cart row, so the
 * 50-line and 99-unit rules hold under concurrent requests; a refused change rolls back and leaves
 * the cart as it was. Each change answers through the caller's {@link Answer}, inside the transaction:
 * a change that cannot be answered (the catalog failed to price it) is not made.
 *
 * <p>A keyed add claims its idempotency key before anything else in its transaction; a key already
 * claimed answers what it stands for ({@link Outcome#earlier()}) and the transaction changes nothing.
 */
final class CartStore {

  /** The reply to a change, computed from the cart after it, before the transaction commits. */
  interface Answer {
    Future<Cart> apply(CartState after);
  }

  /** A request under an idempotency key: whose, the key, the address it was sent to, and its own fields. */
  record KeyUse(UUID userId, String key, String operation, JsonObject request) {
  }

  /**
   * What a key already stands for: whether it was used for the same operation and fields ({@code same}), the first
   * reply, and the operation and fields of that first use.
   */
  record Keyed(boolean same, Cart reply, String operation, JsonObject request) {
  }

  /** A write's result: its reply, or ({@code earlier} set, {@code reply} null) the key's earlier use, nothing changed. */
  record Outcome(Cart reply, Keyed earlier) {
  }

  private final Pool pool;

  CartStore(Pool pool) {
    this.pool = pool;
  }

  Future<CartState> read(UUID userId) {
    return read(pool, userId);
  }

  /** What {@code use}'s key already stands for, or null when it is not claimed (read outside any transaction). */
  Future<Keyed> keyed(KeyUse use) {
    return keyed(pool, use);
  }

  /**
   * Adds {@code quantity} units to the product's line, creating the line (and the cart) if needed; under {@code key}
   * (null: none) at most once.
   */
  Future<Outcome> add(UUID userId, UUID productId, int quantity, KeyUse key, Answer answer) {
    return pool.withTransaction(tx -> claim(tx, key).compose(earlier -> {
      if (earlier != null) {
        return Future.succeededFuture(new Outcome(null, earlier));
      }
      return change(tx, userId, productId, current -> {
        if (current == null) {
          return quantity;
        }
        int total = current + quantity;
        if (total > CartContract.MAX_QUANTITY) {
          throw ServiceException.badRequest("the cart has " + current + " units of product " + productId + "; adding "
              + quantity + " would make " + total + ", more than " + CartContract.MAX_QUANTITY);
        }
        return total;
      })
          .compose(answer::apply)
          .compose(reply -> key == null ? Future.succeededFuture(reply)
              : tx.preparedQuery(CartQueries.STORE_REPLY).execute(Tuple.of(key.userId(), key.key(), reply.toJson())).map(stored -> reply))
          .map(reply -> new Outcome(reply, null));
    }));
  }

  /** Sets the product's line to {@code quantity} (1..99), creating it if needed. */
  Future<Cart> set(UUID userId, UUID productId, int quantity, Answer answer) {
    return pool.withTransaction(tx -> change(tx, userId, productId, current -> quantity).compose(answer::apply));
  }

  /**
   * Removes the product's line. Without such a line: NOT_FOUND when {@code mustExist} (remove), the
   * cart unchanged otherwise (a set to 0).
   */
  Future<Cart> remove(UUID userId, UUID productId, boolean mustExist, Answer answer) {
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
        })
        .compose(answer::apply));
  }

  /** Deletes up to {@code limit} keys older than {@code retention}; answers how many went. */
  Future<Integer> pruneKeys(Duration retention, int limit) {
    return pool.preparedQuery(CartQueries.PRUNE_KEYS).execute(Tuple.of((double) retention.toSeconds(), (long) limit))
        .map(rows -> rows.rowCount());
  }

  /**
   * Claims the key (none: nothing to claim, null). A key another transaction is claiming makes this one wait for it:
   * committed, its row is what the key stands for; rolled back, the claim is this one's.
   */
  private static Future<Keyed> claim(SqlConnection tx, KeyUse use) {
    if (use == null) {
      return Future.succeededFuture(null);
    }
    return tx.preparedQuery(CartQueries.CLAIM_KEY).execute(Tuple.of(use.userId(), use.key(), use.operation(), use.request()))
        .compose(claimed -> claimed.size() == 1 ? Future.succeededFuture(null) : keyed(tx, use).compose(earlier -> earlier != null
            ? Future.succeededFuture(earlier)
            // Claimed by a transaction that committed and whose row is already gone (pruned in between): only a retention
            // shorter than a request could do that, but answering nothing would be wrong.
            : Future.failedFuture(new ServiceException(ErrorCode.UNAVAILABLE, "the idempotency key was busy; try again"))));
  }

  private static Future<Keyed> keyed(SqlClient client, KeyUse use) {
    return client.preparedQuery(CartQueries.KEYED).execute(Tuple.of(use.userId(), use.key(), use.operation(), use.request()))
        .map(rows -> {
          if (rows.size() == 0) {
            return null;
          }
          Row row = rows.iterator().next();
          // The stored reply is the cart as this service wrote it: read with the contract's reader, like any reply.
          return new Keyed(row.getBoolean("same"), Cart.fromJson(row.getValue("reply")), row.getString("operation"),
              (JsonObject) row.getValue("request"));
        });
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
