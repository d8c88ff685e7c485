package dev.vertxshop.cart;

import dev.vertxshop.contracts.cart.AddItem;
import dev.vertxshop.contracts.cart.Cart;
import dev.vertxshop.contracts.cart.CartContract;
import dev.vertxshop.contracts.cart.GetCart;
import dev.vertxshop.contracts.cart.RemoveItem;
import dev.vertxshop.contracts.cart.SetItem;
import dev.vertxshop.contracts.catalog.CatalogClient;
import dev.vertxshop.contracts.catalog.GetProducts;
import dev.vertxshop.contracts.catalog.Product;
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
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cart operations: the stored cart, priced through one {@code catalog.product.getMany} call.
 *
 * <p>A write asks the catalog BEFORE it changes anything, for the products already in the cart plus
 * the one being added (which is how an unknown product is found: NOT_FOUND). So a catalog outage
 * fails the request with UNAVAILABLE and nothing written, instead of committing a change and then
 * failing to answer it, which would make a retried add count twice. The answer is made before the
 * change commits, so a change that cannot be priced is not made either.
 *
 * <p>An add under an idempotency key is looked up first: a key already used answers its first reply
 * (same product and quantity) or UNPROCESSABLE (another request), without asking the catalog or
 * writing anything. A new key is claimed by the add's own transaction, which settles races between
 * adds sent twice at once.
 */
final class Carts {

  private static final Logger LOG = LoggerFactory.getLogger(Carts.class);

  private final CartStore store;
  private final CatalogClient catalog;
  private final CartMetrics metrics;

  Carts(CartStore store, CatalogClient catalog, CartMetrics metrics) {
    this.store = store;
    this.catalog = catalog;
    this.metrics = metrics;
  }

  Future<Cart> get(GetCart request) {
    return store.read(request.userId())
        .compose(cart -> products(cart.productIds()).map(products -> CartView.of(cart, products)));
  }

  Future<Cart> add(AddItem request) {
    if (request.idempotencyKey() == null) {
      return write(request.userId(), request.productId(), answer -> store.add(request.userId(), request.productId(), request.quantity(),
          null, answer).map(CartStore.Outcome::reply));
    }
    CartStore.KeyUse key = new CartStore.KeyUse(request.userId(), request.idempotencyKey(), CartContract.ADD_ITEM.address(),
        new JsonObject().put("productId", request.productId().toString()).put("quantity", request.quantity()));
    return store.keyed(key).compose(earlier -> earlier != null ? replay(key, earlier)
        : write(request.userId(), request.productId(), answer -> store.add(request.userId(), request.productId(), request.quantity(),
            key, answer).compose(outcome -> outcome.earlier() != null ? replay(key, outcome.earlier())
                : Future.succeededFuture(outcome.reply()))));
  }

  Future<Cart> set(SetItem request) {
    if (request.quantity() == 0) {
      return write(request.userId(), null, answer -> store.remove(request.userId(), request.productId(), false, answer));
    }
    return write(request.userId(), request.productId(),
        answer -> store.set(request.userId(), request.productId(), request.quantity(), answer));
  }

  Future<Cart> remove(RemoveItem request) {
    return write(request.userId(), null, answer -> store.remove(request.userId(), request.productId(), true, answer));
  }

  /** The first answer under {@code key}, when it was used for the same request; UNPROCESSABLE otherwise. */
  private Future<Cart> replay(CartStore.KeyUse key, CartStore.Keyed earlier) {
    if (earlier.same()) {
      metrics.replayed();
      LOG.info("add under idempotency key {} of user {} answered again, nothing changed", key.key(), key.userId());
      return Future.succeededFuture(earlier.reply());
    }
    metrics.refusedReuse();
    JsonObject first = earlier.request();
    String firstRequest = CartContract.ADD_ITEM.address().equals(earlier.operation())
        ? "an add of " + first.getValue("quantity") + " units of product " + first.getValue("productId")
        : earlier.operation();
    return Future.failedFuture(new ServiceException(ErrorCode.UNPROCESSABLE, "the Idempotency-Key '" + key.key()
        + "' was already used for another request (" + firstRequest + "); nothing was changed. Use a new key for a new request"));
  }

  /**
   * Prices the cart as it is plus {@code mustExist} (null: none), then has {@code change} make the change and answer
   * the changed cart through the given pricing, before it commits. Only a product that another request put into the
   * cart in between needs a second catalog call (and its failure undoes the change).
   */
  private Future<Cart> write(UUID userId, UUID mustExist, Function<CartStore.Answer, Future<Cart>> change) {
    return store.read(userId).compose(before -> {
      Set<UUID> asked = before.productIds();
      if (mustExist != null) {
        asked.add(mustExist);
      }
      return products(asked).compose(products -> {
        if (mustExist != null && !products.containsKey(mustExist)) {
          return Future.failedFuture(ServiceException.notFound("product " + mustExist + " not found"));
        }
        return change.apply(after -> {
          List<UUID> unpriced = new ArrayList<>(after.productIds());
          unpriced.removeAll(asked);
          Future<Map<UUID, Product>> all = unpriced.isEmpty() ? Future.succeededFuture(products)
              : products(unpriced).map(more -> {
                Map<UUID, Product> merged = new HashMap<>(products);
                merged.putAll(more);
                return merged;
              });
          return all.map(priced -> CartView.of(after, priced));
        });
      });
    });
  }

  /** The catalog's current products among {@code ids}, by id; any catalog failure is UNAVAILABLE. */
  private Future<Map<UUID, Product>> products(Collection<UUID> ids) {
    if (ids.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    return catalog.getProducts(new GetProducts(List.copyOf(ids)))
        .recover(failure -> {
          ServiceException error = ServiceException.from(failure);
          LOG.warn("catalog.product.getMany failed ({}): {}", error.code(), error.getMessage());
          // A cart without prices would be a wrong cart: the caller gets no cart at all.
          return Future.failedFuture(new ServiceException(ErrorCode.UNAVAILABLE,
              "the catalog is unavailable, so the cart cannot be priced; try again"));
        })
        .map(reply -> {
          Map<UUID, Product> products = new HashMap<>();
          reply.items().forEach(product -> products.put(product.id(), product));
          return products;
        });
  }
}
