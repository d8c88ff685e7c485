package dev.vertxshop.platform.boot;

import dev.vertxshop.platform.cluster.EventBusSetup;
import dev.vertxshop.platform.cluster.HazelcastSetup;
import dev.vertxshop.platform.cluster.PeerWatch;
import dev.vertxshop.platform.cluster.ShopClusterManager;
import dev.vertxshop.platform.config.ClusterConfig;
import dev.vertxshop.platform.config.ClusterSecurity;
import dev.vertxshop.platform.config.ConfigException;
import dev.vertxshop.platform.config.DatabaseConfig;
import dev.vertxshop.platform.config.Env;
import dev.vertxshop.platform.config.KafkaConfig;
import dev.vertxshop.platform.db.Databases;
import dev.vertxshop.platform.kafka.KafkaSettings;
import dev.vertxshop.platform.observability.EventBusLog;
import dev.vertxshop.platform.observability.NodeMetrics;
import dev.vertxshop.platform.observability.NodeTracing;
import dev.vertxshop.platform.observability.TracingConfig;
import dev.vertxshop.platform.ops.OpsVerticle;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.kafka.admin.KafkaAdminClient;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import io.vertx.sqlclient.Pool;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One JVM of the shop: a Vert.x instance (clustered or not) with metrics, its ops endpoint, and the
 * services it was asked to run. Start order: ops endpoint (live at once, not ready), then each service
 * (schema migrated, pool opened, verticles deployed), then ready. Stop order is the reverse.
 *
 * <p>With {@code SHOP_OTEL_ENDPOINT} set, the Vert.x instance also traces through OpenTelemetry
 * ({@link NodeTracing}); without it, there is no tracer at all.
 */
public final class ShopNode {

  private static final Logger LOG = LoggerFactory.getLogger(ShopNode.class);
  private static final long CHECK_TIMEOUT_MS = 2_000;

  private final Vertx vertx;
  private final NodeConfig config;
  private final PrometheusMeterRegistry registry;
  private final NodeTracing tracing;
  private final List<String> deployments = new ArrayList<>();
  private final List<Pool> pools = new ArrayList<>();
  private final AtomicBoolean accepting = new AtomicBoolean(false);
  private final AtomicBoolean stopped = new AtomicBoolean(false);
  private OpsVerticle ops;
  private KafkaAdminClient kafkaAdmin;

  private ShopNode(Vertx vertx, NodeConfig config, PrometheusMeterRegistry registry, NodeTracing tracing) {
    this.vertx = vertx;
    this.config = config;
    this.registry = registry;
    this.tracing = tracing;
  }

