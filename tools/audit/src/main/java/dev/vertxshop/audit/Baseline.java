package dev.vertxshop.audit;

import java.time.Instant;

/**
 * The state a run starts from: the window start (database time), stock per product and the provider's
 * totals. A check against it looks only at checkouts made since, and at the provider's totals since.
 */
public record Baseline(Instant takenAt, StockSnapshot stock, ProviderStats provider) {

  /** The whole history: every order, the provider's totals as they are, no stock comparison. */
  public static Baseline everything() {
    return new Baseline(Instant.EPOCH, null, ProviderStats.ZERO);
  }
}
