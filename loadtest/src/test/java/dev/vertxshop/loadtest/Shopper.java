package dev.vertxshop.loadtest;

import static io.gatling.javaapi.core.CoreDsl.scenario;

import dev.vertxshop.loadtest.support.Flows;
import dev.vertxshop.loadtest.support.ShopSimulation;
import java.time.Duration;

/**
 * Newcomers' whole journey, one per arrival: register, sign in, browse, search, fill the cart, check
 * out (with an Idempotency-Key), look at the order. Every arrival hashes a password twice (register and
 * sign-in), on purpose expensive: keep the rate low on a small machine.
 *
 * <pre>./mvnw -pl loadtest gatling:test -Dgatling.simulationClass=dev.vertxshop.loadtest.Shopper -DbaseUrl=http://127.0.0.1:8080 -Drate=1 -Dduration=60</pre>
 */
public class Shopper extends ShopSimulation {

  public Shopper() {
    super(1, Duration.ofSeconds(60));
    setUp(scenario("Shopper")
        .exec(Flows.stopWhenAsked())
        .exec(flows.shopper())
        .injectOpen(steady()))
        .protocols(Flows.protocol(settings))
        .assertions(slo());
  }
}
