package dev.vertxshop.search;

import dev.vertxshop.contracts.catalog.CatalogContract;
import dev.vertxshop.platform.boot.ServiceContext;
import dev.vertxshop.platform.boot.ShopService;
import dev.vertxshop.platform.kafka.Topics;
import io.vertx.core.Future;
import java.util.List;

/**
 * The search service: a Lucene index of the products behind {@code search.query}, rebuilt at every
 * start from the catalog's compacted product topic and kept current by tailing it. No database.
 */
public final class SearchService implements ShopService {

  /** Service name and event-bus address prefix. */
  public static final String NAME = "search";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean usesKafka() {
    return true;
  }

  @Override
  public Future<Void> start(ServiceContext context) {
    SearchConfig config;
    try {
      config = SearchConfig.from(context.env());
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    // The catalog creates the topic too; search may start first and must find partitions to read.
    return Topics.ensure(context.vertx(), context.kafka(),
            List.of(Topics.compacted(CatalogContract.PRODUCTS_TOPIC, context.kafka())))
        // One instance: the verticle owns the index, a second would be a second index.
        .compose(v -> context.deploy(() -> new SearchIndexVerticle(config, context.kafka()), 1))
        .mapEmpty();
  }
}
