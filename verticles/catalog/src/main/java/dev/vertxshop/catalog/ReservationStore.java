package dev.vertxshop.catalog;

import dev.vertxshop.contracts.Money;
import dev.vertxshop.contracts.catalog.ReservationStatus;
import dev.vertxshop.contracts.catalog.Reservation;
import dev.vertxshop.contracts.catalog.ReserveStock;
import dev.vertxshop.platform.errors.ServiceException;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stock reservations for the checkout saga: reserve takes units from {@code products.stock} for an
 * order (all lines or none), commit marks them sold, release puts them back. Each operation is one
 * transaction and idempotent per order id.
 *
 * <p>A request's lines of one product are merged (quantities added) and taken in product-id order: every
 * reservation takes its row locks in that one order, so two reservations sharing products wait for each
 * other instead of deadlocking.
 *
 * <p>Reservations write no product events: stock moves on every checkout, and the compacted product
 * topic is for catalog changes, not for a counter that changes with each sale.
 */
final class ReservationStore {

  private static final Logger LOG = LoggerFactory.getLogger(ReservationStore.class);

  static final String HELD = Reservation.HELD;
  static final String COMMITTED = Reservation.COMMITTED;
  static final String RELEASED = ReservationStatus.RELEASED;
  /** Status of a release that found no reservation (and left a tombstone). */
  static final String NONE = ReservationStatus.NONE;

  /**
   * PostgreSQL orders uuids by their bytes, which is the order of their canonical lower-case text;
   * {@link UUID#compareTo} compares signed longs and would disagree with the database's ORDER BY.
   */
  static final Comparator<UUID> DATABASE_ORDER = Comparator.comparing(UUID::toString);

  private final Pool pool;

  ReservationStore(Pool pool) {
    this.pool = pool;
  }

  Future<Reservation> reserve(ReserveStock request) {
    UUID orderId = request.orderId();
    List<Line> lines = merged(request.lines());
    return pool.withTransaction(tx -> tx.preparedQuery(CatalogQueries.CLAIM_RESERVATION).execute(Tuple.of(orderId))
            .compose(claimed -> claimed.rowCount() == 1
                ? tx.preparedQuery(CatalogQueries.STOCK_REASON).execute(Tuple.of("reserved for order " + orderId))
                    .compose(named -> hold(tx, orderId, lines))
                : existing(tx, orderId)))
        .onSuccess(reply -> LOG.debug("order {} reserved: {} lines, {}", orderId, reply.lines().size(), reply.state()));
  }

  /** Units of one product to take: a request's lines of that product added up. */
  record Line(UUID productId, int quantity) {
  }

  /** The lines with those of one product merged (quantities added), in {@link #DATABASE_ORDER}. */
  static List<Line> merged(List<ReserveStock.Line> lines) {
    Map<UUID, Integer> merged = new TreeMap<>(DATABASE_ORDER);
    // At most 50 x 99 units of one product: far from overflowing an int.
    lines.forEach(line -> merged.merge(line.productId(), line.quantity(), Integer::sum));
    List<Line> out = new ArrayList<>(merged.size());
    merged.forEach((productId, quantity) -> out.add(new Line(productId, quantity)));
    return List.copyOf(out);
  }

  Future<ReservationStatus> release(UUID orderId) {
    return pool.withTransaction(tx -> release(tx, orderId, true))
        .onSuccess(reply -> LOG.debug("order {} release: {}", orderId, reply.status()));
  }

  Future<ReservationStatus> commit(UUID orderId) {
    return pool.withTransaction(tx -> tx.preparedQuery(CatalogQueries.COMMIT_RESERVATION).execute(Tuple.of(orderId))
            .compose(updated -> {
              if (updated.rowCount() == 1) {
                return Future.succeededFuture(reply(orderId, COMMITTED));
              }
              return status(tx, orderId, false).compose(status -> {
                if (status == null) {
                  return Future.failedFuture(ServiceException.notFound("order " + orderId + " has no stock reservation"));
                }
                if (RELEASED.equals(status)) {
                  return Future.failedFuture(ServiceException.conflict(
                      "the stock reservation of order " + orderId + " was released; it cannot be committed"));
                }
                return Future.succeededFuture(reply(orderId, COMMITTED));
              });
            }))
        .onSuccess(reply -> LOG.debug("order {} stock committed", orderId));
  }

  /** Takes every line's units (in product-id order, pipelined in one round trip) and records the lines. */
  private Future<Reservation> hold(SqlConnection tx, UUID orderId, List<Line> lines) {
    List<Tuple> takes = lines.stream().map(line -> Tuple.of(line.productId(), line.quantity())).toList();
    return tx.preparedQuery(CatalogQueries.TAKE_STOCK).executeBatch(takes).compose(results -> {
      List<Tuple> inserts = new ArrayList<>(lines.size());
      List<Line> shortLines = new ArrayList<>();
      List<Reservation.Line> replyLines = new ArrayList<>(lines.size());
      int i = 0;
      // A batch answers with one row set per statement, in order, chained through next().
      for (RowSet<Row> taken = results; taken != null; taken = taken.next(), i++) {
        Line line = lines.get(i);
        if (taken.size() == 0) {
          shortLines.add(line);
          continue;
        }
        Row product = taken.iterator().next();
        String name = product.getString("name");
        long price = product.getLong("price_minor");
        String currency = product.getString("currency");
        inserts.add(Tuple.of(orderId, line.productId(), line.quantity(), price, currency, name));
        replyLines.add(new Reservation.Line(line.productId(), name, line.quantity(), new Money(price, currency)));
      }
      if (!shortLines.isEmpty()) {
        // Failing the transaction rolls back the units already taken and the claim: nothing is held.
        return explainShortage(tx, shortLines).compose(Future::failedFuture);
      }
      return tx.preparedQuery(CatalogQueries.INSERT_RESERVATION_LINE).executeBatch(inserts)
          .map(done -> Reservation.of(orderId, HELD, replyLines));
    });
  }