  /** Starts a node running {@code services}; fails (and releases everything) if any step fails. */
  public static Future<ShopNode> start(Env env, List<ShopService> services, boolean clustered) {
    NodeConfig config;
    ClusterConfig cluster;
    ClusterSecurity security;
    DatabaseConfig database;
    KafkaConfig kafka;
    Optional<TracingConfig> tracingConfig;
    try {
      config = NodeConfig.from(env);
      cluster = clustered ? ClusterConfig.from(env) : null;
      security = clustered ? ClusterSecurity.from(env) : null;
      database = DatabaseConfig.from(env);
      kafka = KafkaConfig.from(env);
      tracingConfig = TracingConfig.from(env, services.stream().map(ShopService::name).toList());
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    long vertxStart = System.nanoTime();
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    VertxOptions options = new VertxOptions()
        .setEventLoopPoolSize(config.eventLoopThreads())
        .setMetricsOptions(new MicrometerMetricsOptions()
            .setEnabled(true)
            // One registry per node, so that several nodes in one JVM (tests) never mix their series.
            .setRegistryName("shop-node-" + java.util.UUID.randomUUID())
            .setJvmMetricsEnabled(true)
            // Histogram buckets, so that dashboards can compute p99 by route.
            .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true).setPublishQuantiles(true))
            .setLabels(EnumSet.of(Label.HTTP_METHOD, Label.HTTP_CODE, Label.HTTP_ROUTE, Label.EB_ADDRESS,
                Label.EB_SIDE, Label.EB_FAILURE, Label.POOL_TYPE, Label.POOL_NAME, Label.CLIENT_NAME)));
    VertxBuilder builder = Vertx.builder().withMetrics(new MicrometerMetricsFactory(registry));
    NodeTracing tracing = tracingConfig.map(NodeTracing::start).orElse(null);
    if (tracing != null) {
      builder = tracing.apply(builder, options);
    }
    Future<Vertx> vertxFuture;
    if (clustered) {
      for (String opening : security.openings()) {
        LOG.warn("the cluster is open (SHOP_CLUSTER_INSECURE=true, for local development only): {}", opening);
      }
      options.setEventBusOptions(EventBusSetup.options(cluster, security));
      vertxFuture = builder.with(options)
          .withClusterManager(new ShopClusterManager(HazelcastSetup.config(cluster, security), security))
          .buildClustered();
    } else {
      vertxFuture = Future.succeededFuture(builder.with(options).build());
    }
    // The result promise is made outside any Vert.x context: when a failed start closes the Vert.x
    // instance, listeners bound to its (now closed) event loop would never run, and the caller would
    // wait for ever instead of learning why the start failed.
    Promise<ShopNode> result = Promise.promise();
    vertxFuture.onComplete(
        vertx -> {
          ShopNode node = new ShopNode(vertx, config, registry, tracing);
          // Vert.x built, and for a clustered node the cluster joined: the part of the start that depends
          // on the other members, reported apart from the node's own start.
          long vertxMs = (System.nanoTime() - vertxStart) / 1_000_000;
          node.boot(env, services, database, kafka, registry, vertxMs).onComplete(
              ok -> result.complete(node),
              failure -> node.stop().onComplete(ignored -> result.fail(failure)));
        },
        failure -> {
          if (tracing != null) {
            tracing.shutdown();
          }
          result.fail(failure);
        });
    return result.future();
  }

  private Future<Void> boot(Env env, List<ShopService> services, DatabaseConfig database, KafkaConfig kafka,
      PrometheusMeterRegistry registry, long vertxMs) {
    long bootStart = System.nanoTime();
    NodeMetrics.install(vertx, registry);
    EventBusLog.install(vertx);
    HealthChecks live = HealthChecks.create(vertx).register("eventloop", CHECK_TIMEOUT_MS, p -> p.complete(Status.OK()));
    HealthChecks ready = HealthChecks.create(vertx)
        .register("accepting", CHECK_TIMEOUT_MS, p -> p.complete(accepting.get() ? Status.OK() : Status.KO()));
    if (vertx.isClustered()) {
      ready.register("cluster", CHECK_TIMEOUT_MS, p -> p.complete(clusterActive() ? Status.OK() : Status.KO()));
    }
    if (services.stream().anyMatch(ShopService::usesKafka)) {
      kafkaAdmin = KafkaAdminClient.create(vertx, KafkaSettings.admin(kafka, "shop-health"));
      ready.register("kafka", CHECK_TIMEOUT_MS, p -> checkKafka(p));
    }
    ops = new OpsVerticle(config.opsHost(), config.opsPort(), live, ready, registry);
    Future<?> chain = vertx.deployVerticle(ops).onSuccess(deployments::add);
    if (vertx.isClustered()) {
      // Before the services: their first requests already route around a frozen peer.
      chain = chain.compose(v -> vertx.deployVerticle(new PeerWatch(PeerWatch.Settings.from(env)))).onSuccess(deployments::add);
    }
    List<ShopService> ordered = services.stream().sorted(Comparator.comparingInt(ShopService::startOrder)).toList();
    for (ShopService service : ordered) {
      chain = chain.compose(v -> startService(service, env, database, kafka, ready));
    }
    return chain.<Void>mapEmpty().onSuccess(v -> {
      accepting.set(true);
      // The start's parts, so that a benchmark can tell the node's own start from the cluster join:
      // JVM start to ready, Vert.x (with the cluster join when clustered), then the services.
      LOG.info("node ready: services {}, ops on port {}{}; {} ms after JVM start ({} {} ms, services {} ms)",
          ordered.stream().map(ShopService::name).toList(), ops.actualPort(), vertx.isClustered() ? ", clustered" : "",
          ManagementFactory.getRuntimeMXBean().getUptime(), vertx.isClustered() ? "cluster join" : "vert.x", vertxMs,
          (System.nanoTime() - bootStart) / 1_000_000);
    });
  }

  private Future<Void> startService(ShopService service, Env env, DatabaseConfig database, KafkaConfig kafka, HealthChecks ready) {
    long start = System.nanoTime();
    Future<Pool> pool;
    if (service.usesDatabase()) {
      pool = Databases.migrate(vertx, database, service.name()).compose(v -> {
        Pool p = Databases.pool(vertx, database, service.name());
        pools.add(p);
        ready.register("database-" + service.name(), CHECK_TIMEOUT_MS, promise -> checkDatabase(p, promise));
        return Databases.firstConnection(vertx, p, service.name(), Databases.FIRST_CONNECTION_PATIENCE).map(p);
      });
    } else {
      pool = Future.succeededFuture(null);
    }
    return pool
        .compose(p -> service.start(new ServiceContext(service.name(), vertx, env, p, kafka, deployments, registry)))
        .onSuccess(v -> LOG.info("service {} started in {} ms", service.name(), (System.nanoTime() - start) / 1_000_000))
        .recover(failure -> Future.failedFuture(failure instanceof ConfigException ? failure
            : new IllegalStateException("service " + service.name() + " failed to start: " + failure.getMessage(), failure)));
  }

  private boolean clusterActive() {
    // getNodes() is answered from the member list Hazelcast keeps locally; no remote call.
    return vertx instanceof io.vertx.core.internal.VertxInternal vi && vi.clusterManager() != null
        && vi.clusterManager().isActive() && !vi.clusterManager().getNodes().isEmpty();
  }

  // tryComplete: the health-check registry completes the promise itself (KO) when the check outlives
  // its timeout, and the late answer must then be dropped, not thrown on the event loop.
  private static void checkDatabase(Pool pool, Promise<Status> promise) {
    pool.query("SELECT 1").execute().onComplete(
        ok -> promise.tryComplete(Status.OK()),
        failure -> promise.tryComplete(Status.KO(new io.vertx.core.json.JsonObject().put("error", String.valueOf(failure.getMessage())))));
  }

  private void checkKafka(Promise<Status> promise) {
    kafkaAdmin.describeCluster().onComplete(
        cluster -> promise.tryComplete(cluster.getNodes().isEmpty() ? Status.KO() : Status.OK()),
        failure -> promise.tryComplete(Status.KO(new io.vertx.core.json.JsonObject().put("error", String.valueOf(failure.getMessage())))));
  }

  public Vertx vertx() {
    return vertx;
  }

  /** The bound ops port. */
  public int opsPort() {
    return ops.actualPort();
  }

  /**
   * Graceful stop: report not ready, undeploy services in reverse start order (HTTP servers finish
   * in-flight requests within the grace period), close pools and Kafka clients, leave the cluster.
   */
  public Future<Void> stop() {
    if (!stopped.compareAndSet(false, true)) {
      return Future.succeededFuture();
    }
    accepting.set(false);
    LOG.info("node stopping");
    Future<Void> chain = Future.succeededFuture();
    List<String> reversed = new ArrayList<>(deployments);
    java.util.Collections.reverse(reversed);
    for (String id : reversed) {
      chain = chain.compose(v -> vertx.undeploy(id).recover(f -> {
        LOG.warn("undeploy of {} failed: {}", id, f.getMessage());
        return Future.succeededFuture();
      }));
    }
    // Completed from the listener of vertx.close() itself: once Vert.x is closed, listeners bound to
    // its event loops are rejected, so nothing after the close may be chained on them.
    Promise<Void> done = Promise.promise();
    chain
        .compose(v -> Future.join(pools.stream().map(Pool::close).toList()).<Void>mapEmpty().recover(f -> Future.succeededFuture()))
        .compose(v -> kafkaAdmin == null ? Future.<Void>succeededFuture() : kafkaAdmin.close(2_000).recover(f -> Future.succeededFuture()))
        .onComplete(ignored -> vertx.close().onComplete(closed -> {
          // Spans still buffered go out last: the stop itself was traced.
          Future<Void> flushed = tracing == null ? Future.succeededFuture() : tracing.shutdown();
          flushed.onComplete(f -> {
            LOG.info("node stopped");
            done.complete();
          });
        }));
    return done.future();
  }

  /** The node's metrics registry (what /metrics serves). */
  public PrometheusMeterRegistry meterRegistry() {
    return registry;
  }

  public NodeConfig config() {
    return config;
  }
}
