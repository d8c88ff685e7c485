package dev.vertxshop.audit;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** Units in stock per product at {@code takenAt} (database time), taken while the system was quiet. */
public record StockSnapshot(Instant takenAt, Map<UUID, Integer> stock) {

  public StockSnapshot {
    stock = Map.copyOf(stock);
  }
}
