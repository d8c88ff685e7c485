package dev.vertxshop.platform.boot;

import static dev.vertxshop.platform.boot.ShopNodeTest.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vertxshop.embedded.LocalPostgres;
import dev.vertxshop.platform.testing.HoldingProxy;
import dev.vertxshop.platform.testing.ProbeService;
import dev.vertxshop.platform.testing.ShopTestEnv;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("ShopNode start against a database slower to accept than the request bound")
class SlowDatabaseStartTest {

  private static LocalPostgres postgres;
  private static Vertx proxyVertx;

  @BeforeAll
  static void start() throws Exception {
    postgres = LocalPostgres.start(null, 0);
    proxyVertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    if (proxyVertx != null) {
      await(proxyVertx.close());
    }
    if (postgres != null) {
      postgres.close();
    }
  }

  @Test
  @DisplayName("a service whose start queries the database starts once the database answers, instead of failing on the first connection's bound")
  void slowFirstConnections() throws Exception {
    // The service's pool (application_name shop-probe) waits 1.5 s for each of its first two
    // connections, three times its 500 ms bound; the migrations (JDBC) pass at once.
    HoldingProxy proxy = await(HoldingProxy.start(proxyVertx, postgres.host(), postgres.port(), "shop-probe", 2, 1_500));
    ShopNode node = null;
    try {
      node = await(ShopNode.start(ShopTestEnv.of(postgres, null, Map.of(
              "SHOP_DB_PORT", String.valueOf(proxy.port()),
              "SHOP_DB_CONNECT_TIMEOUT", "500ms")),
          List.of(new QueryingAtStart()), false));
      assertThat(proxy.held()).as("connections held back").isEqualTo(2);
      JsonObject count = await(node.vertx().eventBus().<JsonObject>request(ProbeService.COUNT, new JsonObject())).body();
      assertThat(count.getLong("count")).isZero();
    } finally {
      if (node != null) {
        await(node.stop());
      }
      await(proxy.close());
    }
  }

  /** The probe service, with a query before it serves (as a demo seed does). */
  private static final class QueryingAtStart implements ShopService {
    private final ProbeService probe = new ProbeService();

    @Override
    public String name() {
      return probe.name();
    }

    @Override
    public boolean usesDatabase() {
      return true;
    }

    @Override
    public Future<Void> start(ServiceContext context) {
      return context.pool().query("SELECT count(*) FROM probe").execute().compose(rows -> probe.start(context));
    }
  }
}
