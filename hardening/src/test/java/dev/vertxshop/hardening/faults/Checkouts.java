package dev.vertxshop.hardening.faults;

import dev.vertxshop.hardening.faults.ShopApi.User;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The two workloads of the scenarios. Reads: {@code GET /api/products/{id}} of a random demo product.
 * Checkouts: a shopper puts one unit of the scenario's product in the cart ({@code PUT}, so the cart
 * holds exactly that whatever happened before), then checks out with a fresh {@code Idempotency-Key}.
 * Each shopper checks out once, so no cart is shared between two checkouts.
 */
final class Checkouts {

  /** What a checkout answered: the order id and status in the 201/202 body, when it was sent and answered. */
  record Answer(String orderId, int httpStatus, String status, String cancelReason, long sentAt, long at) {
  }

  private final ShopApi api;
  private final List<User> shoppers;
  private final String productId;
  private final List<String> readIds;
  private final Timeline timeline;
  private final Map<String, Answer> answers = new ConcurrentHashMap<>();
  private final Set<String> failedShoppers = ConcurrentHashMap.newKeySet();

  Checkouts(ShopApi api, List<User> shoppers, String productId, List<String> readIds, Timeline timeline) {
    this.api = api;
    this.shoppers = List.copyOf(shoppers);
    this.productId = productId;
    this.readIds = List.copyOf(readIds);
    this.timeline = timeline;
  }

  int capacity() {
    return shoppers.size();
  }

  /** One checkout by shopper {@code index}: cart, then order. */
  LoadGenerator.Operation checkout() {
    return (recorder, index) -> {
      User user = shoppers.get(index);
      return recorder.record("cart", () -> api.setCartItem(user, productId, 1), 200).compose(cart -> {
        if (cart.statusCode() != 200) {
          return Future.succeededFuture();
        }
        long sentAt = timeline.now();
        return recorder.record("checkout", () -> api.checkout(user, UUID.randomUUID().toString()), 201, 202)
            .onComplete(done -> {
              if (done.failed() || (done.result().statusCode() != 201 && done.result().statusCode() != 202)) {
                failedShoppers.add(user.id());
                return;
              }
              HttpResponse<Buffer> response = done.result();
              JsonObject order = response.bodyAsJsonObject();
              answers.put(order.getString("id"), new Answer(order.getString("id"), response.statusCode(),
                  order.getString("status"), order.getString("cancelReason"), sentAt, timeline.now()));
            });
      });
    };
  }

  /** One read of a random demo product. */
  LoadGenerator.Operation read() {
    return (recorder, index) -> recorder.record("read",
        () -> api.getProduct(readIds.get(ThreadLocalRandom.current().nextInt(readIds.size()))), 200);
  }

  /** Shoppers whose checkout request failed (an error status or no answer): did it place an order anyway? */
  Set<String> failedShoppers() {
    return Set.copyOf(failedShoppers);
  }

  /** Checkouts answered with an order, by order id. */
  Map<String, Answer> answers() {
    return Map.copyOf(answers);
  }
}
