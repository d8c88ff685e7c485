package dev.vertxshop.loadtest;

import dev.vertxshop.loadtest.support.Flows;
import dev.vertxshop.loadtest.support.ShopSimulation;
import java.time.Duration;

/**
 * The mixed traffic at a moderate rate for a long time (default 30 minutes): leaks, growing queues,
 * outbox tables, Kafka lag and token expiry (the user pool signs in again after 45 minutes) show up
 * here and nowhere else. Watch RSS and the p99 over time in the report.
 *
 * <pre>./mvnw -pl loadtest gatling:test -Dgatling.simulationClass=dev.vertxshop.loadtest.Soak -DbaseUrl=http://127.0.0.1:8080 -Drate=5 -Dduration=1800</pre>
 */
public class Soak extends ShopSimulation {

  public Soak() {
    super(5, Duration.ofMinutes(30));
    withUserPool();
    setUp(Mixed.mixed(flows, "Soak").injectOpen(steady()))
        .protocols(Flows.protocol(settings))
        .assertions(slo());
  }
}
