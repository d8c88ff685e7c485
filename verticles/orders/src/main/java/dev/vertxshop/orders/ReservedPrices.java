package dev.vertxshop.orders;

import dev.vertxshop.contracts.catalog.Reservation;
import dev.vertxshop.orders.SagaStore.ReservedLine;
import dev.vertxshop.platform.errors.ErrorCode;
import dev.vertxshop.platform.errors.ServiceException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The price an order is charged: the unit prices (and names) the catalog recorded in its reservation, taken with
 * the stock in the catalog's own transaction. The cart's prices, snapshotted at checkout, are what the user saw;
 * the catalog owns prices, and the reservation is the one moment where price and units are taken together, so a
 * price change between the cart's read and the reserve is charged at the catalog's price, never at a stale one.
 *
 * @param totalMinor the order's new total, exact
 * @param lines      per product: the reservation's line (name, unit price)
 */
record ReservedPrices(long totalMinor, Map<UUID, Reservation.Line> lines) {

  /**
   * Prices the saga's lines with {@code reservation}. A reservation that does not hold exactly the order's products
   * and units, or prices in another currency than the order's, fails (CONFLICT): charging it would charge for
   * something else than the order, so the checkout is cancelled instead.
   */
  static ReservedPrices of(List<ReservedLine> ordered, String currency, Reservation reservation) {
    Map<UUID, Integer> units = new LinkedHashMap<>();
    ordered.forEach(line -> units.merge(line.productId(), line.quantity(), Integer::sum));
    Map<UUID, Reservation.Line> reserved = new HashMap<>();
    reservation.lines().forEach(line -> reserved.put(line.productId(), line));
    if (!reserved.keySet().equals(units.keySet())) {
      throw mismatch("it holds products " + reserved.keySet() + " for an order of " + units.keySet());
    }
    long total = 0;
    for (Map.Entry<UUID, Integer> entry : units.entrySet()) {
      Reservation.Line line = reserved.get(entry.getKey());
      if (line.quantity() != entry.getValue()) {
        throw mismatch("it holds " + line.quantity() + " units of product " + entry.getKey() + " for an order of " + entry.getValue());
      }
      if (!line.unitPrice().currency().equals(currency)) {
        throw mismatch("product " + entry.getKey() + " is priced in " + line.unitPrice().currency() + ", the order in " + currency);
      }
      try {
        total = Math.addExact(total, Math.multiplyExact(line.unitPrice().amount(), (long) line.quantity()));
      } catch (ArithmeticException e) {
        throw mismatch("its total does not fit an amount");
      }
    }
    return new ReservedPrices(total, Map.copyOf(reserved));
  }

  private static ServiceException mismatch(String why) {
    return new ServiceException(ErrorCode.CONFLICT, "the catalog's stock reservation does not match the order: " + why);
  }
}
