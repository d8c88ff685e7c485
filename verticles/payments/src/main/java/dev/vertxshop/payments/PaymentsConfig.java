package dev.vertxshop.payments;

import dev.vertxshop.platform.config.ConfigException;
import dev.vertxshop.platform.config.Env;
import dev.vertxshop.platform.kafka.OutboxSettings;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;

/** The payments service's settings, read once from {@code SHOP_PAYMENTS_*} variables; invalid values name the variable. */
public record PaymentsConfig(
    URI providerUrl, Duration providerTimeout, int retries, Duration retryBackoff, int providerConnections,
    int breakerMaxFailures, Duration breakerResetTimeout, Duration breakerWindow,
    OutboxSettings outbox,
    Duration refundSweepInterval, int refundSweepBatch, Duration refundBackoff, Duration refundBackoffMax,
    int cancelRechecks) {

  public static PaymentsConfig from(Env env) {
    Duration refundBackoff = env.duration("PAYMENTS_REFUND_BACKOFF", Duration.ofSeconds(5), Duration.ofMillis(100), Duration.ofHours(1));
    Duration refundBackoffMax = env.duration("PAYMENTS_REFUND_BACKOFF_MAX", Duration.ofMinutes(5), Duration.ofMillis(100), Duration.ofHours(24));
    if (refundBackoffMax.compareTo(refundBackoff) < 0) {
      throw new ConfigException(Env.var("PAYMENTS_REFUND_BACKOFF_MAX"), "must be at least " + Env.var("PAYMENTS_REFUND_BACKOFF")
          + " (" + refundBackoff.toMillis() + "ms)");
    }
    return new PaymentsConfig(
        providerUrl(env),
        env.duration("PAYMENTS_PROVIDER_TIMEOUT", Duration.ofSeconds(2), Duration.ofMillis(50), Duration.ofMinutes(1)),
        env.integer("PAYMENTS_RETRIES", 2, 0, 5),
        env.duration("PAYMENTS_RETRY_BACKOFF", Duration.ofMillis(100), Duration.ZERO, Duration.ofSeconds(10)),
        env.integer("PAYMENTS_PROVIDER_CONNECTIONS", 32, 1, 1_000),
        env.integer("PAYMENTS_BREAKER_MAX_FAILURES", 5, 1, 1_000),
        env.duration("PAYMENTS_BREAKER_RESET_TIMEOUT", Duration.ofSeconds(5), Duration.ofMillis(100), Duration.ofMinutes(10)),
        // The breaker counts failures per whole second, so its window is at least one.
        env.duration("PAYMENTS_BREAKER_WINDOW", Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofMinutes(10)),
        OutboxSettings.from(env, "payments"),
        env.duration("PAYMENTS_REFUND_SWEEP_INTERVAL", Duration.ofSeconds(5), Duration.ofMillis(100), Duration.ofMinutes(10)),
        env.integer("PAYMENTS_REFUND_SWEEP_BATCH", 16, 1, 1_000),
        refundBackoff,
        refundBackoffMax,
        env.integer("PAYMENTS_CANCEL_RECHECKS", 5, 0, 100));
  }

  public String providerHost() {
    return providerUrl.getHost();
  }

  public int providerPort() {
    return providerUrl.getPort() != -1 ? providerUrl.getPort() : providerSsl() ? 443 : 80;
  }

  public boolean providerSsl() {
    return "https".equals(providerUrl.getScheme());
  }

  /** The longest a charge can take before it answers: every attempt at its deadline, plus the pauses. */
  public Duration worstCaseCharge() {
    Duration total = providerTimeout.multipliedBy(retries + 1L);
    for (int attempt = 1; attempt <= retries; attempt++) {
      total = total.plus(backoff(attempt));
    }
    return total;
  }

  /**
   * How long a payment claimed by a refund sweep is held from other sweeps: a lookup and a refund at
   * their worst, so that a node that dies mid-settlement lets another node take it over afterwards.
   */
  public Duration refundClaim() {
    return worstCaseCharge().multipliedBy(2).plusSeconds(5);
  }

  /** The pause after failed attempt {@code attempt} (1-based): the backoff, doubled each time. */
  public Duration backoff(int attempt) {
    return retryBackoff.multipliedBy(1L << Math.min(attempt - 1, 10));
  }

  private static URI providerUrl(Env env) {
    String variable = Env.var("PAYMENTS_PROVIDER_URL");
    String raw = env.string("PAYMENTS_PROVIDER_URL", "http://127.0.0.1:8090");
    URI uri;
    try {
      uri = new URI(raw);
    } catch (URISyntaxException e) {
      throw new ConfigException(variable, "'" + raw + "' is not a URL");
    }
    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
      throw new ConfigException(variable, "'" + raw + "' must start with http:// or https://");
    }
    if (uri.getHost() == null) {
      throw new ConfigException(variable, "'" + raw + "' has no host");
    }
    // The provider's API lives at its root (/v1/...): a path or query here would be silently dropped.
    if ((uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/"))
        || uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
      throw new ConfigException(variable, "'" + raw + "' must be scheme://host[:port] only");
    }
    return uri;
  }
}
