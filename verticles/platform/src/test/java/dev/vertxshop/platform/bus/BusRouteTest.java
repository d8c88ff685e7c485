package dev.vertxshop.platform.bus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vertxshop.platform.errors.ErrorCode;
import dev.vertxshop.platform.errors.ServiceException;
import dev.vertxshop.platform.json.Fields;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Bus routes: one record per message, the same reader on both sides")
class BusRouteTest {

  record Ask(UUID id, long count) implements BusMessage {
    static Ask fromJson(Object body) {
      Fields f = Fields.of(body).only(Set.of("id", "count"));
      return new Ask(f.uuid("id"), f.integer("count", 0, 1_000));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("id", id.toString()).put("count", count);
    }
  }

  record Answer(UUID id, long doubled) implements BusMessage {
    static Answer fromJson(Object body) {
      Fields f = Fields.of(body).only(Set.of("id", "doubled"));
      return new Answer(f.uuid("id"), f.integer("doubled", 0, Long.MAX_VALUE));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("id", id.toString()).put("doubled", doubled);
    }
  }

  static final Route<Ask, Answer> DOUBLE = Route.idempotent("test.route.double", Ask.class, Ask::fromJson, Answer.class, Answer::fromJson);

  private Vertx vertx;

  @AfterEach
  void close() throws Exception {
    if (vertx != null) {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  @DisplayName("within one JVM the handler gets the caller's record itself, and the caller the handler's")
  void localPassesTheRecord() throws Exception {
    vertx = Vertx.vertx();
    AtomicReference<Ask> received = new AtomicReference<>();
    Answer sent = new Answer(UUID.randomUUID(), 0);
    AtomicReference<Answer> replied = new AtomicReference<>();
    Bus.serve(vertx, DOUBLE, ask -> {
      received.set(ask);
      Answer answer = new Answer(ask.id(), ask.count() * 2);
      replied.set(answer);
      return Future.succeededFuture(answer);
    }).completion().await(5, TimeUnit.SECONDS);
    Ask ask = new Ask(UUID.randomUUID(), 21);
    Answer answer = Bus.call(vertx, DOUBLE, ask, Duration.ofSeconds(5)).await(5, TimeUnit.SECONDS);
    assertThat(answer.doubled()).isEqualTo(42);
    assertThat(received.get()).isSameAs(ask);
    assertThat(answer).isSameAs(replied.get()).isNotSameAs(sent);
  }

  @Test
  @DisplayName("a caller that sends plain JSON is read by the same strict reader: a wrong field is BAD_REQUEST, the handler never runs")
  void plainJsonReadStrictly() throws Exception {
    vertx = Vertx.vertx();
    AtomicReference<Ask> received = new AtomicReference<>();
    Bus.serve(vertx, DOUBLE, ask -> {
      received.set(ask);
      return Future.succeededFuture(new Answer(ask.id(), ask.count() * 2));
    }).completion().await(5, TimeUnit.SECONDS);
    UUID id = UUID.randomUUID();
    Object fine = Bus.request(vertx, DOUBLE.address(), new JsonObject().put("id", id.toString()).put("count", 2), Duration.ofSeconds(5))
        .await(5, TimeUnit.SECONDS);
    assertThat(fine).isEqualTo(new Answer(id, 4));
    for (JsonObject bad : new JsonObject[] {
        new JsonObject().put("id", "1-1-1-1-1").put("count", 2),
        new JsonObject().put("id", id.toString()).put("count", 2.5),
        new JsonObject().put("id", id.toString()),
        new JsonObject().put("id", id.toString()).put("count", 1).put("extra", true)}) {
      received.set(null);
      Throwable failure = Bus.request(vertx, DOUBLE.address(), bad, Duration.ofSeconds(5))
          .toCompletionStage().toCompletableFuture().handle((ok, error) -> error).get(5, TimeUnit.SECONDS);
      assertThat(ServiceException.from(failure).code()).as(bad.encode()).isEqualTo(ErrorCode.BAD_REQUEST);
      assertThat(received.get()).isNull();
    }
  }

  @Test
  @DisplayName("a reply that does not read is the callee's internal error, not the caller's bad request")
  void unreadableReply() throws Exception {
    vertx = Vertx.vertx();
    Route<Ask, Answer> sloppy = Route.idempotent("test.route.sloppy", Ask.class, Ask::fromJson, Answer.class, Answer::fromJson);
    Bus.serve(vertx, sloppy.address(), message -> Future.succeededFuture(new JsonObject().put("id", "nope"))).completion()
        .await(5, TimeUnit.SECONDS);
    Throwable failure = Bus.call(vertx, sloppy, new Ask(UUID.randomUUID(), 1), Duration.ofSeconds(5))
        .toCompletionStage().toCompletableFuture().handle((ok, error) -> error).get(5, TimeUnit.SECONDS);
    assertThat(ServiceException.from(failure).code()).isEqualTo(ErrorCode.INTERNAL);
  }

  @Test
  @DisplayName("between two clustered JVMs' event buses the record travels as JSON and is read back by the codec")
  void clustered() throws Exception {
    int portA = freePort();
    int portB = freePort();
    Vertx a = clustered(portA, portB);
    Vertx b = clustered(portB, portA);
    try {
      Bus.serve(b, DOUBLE, ask -> Future.succeededFuture(new Answer(ask.id(), ask.count() * 2))).completion().await(10, TimeUnit.SECONDS);
      Ask ask = new Ask(UUID.randomUUID(), 5);
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      Answer answer = null;
      while (answer == null && System.nanoTime() < until) {
        try {
          answer = Bus.call(a, DOUBLE, ask, Duration.ofSeconds(5)).await(10, TimeUnit.SECONDS);
        } catch (Exception notYetSeen) {
          Thread.sleep(100);
        }
      }
      assertThat(answer).isEqualTo(new Answer(ask.id(), 10));
    } finally {
      a.close().await(20, TimeUnit.SECONDS);
      b.close().await(20, TimeUnit.SECONDS);
    }
  }

  private static Vertx clustered(int port, int other) throws Exception {
    dev.vertxshop.platform.config.Env env = dev.vertxshop.platform.config.Env.of(java.util.Map.of(
        "SHOP_CLUSTER_NAME", "bus-route-test", "SHOP_CLUSTER_HAZELCAST_PORT", String.valueOf(port),
        "SHOP_CLUSTER_MEMBERS", "127.0.0.1:" + port + ",127.0.0.1:" + other));
    return Vertx.builder()
        .withClusterManager(new dev.vertxshop.platform.cluster.ShopClusterManager(
            dev.vertxshop.platform.cluster.HazelcastSetup.config(dev.vertxshop.platform.config.ClusterConfig.from(env)),
            dev.vertxshop.platform.config.ClusterSecurity.OPEN))
        .with(new io.vertx.core.VertxOptions().setEventBusOptions(new io.vertx.core.eventbus.EventBusOptions().setHost("127.0.0.1").setPort(0)))
        .buildClustered().await(60, TimeUnit.SECONDS);
  }

  private static int freePort() throws java.io.IOException {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Test
  @DisplayName("JSON on the wire round-trips a record through the codec unchanged")
  void wireRoundTrip() {
    Ask ask = new Ask(UUID.randomUUID(), 7);
    assertThat(Ask.fromJson(new JsonObject(ask.toJson().encode()))).isEqualTo(ask);
  }
}
