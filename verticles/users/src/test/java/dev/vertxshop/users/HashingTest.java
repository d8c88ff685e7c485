package dev.vertxshop.users;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vertxshop.platform.errors.ErrorCode;
import dev.vertxshop.platform.errors.ServiceException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@DisplayName("hashing work is bounded per verticle instance")
@ExtendWith(VertxExtension.class)
class HashingTest {

  @Test
  @DisplayName("past the bound a task fails UNAVAILABLE at once; finished tasks free their slots")
  void boundsPendingWork(Vertx vertx, VertxTestContext ctx) {
    WorkerExecutor executor = vertx.createSharedWorkerExecutor("hashing-test", 2);
    Hashing hashing = new Hashing(executor, 2);
    CountDownLatch release = new CountDownLatch(1);
    // On an event loop, as in the verticle: the counter is confined to it.
    vertx.runOnContext(v -> {
      Future<String> first = hashing.submit(() -> release.await(10, TimeUnit.SECONDS) ? "first" : "timed out");
      Future<String> second = hashing.submit(() -> release.await(10, TimeUnit.SECONDS) ? "second" : "timed out");
      Future<String> third = hashing.submit(() -> "third");
      ctx.verify(() -> {
        assertThat(third.failed()).as("refused without waiting").isTrue();
        assertThat(ServiceException.from(third.cause()).code()).isEqualTo(ErrorCode.UNAVAILABLE);
      });
      release.countDown();
      Future.all(first, second)
          .compose(done -> hashing.submit(() -> "fourth").map(fourth -> done.<String>resultAt(0) + "," + done.resultAt(1) + "," + fourth))
          .eventually(executor::close)
          .onComplete(ctx.succeeding(results -> ctx.verify(() -> {
            assertThat(results).isEqualTo("first,second,fourth");
            ctx.completeNow();
          })));
    });
  }
}
