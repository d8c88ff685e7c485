package dev.vertxshop.platform.testing;

import dev.vertxshop.platform.boot.ServiceContext;
import dev.vertxshop.platform.boot.ShopService;
import dev.vertxshop.platform.bus.Bus;
import dev.vertxshop.platform.errors.ServiceException;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;

/**
 * A minimal real service for platform tests: a schema with one table and an event-bus address
 * ({@code probe.count}) answering the table's row count, or NOT_FOUND for {@code {"missing": true}}.
 */
public final class ProbeService implements ShopService {

  public static final String COUNT = "probe.count";

  @Override
  public String name() {
    return "probe";
  }

  @Override
  public boolean usesDatabase() {
    return true;
  }

  @Override
  public Future<Void> start(ServiceContext context) {
    Pool pool = context.pool();
    return context.deploy(() -> new VerticleBase() {
      @Override
      public Future<?> start() {
        return Bus.<JsonObject>serve(vertx, COUNT, msg -> {
          if (msg.body().getBoolean("missing", false)) {
            return Future.failedFuture(ServiceException.notFound("no such probe"));
          }
          return pool.query("SELECT count(*) FROM probe").execute()
              .map(rows -> new JsonObject().put("count", rows.iterator().next().getLong(0)));
        }).completion();
      }
    }, 1).mapEmpty();
  }
}
