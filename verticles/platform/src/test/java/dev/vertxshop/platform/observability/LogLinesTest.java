package dev.vertxshop.platform.observability;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import dev.vertxshop.platform.boot.ShopNode;
import dev.vertxshop.platform.bus.Bus;
import dev.vertxshop.platform.testing.ProbeService;
import dev.vertxshop.platform.testing.ShopTestEnv;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** JSON log lines of a real node: valid JSON, the correlation id and the service of the verticle that logged. */
@DisplayName("Log lines: JSON with correlation id and service; event-bus hops at DEBUG")
class LogLinesTest {

  private static ShopNode node;
  private static final Queue<JsonObject> LINES = new ConcurrentLinkedQueue<>();
  private static AppenderBase<ILoggingEvent> capture;
  private static Level previous;

  @BeforeAll
  static void start() throws Exception {
    ShopLogEncoder encoder = new ShopLogEncoder();
    encoder.setFormat("json");
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    encoder.setContext(context);
    encoder.start();
    capture = new AppenderBase<>() {
      @Override
      protected void append(ILoggingEvent event) {
        // Encoded on the logging thread, as the console appender does: the Vert.x context is the caller's.
        LINES.add(new JsonObject(new String(encoder.encode(event), StandardCharsets.UTF_8)));
      }
    };
    capture.setContext(context);
    capture.start();
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.addAppender(capture);
    Logger busLog = context.getLogger(EventBusLog.class);
    previous = busLog.getLevel();
    busLog.setLevel(Level.DEBUG);
    node = await(ShopNode.start(ShopTestEnv.shared(Map.of()), List.of(new ProbeService()), false));
  }

  @AfterAll
  static void stop() throws Exception {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).detachAppender(capture);
    context.getLogger(EventBusLog.class).setLevel(previous);
    if (node != null) {
      await(node.stop());
    }
  }

  @Test
  @DisplayName("a request and its reply are logged with the caller's correlation id, the reply with the serving service")
  void requestAndReply() throws Exception {
    String correlationId = "log-test-" + System.nanoTime();
    ContextInternal caller = ((VertxInternal) node.vertx()).getOrCreateContext().duplicate();
    Promise<JsonObject> reply = Promise.promise();
    caller.runOnContext(v -> {
      Correlation.bind(correlationId);
      Bus.<JsonObject>request(node.vertx(), ProbeService.COUNT, new JsonObject(), Duration.ofSeconds(5)).onComplete(reply);
    });
    assertThat(await(reply.future()).getLong("count")).isNotNull();

    List<JsonObject> ours = LINES.stream().filter(line -> correlationId.equals(line.getString("correlationId"))).toList();
    assertThat(ours).extracting(line -> line.getString("message"))
        .contains("event bus: request to " + ProbeService.COUNT, "event bus: replied");
    JsonObject replied = ours.stream().filter(line -> line.getString("message").equals("event bus: replied")).findFirst().orElseThrow();
    assertThat(replied.getString("service")).as("logged on the probe service's verticle").isEqualTo("probe");
    assertThat(replied.getString("level")).isEqualTo("DEBUG");
    assertThat(replied.getString("logger")).isEqualTo(EventBusLog.class.getName());
    assertThat(replied.getString("ts")).isNotBlank();
    JsonObject request = ours.stream().filter(line -> line.getString("message").startsWith("event bus: request")).findFirst().orElseThrow();
    assertThat(request.containsKey("service")).as("the caller is no service's verticle").isFalse();
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
