package dev.vertxshop.users;

import dev.vertxshop.platform.errors.ServiceException;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import java.util.concurrent.Callable;

/**
 * Runs password hashing on a dedicated worker pool, never on an event loop, with a bound on the work
 * one verticle instance may have queued or running. Past the bound a request fails UNAVAILABLE at
 * once: queueing it would only make it outlive its caller's deadline and still burn the CPU.
 *
 * <p>Confined to the verticle's event loop (the counter is not shared).
 */
final class Hashing {

  private final WorkerExecutor executor;
  private final int maxPending;
  private int pending;

  Hashing(WorkerExecutor executor, int maxPending) {
    this.executor = executor;
    this.maxPending = maxPending;
  }

  <T> Future<T> submit(Callable<T> task) {
    if (pending >= maxPending) {
      return Future.failedFuture(ServiceException.unavailable("too many sign-ins in progress; try again shortly"));
    }
    pending++;
    // Unordered: independent requests must not wait for one another.
    return executor.executeBlocking(task, false).andThen(done -> pending--);
  }
}
