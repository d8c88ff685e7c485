package dev.vertxshop.platform.testing;

import dev.vertxshop.embedded.LocalKafka;
import dev.vertxshop.embedded.LocalPostgres;
import dev.vertxshop.embedded.SharedInfra;
import dev.vertxshop.platform.config.Env;
import java.util.HashMap;
import java.util.Map;

/** {@code SHOP_*} settings pointing at the test JVM's shared embedded PostgreSQL and Kafka. */
public final class ShopTestEnv {

  private ShopTestEnv() {
  }

  /** The shared infrastructure, ops on a free port, plus {@code extra} (full variable names). */
  public static Env shared(Map<String, String> extra) {
    return of(SharedInfra.postgres(), SharedInfra.kafka(), extra);
  }

  public static Env of(LocalPostgres postgres, LocalKafka kafka, Map<String, String> extra) {
    Map<String, String> vars = new HashMap<>();
    vars.put("SHOP_DB_HOST", postgres.host());
    vars.put("SHOP_DB_PORT", String.valueOf(postgres.port()));
    vars.put("SHOP_DB_NAME", postgres.database());
    vars.put("SHOP_DB_USER", postgres.user());
    vars.put("SHOP_DB_PASSWORD", postgres.password());
    if (kafka != null) {
      vars.put("SHOP_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
    }
    vars.put("SHOP_OPS_PORT", "0");
    vars.put("SHOP_OPS_HOST", "127.0.0.1");
    vars.put("SHOP_EVENT_LOOPS", "2");
    vars.put("SHOP_SHUTDOWN_GRACE", "1s");
    vars.putAll(extra);
    return Env.of(vars);
  }
}
