package dev.vertxshop.hardening.faults;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A bounded load generator: each stream fires at a fixed rate on a Vert.x timer, for at most a given
 * time and a given number of operations, with a cap on operations in flight (a hung system makes the
 * generator skip, not pile up). Every HTTP request an operation makes is recorded as a {@link Sample} on
 * the scenario's timeline; only 127.0.0.1 is ever called.
 */
final class LoadGenerator {

  /** One HTTP request: what, when it was sent (ms on the timeline), how long it took, how it ended. */
  record Sample(String kind, long sentAt, long latency, int status, boolean ok, String error) {
  }

  /** One operation of a stream: makes its requests through the recorder, completes when done. */
  interface Operation {
    Future<?> run(Recorder recorder, int index);
  }

  /** Records the requests of operations. */
  final class Recorder {

    /** Sends {@code request} and records it; {@code okStatuses} are the statuses that count as a success. */
    Future<HttpResponse<Buffer>> record(String kind, java.util.function.Supplier<Future<HttpResponse<Buffer>>> request,
        int... okStatuses) {
      long sentAt = timeline.now();
      Future<HttpResponse<Buffer>> response;
      try {
        response = request.get();
      } catch (RuntimeException e) {
        response = Future.failedFuture(e);
      }
      return response.andThen(done -> {
        long latency = timeline.now() - sentAt;
        if (done.succeeded()) {
          int status = done.result().statusCode();
          boolean ok = false;
          for (int s : okStatuses) {
            ok |= s == status;
          }
          samples.add(new Sample(kind, sentAt, latency, status, ok, ok ? null : errorOf(done.result())));
        } else {
          samples.add(new Sample(kind, sentAt, latency, 0, false, String.valueOf(done.cause().getMessage())));
        }
      });
    }
  }

  private record Stream(String name, double perSecond, int maxOperations, Operation operation) {
  }

  private final Vertx vertx;
  private final Timeline timeline;
  private final List<Stream> streams = new ArrayList<>();
  private final ConcurrentLinkedQueue<Sample> samples = new ConcurrentLinkedQueue<>();
  private final AtomicInteger skipped = new AtomicInteger();
  private final int maxInFlight;
  private CountDownLatch done;

  LoadGenerator(Vertx vertx, Timeline timeline, int maxInFlight) {
    this.vertx = vertx;
    this.timeline = timeline;
    this.maxInFlight = maxInFlight;
  }

  /** Adds a stream of {@code perSecond} operations, at most {@code maxOperations} of them. */
  LoadGenerator stream(String name, double perSecond, int maxOperations, Operation operation) {
    streams.add(new Stream(name, perSecond, maxOperations, operation));
    return this;
  }

  /** Starts every stream now; they stop firing after {@code duration}. Returns at once. */
  void start(Duration duration) {
    done = new CountDownLatch(streams.size());
    long end = timeline.now() + duration.toMillis();
    for (Stream stream : streams) {
      long interval = Math.max(1, Math.round(1000 / stream.perSecond()));
      AtomicInteger fired = new AtomicInteger();
      AtomicInteger inFlight = new AtomicInteger();
      Recorder recorder = new Recorder();
      vertx.setPeriodic(1, interval, timer -> {
        if (timeline.now() >= end || fired.get() >= stream.maxOperations()) {
          vertx.cancelTimer(timer);
          awaitDrained(inFlight);
          return;
        }
        if (inFlight.get() >= maxInFlight) {
          skipped.incrementAndGet();
          return;
        }
        int index = fired.getAndIncrement();
        inFlight.incrementAndGet();
        Future<?> operation;
        try {
          operation = stream.operation().run(recorder, index);
        } catch (RuntimeException e) {
          operation = Future.failedFuture(e);
        }
        operation.onComplete(ignored -> inFlight.decrementAndGet());
      });
    }
  }

  private void awaitDrained(AtomicInteger inFlight) {
    if (inFlight.get() == 0) {
      done.countDown();
    } else {
      vertx.setTimer(50, id -> awaitDrained(inFlight));
    }
  }

  /** Blocks until every stream stopped firing and its operations ended, or fails after {@code timeout}. */
  LoadResult awaitResult(Duration timeout) {
    try {
      if (!done.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException("the load did not finish within " + timeout.toSeconds() + " s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return new LoadResult(new ArrayList<>(samples), skipped.get());
  }

  private static String errorOf(HttpResponse<Buffer> response) {
    String body = response.bodyAsString();
    return body == null ? "" : body.length() > 200 ? body.substring(0, 200) : body;
  }
}
