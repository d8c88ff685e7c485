package dev.vertxshop.hardening.faults;

import static dev.vertxshop.hardening.faults.ShopApi.await;

import dev.vertxshop.hardening.faults.ShopApi.User;
import dev.vertxshop.audit.Baseline;
import dev.vertxshop.audit.InvariantChecker;
import java.time.Duration;
import java.util.List;

/**
 * What every fault scenario sets up before its fault: the healthy shared cluster, its own shoppers (one
 * checkout each) and product (plenty of stock), the demo products to read, the invariant checker and
 * its baseline, taken while nothing checks out. The timeline starts when the scenario is prepared.
 */
final class Scenario implements AutoCloseable {

  final FaultCluster cluster;
  final ShopApi api;
  final InvariantChecker checker;
  final Checkouts work;
  final Timeline timeline = new Timeline();
  final Baseline baseline;

  private Scenario(FaultCluster cluster, int shoppers, String name) {
    this.cluster = cluster;
    this.api = cluster.api();
    List<User> users = api.registerUsers(shoppers, name);
    String product = api.createProduct(name + " scenario product", 1_299, 100_000).getString("id");
    List<String> reads = api.productIds();
    this.checker = new InvariantChecker(cluster.vertx(), cluster.shopDb(), cluster.providerAdminUrl());
    this.work = new Checkouts(api, users, product, reads, timeline);
    this.baseline = await(checker.baseline());
  }

  /** The shared cluster, healed from earlier scenarios, with {@code shoppers} new shoppers. */
  static Scenario prepare(String name, int shoppers) {
    FaultCluster cluster = FaultCluster.shared();
    cluster.ensureHealthy();
    return new Scenario(cluster, shoppers, name);
  }

  /** A generator of {@code readsPerSecond} product reads and {@code checkoutsPerSecond} checkouts, for at most {@code duration}. */
  LoadGenerator load(double readsPerSecond, double checkoutsPerSecond, Duration duration) {
    LoadGenerator load = new LoadGenerator(cluster.vertx(), timeline, 200);
    if (readsPerSecond > 0) {
      load.stream("reads", readsPerSecond, (int) Math.ceil(readsPerSecond * duration.toSeconds()), work.read());
    }
    if (checkoutsPerSecond > 0) {
      load.stream("checkouts", checkoutsPerSecond, work.capacity(), work.checkout());
    }
    return load;
  }

  /** Waits for quiet (bounded), then runs every after-scenario check. */
  Aftermath aftermath(Duration quietTimeout, Duration deliveryTimeout) {
    return Aftermath.collect(cluster, checker, baseline, quietTimeout, deliveryTimeout, work.failedShoppers());
  }

  @Override
  public void close() {
    await(checker.close());
  }
}
