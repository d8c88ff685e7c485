package dev.vertxshop.cart;

import static dev.vertxshop.cart.CartFixtures.await;
import static dev.vertxshop.cart.CartFixtures.failure;
import static dev.vertxshop.cart.CartFixtures.stored;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vertxshop.cart.CartFixtures.Stored;
import dev.vertxshop.catalog.CatalogService;
import dev.vertxshop.contracts.catalog.CatalogClient;
import dev.vertxshop.platform.boot.ShopNode;
import dev.vertxshop.platform.boot.ShopService;
import dev.vertxshop.platform.config.Env;
import dev.vertxshop.platform.errors.ErrorCode;
import dev.vertxshop.platform.errors.ServiceException;
import dev.vertxshop.platform.testing.ShopTestEnv;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Nodes come and go here, so each step starts its own; a separate Vert.x holds the test's pools so
 * that they outlive the nodes.
 */
@DisplayName("cart durability across node restarts, and a cart never answered without prices")
class CartDurabilityTest {

  private static Env env;
  private static Vertx vertx;
  private static Pool cartDb;
  private static Pool catalogDb;

  @BeforeAll
  static void pools() {
    env = ShopTestEnv.shared(Map.of());
    vertx = Vertx.vertx();
    cartDb = CartFixtures.cartPool(vertx, env);
    catalogDb = CartFixtures.catalogPool(vertx, env);
  }

  @AfterAll
  static void close() throws Exception {
    await(vertx.close());
  }

  @Test
  @DisplayName("a cart survives a node stop; without the catalog it is UNAVAILABLE, never unpriced, and writes change nothing")
  void survivesRestartAndNeedsCatalog() throws Exception {
    String user = CartFixtures.newUser();
    JsonObject before;
    String mugId;
    String teaId;
    ShopNode first = start(new CatalogService(), new CartService());
    try {
      CatalogClient catalog = new CatalogClient(first.vertx(), CartFixtures.DEADLINE);
      String category = CartFixtures.newCategory(catalogDb);
      mugId = CartFixtures.newProduct(catalog, category, "Mug", 1_200, 8).getString("id");
      teaId = CartFixtures.newProduct(catalog, category, "Tea", 650, 40).getString("id");
      CartJsonClient cart = new CartJsonClient(first.vertx(), CartFixtures.DEADLINE);
      await(cart.addItem(user, mugId, 2));
      before = await(cart.addItem(user, teaId, 3));
    } finally {
      await(first.stop());
    }
    Stored stored = stored(cartDb, user);

    ShopNode cartAlone = start(new CartService());
    try {
      CartJsonClient cart = new CartJsonClient(cartAlone.vertx(), CartFixtures.DEADLINE);
      ServiceException onGet = failure(cart.get(user));
      assertThat(onGet.code()).isEqualTo(ErrorCode.UNAVAILABLE);
      assertThat(onGet.getMessage()).contains("catalog");
      assertThat(failure(cart.addItem(user, mugId, 1)).code()).isEqualTo(ErrorCode.UNAVAILABLE);
      assertThat(failure(cart.setItem(user, teaId, 9)).code()).isEqualTo(ErrorCode.UNAVAILABLE);
      assertThat(failure(cart.removeItem(user, teaId)).code()).isEqualTo(ErrorCode.UNAVAILABLE);
      assertThat(stored(cartDb, user)).as("a write that cannot be priced is not made").isEqualTo(stored);
    } finally {
      await(cartAlone.stop());
    }

    ShopNode second = start(new CatalogService(), new CartService());
    try {
      JsonObject after = await(new CartJsonClient(second.vertx(), CartFixtures.DEADLINE).get(user));
      assertThat(after).isEqualTo(before);
      assertThat(CartFixtures.quantities(after)).isEqualTo(Map.of(mugId, 2, teaId, 3));
    } finally {
      await(second.stop());
    }
  }

  private static ShopNode start(ShopService... services) throws Exception {
    // Nodes are whole Vert.x instances: started from the test thread, not from inside another's event loop.
    return await(ShopNode.start(env, List.of(services), false));
  }
}
