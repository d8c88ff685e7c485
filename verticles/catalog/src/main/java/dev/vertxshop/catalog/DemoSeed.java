package dev.vertxshop.catalog;

import dev.vertxshop.contracts.catalog.CatalogContract;
import dev.vertxshop.contracts.catalog.Product;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fills an empty catalog with {@link DemoCatalog}, with a {@code ProductUpserted} event per product so
 * that consumers (search) see the demo products like any other.
 */
public final class DemoSeed {

  private static final Logger LOG = LoggerFactory.getLogger(DemoSeed.class);

  private DemoSeed() {
  }

  /**
   * Seeds the catalog if it has no product; completes with the number of products inserted (0 when
   * skipped). Safe with any number of replicas starting at once: the advisory lock lets one seed while
   * the others wait, then see the products and skip.
   */
  public static Future<Integer> seed(Pool pool) {
    long start = System.nanoTime();
    return pool.withTransaction(tx -> tx.query(CatalogQueries.SEED_LOCK).execute()
            .compose(locked -> tx.query(CatalogQueries.ANY_PRODUCT).execute())
            .compose(any -> any.iterator().next().getBoolean(0) ? Future.succeededFuture(0) : insert(tx)))
        .onSuccess(count -> {
          if (count > 0) {
            LOG.info("demo catalog seeded: {} categories, {} products in {} ms",
                DemoCatalog.categories().size(), count, (System.nanoTime() - start) / 1_000_000);
          } else {
            LOG.info("demo catalog not seeded: the catalog already has products");
          }
        });
  }

  private static Future<Integer> insert(SqlConnection tx) {
    List<Tuple> categories = DemoCatalog.categories().stream().map(c -> Tuple.of(c.id(), c.name())).toList();
    List<Tuple> products = DemoCatalog.products().stream()
        .map(p -> Tuple.of(p.id(), p.sku(), p.name(), p.description(), p.category(), p.priceMinor(),
            CatalogContract.CURRENCY, p.stock()))
        .toList();
    return tx.preparedQuery(CatalogQueries.INSERT_CATEGORY_IF_ABSENT).executeBatch(categories)
        .compose(v -> tx.preparedQuery(CatalogQueries.INSERT_PRODUCT).executeBatch(products))
        .compose(inserted -> {
          // A batch answers with one row set per tuple, chained through next().
          List<Future<Product>> events = new ArrayList<>(products.size());
          for (RowSet<Row> rows = inserted; rows != null; rows = rows.next()) {
            // Sent together, the appends are pipelined on the connection instead of one round trip each.
            events.add(ProductStore.appendEvent(tx, ProductStore.product(rows.iterator().next())));
          }
          return Future.all(events).map(done -> events.size());
        });
  }
}
