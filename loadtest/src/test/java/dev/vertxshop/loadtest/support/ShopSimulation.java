package dev.vertxshop.loadtest.support;

import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.rampUsersPerSec;

import io.gatling.javaapi.core.Assertion;
import io.gatling.javaapi.core.OpenInjectionStep;
import io.gatling.javaapi.core.Simulation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What every simulation of the shop shares: the settings, the catalog read before the load, the
 * optional restock and user pool, the open-model injection profile, the SLO assertions and the
 * timeline. Subclasses only say what the virtual users do.
 */
public abstract class ShopSimulation extends Simulation {

  protected final Settings settings;
  protected final ShopClient client;
  protected final Flows flows;
  private UserPool pool;

  protected ShopSimulation(double defaultRate, Duration defaultDuration) {
    settings = Settings.read(defaultRate, defaultDuration);
    System.out.println(getClass().getSimpleName() + ": " + settings.describe());
    client = new ShopClient(settings.baseUrl());
    ShopData data = ShopData.load(client, settings.setupTimeout(), 1000);
    System.out.printf("catalog: %d categories, %d products, %d search words%n",
        data.categories().size(), data.products().size(), data.words().size());
    if (settings.adminToken() != null) {
      data.restock(client, settings.adminToken(), 1_000_000);
    }
    flows = new Flows(settings, data);
    Timeline.start(settings.timelineFile());
    StopSignal.watch(settings.stopFile());
  }

  /** Registers and signs in the pool of returning shoppers (the cart and checkout flows need it). */
  protected final void withUserPool() {
    String tag = Long.toString(System.currentTimeMillis(), 36) + Integer.toString(ThreadLocalRandom.current().nextInt(1296), 36);
    pool = UserPool.create(client, settings.users(), tag);
    flows.withPool(pool);
  }

  /** Ramp from a trickle to {@code rate} over {@code ramp}, then {@code rate} arrivals per second for {@code duration}. */
  protected OpenInjectionStep[] steady() {
    List<OpenInjectionStep> steps = new ArrayList<>();
    if (!settings.ramp().isZero()) {
      steps.add(rampUsersPerSec(Math.min(1.0, settings.rate())).to(settings.rate()).during(settings.ramp()));
    }
    // Poisson arrivals: visitors do not come on a metronome.
    steps.add(constantUsersPerSec(settings.rate()).during(settings.duration()).randomized());
    return steps.toArray(OpenInjectionStep[]::new);
  }

  /** p99 of every request under {@code slo.p99Ms}, failed requests at most {@code slo.errorPct} percent. */
  protected Assertion[] slo() {
    return new Assertion[] {
        global().responseTime().percentile(99.0).lt(settings.sloP99Ms()),
        global().failedRequests().percent().lte(settings.sloErrorPct())
    };
  }

  @Override
  public void after() {
    Timeline.stop();
    long[] totals = Timeline.totals();
    System.out.printf(Locale.ROOT, "timeline: %d ok, %d failed; outcomes %s%n", totals[0], totals[1], Timeline.counts());
    if (pool != null && pool.contended() > 0) {
      System.out.printf("user pool: %d of %d leases found every shopper busy; raise -Dusers (now %d)%n",
          pool.contended(), pool.leases(), settings.users());
    }
  }
}
