package dev.vertxshop.platform.boot;

import dev.vertxshop.platform.config.Env;
import java.time.Duration;

/** Settings of one JVM running some services: the ops port and how long a graceful stop may take. */
public record NodeConfig(String opsHost, int opsPort, Duration shutdownGrace, int eventLoopThreads) {

  public static NodeConfig from(Env env) {
    return new NodeConfig(
        env.string("OPS_HOST", "0.0.0.0"),
        env.port("OPS_PORT", 9000),
        env.duration("SHUTDOWN_GRACE", Duration.ofSeconds(10), Duration.ZERO, Duration.ofMinutes(5)),
        env.integer("EVENT_LOOPS", 2 * Runtime.getRuntime().availableProcessors(), 1, 256));
  }
}
