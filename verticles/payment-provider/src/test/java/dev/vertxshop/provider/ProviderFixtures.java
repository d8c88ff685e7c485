package dev.vertxshop.provider;

import dev.vertxshop.platform.config.Env;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** Shared helpers of the stand-in's tests: free ports, a node environment, blocking waits. */
final class ProviderFixtures {

  private static final Duration WAIT = Duration.ofSeconds(30);

  private ProviderFixtures() {
  }

  /** A loopback port that was free a moment ago. */
  static int freePort() {
    return dev.vertxshop.embedded.LoopbackPorts.reserve();
  }

  /** A node environment running the stand-in alone on loopback, ops on a free port. */
  static Env env(int port, int adminPort, Map<String, String> extra) {
    Map<String, String> vars = new HashMap<>();
    vars.put("SHOP_OPS_HOST", "127.0.0.1");
    vars.put("SHOP_OPS_PORT", "0");
    vars.put("SHOP_EVENT_LOOPS", "2");
    vars.put("SHOP_SHUTDOWN_GRACE", "2s");
    vars.put("SHOP_PROVIDER_HOST", "127.0.0.1");
    vars.put("SHOP_PROVIDER_PORT", String.valueOf(port));
    vars.put("SHOP_PROVIDER_ADMIN_PORT", String.valueOf(adminPort));
    vars.putAll(extra);
    return Env.of(vars);
  }

  /** A reference (order id) no other test uses. */
  static String uniqueReference() {
    return UUID.randomUUID().toString();
  }

  static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError("expected success, got " + e.getCause(), e.getCause());
    } catch (Exception e) {
      throw new AssertionError("no result in " + WAIT, e);
    }
  }

  static Throwable awaitFailure(Future<?> future) {
    try {
      Object result = future.toCompletionStage().toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      throw new AssertionError("expected a failure, got " + result);
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (InterruptedException | java.util.concurrent.TimeoutException e) {
      throw new AssertionError("no result in " + WAIT, e);
    }
  }

  /**
   * Polls {@code probe} until it returns non-null, failing after {@code timeout}: a wait for a
   * condition that goes on as soon as it holds, not a sleep standing in for an assertion.
   */
  static <T> T eventually(Duration timeout, Supplier<T> probe) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      T value = probe.get();
      if (value != null) {
        return value;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within " + timeout);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }
  }
}
