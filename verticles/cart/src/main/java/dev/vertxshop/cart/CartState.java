package dev.vertxshop.cart;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** A cart as stored, before pricing: {@code updatedAt} is null when the user never had a cart. */
record CartState(UUID userId, Instant updatedAt, List<Line> lines) {

  /** One stored line. */
  record Line(UUID productId, int quantity, Instant addedAt) {
  }

  static CartState empty(UUID userId) {
    return new CartState(userId, null, List.of());
  }

  Set<UUID> productIds() {
    Set<UUID> ids = new LinkedHashSet<>();
    lines.forEach(line -> ids.add(line.productId()));
    return ids;
  }
}
