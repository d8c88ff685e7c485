package dev.vertxshop.orders;

import dev.vertxshop.platform.config.ConfigException;
import dev.vertxshop.platform.config.Env;
import dev.vertxshop.platform.kafka.OutboxSettings;
import java.time.Duration;

/**
 * The orders service's settings, read once from {@code SHOP_ORDERS_*} variables; invalid values name the
 * variable.
 *
 * @param instances       instances of the API verticle
 * @param replyBudget     how long a checkout waits for its saga before replying with the PENDING order
 * @param sagaLease       how long a saga stays claimed by one replica without a renewal
 * @param sweepInterval   how often the executor looks for sagas whose lease expired
 * @param sweepBatch      sagas claimed per sweep at most
 * @param stepAttempts    attempts of a step on a transient failure (timeout, unavailable) before giving up
 * @param stepBackoff     delay before the second attempt of a step, doubled for each further one
 * @param retryLater      delay before a saga whose step kept failing is tried again by a sweep
 * @param callDeadline    deadline of cart and catalog calls
 * @param paymentDeadline deadline of payments calls (a charge may include the provider's latency and retries)
 * @param outbox          the outbox relay's settings ({@code SHOP_ORDERS_OUTBOX_*})
 * @param stepRuns        runs of one saga step (claims, across replicas and restarts) before the saga stops
 *                        retrying it as usual: cancelled with compensations, or NEEDS_ATTENTION
 * @param sagaMaxAge      age of a saga (since checkout) past which no reserve or charge starts, and a failing
 *                        commit or compensation goes to NEEDS_ATTENTION at once
 * @param attentionRetry  how often the step of a NEEDS_ATTENTION saga is tried again
 * @param attentionSample how often the number of NEEDS_ATTENTION orders is read for the gauge
 * @param keyRetention    how long an idempotency key of a settled order is kept
 * @param keyPruneInterval how often idempotency keys older than the retention are deleted
 */
public record OrdersConfig(
    int instances,
    Duration replyBudget,
    Duration sagaLease,
    Duration sweepInterval,
    int sweepBatch,
    int stepAttempts,
    Duration stepBackoff,
    Duration retryLater,
    Duration callDeadline,
    Duration paymentDeadline,
    OutboxSettings outbox,
    int stepRuns,
    Duration sagaMaxAge,
    Duration attentionRetry,
    Duration attentionSample,
    Duration keyRetention,
    Duration keyPruneInterval) {

  public static OrdersConfig from(Env env) {
    Duration lease = env.duration("ORDERS_SAGA_LEASE", Duration.ofSeconds(10), Duration.ofMillis(500), Duration.ofMinutes(10));
    Duration sweep = env.duration("ORDERS_SWEEP_INTERVAL", Duration.ofSeconds(1), Duration.ofMillis(50), Duration.ofMinutes(5));
    // Leases are renewed every third of their length; a sweep slower than a lease would let a stalled
    // saga wait longer than operators configured, which is a configuration mistake worth stopping on.
    if (sweep.compareTo(lease) > 0) {
      throw new ConfigException(Env.var("ORDERS_SWEEP_INTERVAL"),
          sweep.toMillis() + "ms must not exceed SHOP_ORDERS_SAGA_LEASE (" + lease.toMillis() + "ms)");
    }
    Duration paymentDeadline =
        env.duration("ORDERS_PAYMENT_DEADLINE", Duration.ofSeconds(15), Duration.ofMillis(50), Duration.ofMinutes(2));
    Duration maxAge = env.duration("ORDERS_SAGA_MAX_AGE", Duration.ofMinutes(15), Duration.ofSeconds(1), Duration.ofDays(7));
    // A charge resumed after a crash may take a whole payment deadline: an age limit below it would cancel
    // checkouts that are merely slow.
    if (maxAge.compareTo(paymentDeadline) <= 0) {
      throw new ConfigException(Env.var("ORDERS_SAGA_MAX_AGE"),
          maxAge.toMillis() + "ms must exceed SHOP_ORDERS_PAYMENT_DEADLINE (" + paymentDeadline.toMillis() + "ms)");
    }
    return new OrdersConfig(
        env.integer("ORDERS_INSTANCES", 2, 1, 64),
        env.duration("ORDERS_REPLY_BUDGET", Duration.ofSeconds(5), Duration.ZERO, Duration.ofMinutes(2)),
        lease,
        sweep,
        env.integer("ORDERS_SWEEP_BATCH", 32, 1, 1_000),
        env.integer("ORDERS_STEP_ATTEMPTS", 3, 1, 20),
        env.duration("ORDERS_STEP_BACKOFF", Duration.ofMillis(200), Duration.ofMillis(1), Duration.ofMinutes(1)),
        env.duration("ORDERS_RETRY_LATER", Duration.ofSeconds(5), Duration.ofMillis(50), Duration.ofMinutes(10)),
        env.duration("ORDERS_CALL_DEADLINE", Duration.ofSeconds(3), Duration.ofMillis(50), Duration.ofMinutes(1)),
        paymentDeadline,
        OutboxSettings.from(env, "orders"),
        env.integer("ORDERS_STEP_RUNS", 20, 1, 1_000),
        maxAge,
        env.duration("ORDERS_ATTENTION_RETRY", Duration.ofMinutes(1), Duration.ofMillis(100), Duration.ofDays(1)),
        env.duration("ORDERS_ATTENTION_SAMPLE", Duration.ofSeconds(15), Duration.ofMillis(100), Duration.ofMinutes(10)),
        // A week: longer than any client's retry horizon (an app that queued a checkout offline over a
        // weekend), and as long as the order events stay on Kafka; the table stays about a week of checkouts.
        env.duration("ORDERS_IDEMPOTENCY_RETENTION", Duration.ofDays(7), Duration.ofHours(1), Duration.ofDays(365)),
        env.duration("ORDERS_IDEMPOTENCY_PRUNE_INTERVAL", Duration.ofMinutes(10), Duration.ofMillis(100), Duration.ofDays(1)));
  }
}
