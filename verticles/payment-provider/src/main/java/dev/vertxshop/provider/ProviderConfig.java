package dev.vertxshop.provider;

import dev.vertxshop.platform.config.ConfigException;
import dev.vertxshop.platform.config.Env;
import java.time.Duration;

/** The stand-in's settings, read once from {@code SHOP_PROVIDER_*} variables; invalid values name the variable. */
public record ProviderConfig(String host, int port, int adminPort, Faults faults, long seed, Duration shutdownGrace) {

  public static ProviderConfig from(Env env) {
    int port = env.port("PROVIDER_PORT", 8090);
    int adminPort = env.port("PROVIDER_ADMIN_PORT", 8091);
    if (port != 0 && port == adminPort) {
      throw new ConfigException(Env.var("PROVIDER_ADMIN_PORT"), "must differ from " + Env.var("PROVIDER_PORT"));
    }
    Faults faults = new Faults(
        env.duration("PROVIDER_LATENCY", Duration.ZERO, Duration.ZERO, Faults.MAX_LATENCY),
        rate(env, "PROVIDER_FAILURE_RATE"),
        rate(env, "PROVIDER_DECLINE_RATE"),
        env.bool("PROVIDER_OUTAGE", false));
    return new ProviderConfig(
        env.string("PROVIDER_HOST", "0.0.0.0"),
        port,
        adminPort,
        faults,
        seed(env),
        env.duration("PROVIDER_SHUTDOWN_GRACE", Duration.ofSeconds(5), Duration.ZERO, Duration.ofMinutes(1)));
  }

  private static double rate(Env env, String name) {
    String raw = env.string(name, null);
    if (raw == null) {
      return 0;
    }
    double value;
    try {
      value = Double.parseDouble(raw);
    } catch (NumberFormatException e) {
      throw new ConfigException(Env.var(name), "'" + raw + "' is not a number");
    }
    if (!Faults.isRate(value)) {
      throw new ConfigException(Env.var(name), raw + " is outside [0, 1]");
    }
    return value;
  }

  private static long seed(Env env) {
    String raw = env.string("PROVIDER_SEED", null);
    if (raw == null) {
      return 42;
    }
    try {
      return Long.parseLong(raw);
    } catch (NumberFormatException e) {
      throw new ConfigException(Env.var("PROVIDER_SEED"), "'" + raw + "' is not an integer");
    }
  }
}
