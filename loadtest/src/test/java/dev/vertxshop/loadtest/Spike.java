package dev.vertxshop.loadtest;

import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.rampUsersPerSec;

import dev.vertxshop.loadtest.support.Flows;
import dev.vertxshop.loadtest.support.ShopSimulation;
import java.time.Duration;

/**
 * The mixed traffic at {@code rate}, then a sudden burst at {@code spike.rate} (default 4 × rate) for
 * {@code spike.duration} seconds starting {@code spike.at} seconds into the steady part, then back to
 * {@code rate} until {@code duration} is over: does the shop absorb it, and how fast does latency come
 * back? The SLO assertions cover the whole run, burst included.
 *
 * <pre>./mvnw -pl loadtest gatling:test -Dgatling.simulationClass=dev.vertxshop.loadtest.Spike -DbaseUrl=http://127.0.0.1:8080 -Drate=5 -Dspike.rate=25 -Dspike.duration=20 -Dduration=90</pre>
 */
public class Spike extends ShopSimulation {

  public Spike() {
    super(5, Duration.ofSeconds(90));
    withUserPool();
    Duration before = settings.spikeAt();
    Duration after = settings.duration().minus(before).minus(settings.spikeDuration());
    if (after.isNegative()) {
      throw new IllegalArgumentException("duration must cover spike.at + spike.duration");
    }
    setUp(Mixed.mixed(flows, "Spike").injectOpen(
            rampUsersPerSec(Math.min(1.0, settings.rate())).to(settings.rate()).during(settings.ramp().isZero() ? Duration.ofSeconds(1) : settings.ramp()),
            constantUsersPerSec(settings.rate()).during(before).randomized(),
            // A step, not a ramp: the burst arrives at once.
            constantUsersPerSec(settings.spikeRate()).during(settings.spikeDuration()).randomized(),
            constantUsersPerSec(settings.rate()).during(after.isZero() ? Duration.ofSeconds(1) : after).randomized()))
        .protocols(Flows.protocol(settings))
        .assertions(slo());
  }
}
