package dev.vertxshop.cart;

import dev.vertxshop.contracts.catalog.CatalogClient;
import dev.vertxshop.platform.errors.ErrorCode;
import dev.vertxshop.platform.errors.ServiceException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cart operations: the stored cart, priced through one {@code catalog.product.getMany} call.
 *
 * <p>A write asks the catalog BEFORE it changes anything, for the products already in the cart plus
 * the one being added (which is how an unknown product is found: NOT_FOUND). So a catalog outage
 * fails the request with UNAVAILABLE and nothing written, instead of committing a change and then
 * failing to answer it, which would make a retried add count twice.
 */
final class Carts {

  private static final Logger LOG = LoggerFactory.getLogger(Carts.class);

  private final CartStore store;
  private final CatalogClient catalog;

  Carts(CartStore store, CatalogClient catalog) {
    this.store = store;
    this.catalog = catalog;
  }

  Future<JsonObject> get(CartRequest request) {
    return store.read(request.userId())
        .compose(cart -> products(cart.productIds()).map(products -> CartView.of(cart, products)));
  }

  Future<JsonObject> add(CartRequest request) {
    return write(request, request.productId(),
        () -> store.add(request.userId(), request.productId(), request.quantity()));
  }

  Future<JsonObject> set(CartRequest request) {
    if (request.quantity() == 0) {
      return write(request, null, () -> store.remove(request.userId(), request.productId(), false));
    }
    return write(request, request.productId(),
        () -> store.set(request.userId(), request.productId(), request.quantity()));
  }

  Future<JsonObject> remove(CartRequest request) {
    return write(request, null, () -> store.remove(request.userId(), request.productId(), true));
  }

  /**
   * Prices the cart as it is plus {@code mustExist} (null: none), applies {@code change}, and answers
   * the changed cart. Only a product that another request put into the cart in between needs a second
   * catalog call.
   */
  private Future<JsonObject> write(CartRequest request, UUID mustExist, Supplier<Future<CartState>> change) {
    return store.read(request.userId()).compose(before -> {
      Set<UUID> asked = before.productIds();
      if (mustExist != null) {
        asked.add(mustExist);
      }
      return products(asked).compose(products -> {
        if (mustExist != null && !products.containsKey(mustExist)) {
          return Future.failedFuture(ServiceException.notFound("product " + mustExist + " not found"));
        }
        return change.get().compose(after -> {
          List<UUID> unpriced = new ArrayList<>(after.productIds());
          unpriced.removeAll(asked);
          Future<Map<UUID, JsonObject>> all = unpriced.isEmpty() ? Future.succeededFuture(products)
              : products(unpriced).map(more -> {
                Map<UUID, JsonObject> merged = new HashMap<>(products);
                merged.putAll(more);
                return merged;
              });
          return all.map(priced -> CartView.of(after, priced));
        });
      });
    });
  }

  /** The catalog's current products among {@code ids}, by id; any catalog failure is UNAVAILABLE. */
  private Future<Map<UUID, JsonObject>> products(Collection<UUID> ids) {
    if (ids.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    List<String> asked = ids.stream().distinct().map(UUID::toString).toList();
    return catalog.getProducts(asked)
        .recover(failure -> {
          ServiceException error = ServiceException.from(failure);
          LOG.warn("catalog.product.getMany failed ({}): {}", error.code(), error.getMessage());
          // A cart without prices would be a wrong cart: the caller gets no cart at all.
          return Future.failedFuture(new ServiceException(ErrorCode.UNAVAILABLE,
              "the catalog is unavailable, so the cart cannot be priced; try again"));
        })
        .map(reply -> {
          Map<UUID, JsonObject> products = new HashMap<>();
          reply.getJsonArray("items").forEach(item -> {
            JsonObject product = (JsonObject) item;
            products.put(UUID.fromString(product.getString("id")), product);
          });
          return products;
        });
  }
}
