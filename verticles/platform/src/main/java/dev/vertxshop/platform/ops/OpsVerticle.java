package dev.vertxshop.platform.ops;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;
import java.util.concurrent.TimeUnit;

/**
 * The operations endpoint of a JVM, on its own port so that it is never exposed with the public API:
 * {@code /health/live}, {@code /health/ready} and {@code /metrics} (Prometheus text format).
 */
public final class OpsVerticle extends VerticleBase {

  private final String host;
  private final int port;
  private final HealthChecks live;
  private final HealthChecks ready;
  private final PrometheusMeterRegistry registry;
  private HttpServer server;

  public OpsVerticle(String host, int port, HealthChecks live, HealthChecks ready, PrometheusMeterRegistry registry) {
    this.host = host;
    this.port = port;
    this.live = live;
    this.ready = ready;
    this.registry = registry;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    router.get("/health/live").handler(HealthCheckHandler.createWithHealthChecks(live));
    router.get("/health/ready").handler(HealthCheckHandler.createWithHealthChecks(ready));
    router.get("/metrics").handler(PrometheusScrapingHandler.create(registry));
    server = vertx.createHttpServer().requestHandler(router);
    return server.listen(port, host);
  }

  @Override
  public Future<?> stop() {
    return server.shutdown(1, TimeUnit.SECONDS);
  }

  /** The port really bound (useful when configured as 0). */
  public int actualPort() {
    return server.actualPort();
  }
}
