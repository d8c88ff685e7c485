package dev.vertxshop.loadtest;

import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.percent;
import static io.gatling.javaapi.core.CoreDsl.scenario;

import dev.vertxshop.loadtest.support.Flows;
import dev.vertxshop.loadtest.support.ShopSimulation;
import java.time.Duration;

/**
 * Anonymous visitors only: 70 % browse the catalog (categories, a page, a product), 30 % search. No
 * account, no writes: what the read path (gateway, catalog, search) carries.
 *
 * <pre>./mvnw -pl loadtest gatling:test -Dgatling.simulationClass=dev.vertxshop.loadtest.Browse -DbaseUrl=http://127.0.0.1:8080 -Drate=20 -Dduration=60</pre>
 */
public class Browse extends ShopSimulation {

  public Browse() {
    super(20, Duration.ofSeconds(60));
    setUp(scenario("Browse")
        .exec(Flows.stopWhenAsked())
        .randomSwitch().on(
            percent(70.0).then(flows.browse()),
            percent(30.0).then(flows.search()))
        .injectOpen(steady()))
        .protocols(Flows.protocol(settings))
        .assertions(slo());
  }
}
