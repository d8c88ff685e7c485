package dev.vertxshop.users;

import dev.vertxshop.platform.errors.ServiceException;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * Runs password hashing on a dedicated worker pool, never on an event loop, with a bound on the work
 * one verticle instance may have queued or running. Past the bound a request fails at once (sign-in:
 * UNAVAILABLE; sign-up: TOO_MANY_REQUESTS): queueing it would only make it outlive its caller's
 * deadline and still burn the CPU. Sign-in and sign-up each have their own pool and bound.
 *
 * <p>Confined to the verticle's event loop (the counter is not shared).
 */
final class Hashing {

  private final WorkerExecutor executor;
  private final int maxPending;
  private final Supplier<ServiceException> refusal;
  private int pending;

  /** Refuses beyond {@code maxPending} with UNAVAILABLE. */
  Hashing(WorkerExecutor executor, int maxPending) {
    this(executor, maxPending, () -> ServiceException.unavailable("too many sign-ins in progress; try again shortly"));
  }

  /** Refuses beyond {@code maxPending} with the failure {@code refusal} makes. */
  Hashing(WorkerExecutor executor, int maxPending, Supplier<ServiceException> refusal) {
    this.executor = executor;
    this.maxPending = maxPending;
    this.refusal = refusal;
  }

  /**
   * Runs {@code work} (which may hash through {@link #run}) holding one of the permits for its whole course, the
   * database work around the hash included, so that a flood refused here costs no database round trip either.
   */
  <T> Future<T> admit(Supplier<Future<T>> work) {
    if (pending >= maxPending) {
      return Future.failedFuture(refusal.get());
    }
    pending++;
    Future<T> running;
    try {
      running = work.get();
    } catch (RuntimeException e) {
      running = Future.failedFuture(e);
    }
    return running.andThen(done -> pending--);
  }

  /** Hashes on the pool without taking a permit: for work already {@link #admit admitted}. */
  <T> Future<T> run(Callable<T> task) {
    return executor.executeBlocking(task, false);
  }

  <T> Future<T> submit(Callable<T> task) {
    if (pending >= maxPending) {
      return Future.failedFuture(refusal.get());
    }
    pending++;
    // Unordered: independent requests must not wait for one another.
    return executor.executeBlocking(task, false).andThen(done -> pending--);
  }
}