  /** NOT_FOUND for the first unknown product, else CONFLICT naming the first product short of units. */
  private static Future<ServiceException> explainShortage(SqlConnection tx, List<Line> shortLines) {
    UUID[] ids = shortLines.stream().map(Line::productId).toArray(UUID[]::new);
    return tx.preparedQuery(CatalogQueries.STOCK_OF).execute(Tuple.of(ids)).map(rows -> {
      Map<UUID, Row> found = new HashMap<>();
      rows.forEach(row -> found.put(row.getUUID("id"), row));
      for (Line line : shortLines) {
        if (!found.containsKey(line.productId())) {
          return ServiceException.notFound("product " + line.productId() + " not found");
        }
      }
      Line first = shortLines.get(0);
      Row product = found.get(first.productId());
      String others = shortLines.size() > 1 ? " (and " + (shortLines.size() - 1) + " more products short)" : "";
      return ServiceException.conflict("not enough stock for product " + first.productId() + " \""
          + product.getString("name") + "\": " + first.quantity() + " asked, " + product.getInteger("stock")
          + " available" + others);
    });
  }

  /** The reservation someone already made for this order, as it was made; refused once released. */
  private static Future<Reservation> existing(SqlConnection tx, UUID orderId) {
    return status(tx, orderId, false).compose(status -> {
      if (status == null) {
        // The claim saw a row that is gone: rows are never deleted, so this is a bug, not a caller error.
        return Future.failedFuture(new IllegalStateException("reservation of order " + orderId + " vanished"));
      }
      if (RELEASED.equals(status)) {
        return Future.failedFuture(ServiceException.conflict(
            "the stock reservation of order " + orderId + " was released; the order cannot reserve again"));
      }
      return tx.preparedQuery(CatalogQueries.RESERVATION_LINES).execute(Tuple.of(orderId)).map(rows -> {
        List<Reservation.Line> lines = new ArrayList<>(rows.size());
        rows.forEach(row -> lines.add(new Reservation.Line(row.getUUID("product_id"), row.getString("name"), row.getInteger("quantity"),
            new Money(row.getLong("unit_price_minor"), row.getString("currency")))));
        return Reservation.of(orderId, status, lines);
      });
    });
  }

  /**
   * Releases under the reservation's row lock. With no reservation, a tombstone is written so that a
   * reserve arriving later is refused; if a concurrent reserve wins the race for the row, its fresh
   * hold is released instead ({@code mayTombstone} false on that second look).
   */
  private static Future<ReservationStatus> release(SqlConnection tx, UUID orderId, boolean mayTombstone) {
    return status(tx, orderId, true).compose(status -> {
      if (status == null) {
        if (!mayTombstone) {
          return Future.failedFuture(new IllegalStateException("reservation of order " + orderId + " vanished"));
        }
        return tx.preparedQuery(CatalogQueries.INSERT_TOMBSTONE).execute(Tuple.of(orderId)).compose(inserted ->
            inserted.rowCount() == 1 ? Future.succeededFuture(reply(orderId, NONE)) : release(tx, orderId, false));
      }
      switch (status) {
        case RELEASED:
          return Future.succeededFuture(reply(orderId, RELEASED));
        case COMMITTED:
          return Future.failedFuture(ServiceException.conflict(
              "the stock reservation of order " + orderId + " is committed; it cannot be released"));
        default:
          return tx.preparedQuery(CatalogQueries.RESERVATION_LINES).execute(Tuple.of(orderId)).compose(rows -> {
            List<Tuple> returns = new ArrayList<>(rows.size());
            rows.forEach(row -> returns.add(Tuple.of(row.getUUID("product_id"), row.getInteger("quantity"))));
            // A HELD reservation has lines; the guard only keeps an empty batch away from the driver.
            Future<?> restocked = returns.isEmpty() ? Future.succeededFuture()
                : tx.preparedQuery(CatalogQueries.STOCK_REASON).execute(Tuple.of("released by order " + orderId))
                    .compose(named -> tx.preparedQuery(CatalogQueries.RETURN_STOCK).executeBatch(returns));
            return restocked
                .compose(v -> tx.preparedQuery(CatalogQueries.MARK_RELEASED).execute(Tuple.of(orderId)))
                .map(v -> reply(orderId, RELEASED));
          });
      }
    });
  }

  /** The reservation's status, or null when there is none. */
  private static Future<String> status(SqlConnection tx, UUID orderId, boolean lock) {
    String sql = lock ? CatalogQueries.LOCK_RESERVATION : CatalogQueries.RESERVATION_STATUS;
    return tx.preparedQuery(sql).execute(Tuple.of(orderId))
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getString("status"));
  }

  private static ReservationStatus reply(UUID orderId, String status) {
    return new ReservationStatus(orderId, status);
  }
}
