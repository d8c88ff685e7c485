package dev.vertxshop.users;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps {@code login_attempts} bounded: periodically deletes the rows whose window has passed (they
 * no longer throttle anything). Harmless when several replicas run it.
 */
public final class ThrottlePruneVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(ThrottlePruneVerticle.class);

  private final LoginThrottle throttle;
  private final Duration interval;
  private long timerId = -1;
  private boolean running;

  ThrottlePruneVerticle(LoginThrottle throttle, Duration interval) {
    this.throttle = throttle;
    this.interval = interval;
  }

  @Override
  public Future<?> start() {
    timerId = vertx.setPeriodic(interval.toMillis(), id -> prune());
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timerId);
    return Future.succeededFuture();
  }

  private void prune() {
    // A slow database must not pile up deletes: skip a tick while one runs.
    if (running) {
      return;
    }
    running = true;
    throttle.prune().onComplete(
        deleted -> {
          running = false;
          if (deleted > 0) {
            LOG.debug("pruned {} expired sign-in throttle rows", deleted);
          }
        },
        failure -> {
          running = false;
          LOG.warn("sign-in throttle prune failed, will retry: {}", failure.getMessage());
        });
  }
}
