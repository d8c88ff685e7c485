package dev.vertxshop.loadtest;

import static io.gatling.javaapi.core.CoreDsl.percent;
import static io.gatling.javaapi.core.CoreDsl.scenario;

import dev.vertxshop.loadtest.support.Flows;
import dev.vertxshop.loadtest.support.ShopSimulation;
import io.gatling.javaapi.core.ScenarioBuilder;
import java.time.Duration;

/**
 * The shop's everyday traffic, the one the comparison harness runs: each arrival is a browse (weight
 * 10), a search (4), a cart edit (3) or a checkout (1); cart and checkout sessions lease a signed-in
 * shopper from a pool registered before the load (-Dusers).
 *
 * <pre>./mvnw -pl loadtest gatling:test -Dgatling.simulationClass=dev.vertxshop.loadtest.Mixed -DbaseUrl=http://127.0.0.1:8080 -Drate=10 -Dduration=60</pre>
 */
public class Mixed extends ShopSimulation {

  public Mixed() {
    super(10, Duration.ofSeconds(60));
    withUserPool();
    setUp(mixed(flows, "Mixed").injectOpen(steady()))
        .protocols(Flows.protocol(settings))
        .assertions(slo());
  }

  /** The weighted mix (browse 10, search 4, cart 3, checkout 1), shared with Spike and Soak. */
  public static ScenarioBuilder mixed(Flows flows, String name) {
    return scenario(name)
        .exec(Flows.stopWhenAsked())
        // Weights 10:4:3:1 as percentages; checkout takes what is left, so rounding never sums past 100.
        .randomSwitchOrElse().on(
            percent(100.0 * 10 / 18).then(flows.browse()),
            percent(100.0 * 4 / 18).then(flows.search()),
            percent(100.0 * 3 / 18).then(flows.cart()))
        .orElse(flows.checkout());
  }
}
