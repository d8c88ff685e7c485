package dev.vertxshop.gateway;

import dev.vertxshop.gateway.auth.Authenticator;
import dev.vertxshop.gateway.resilience.Breakers;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.openapi.contract.OpenAPIContract;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * One HTTP server instance of the gateway. Several instances listen on the same port and Vert.x
 * spreads connections over them; each builds its own router from the OpenAPI document.
 */
public final class GatewayVerticle extends VerticleBase {

  /**
   * Instances share a listening socket only when they listen on the same port; with port 0 each would
   * get a port of its own. A negative port asks Vert.x for one random port shared by every server
   * listening with that same negative number.
   */
  static final int SHARED_RANDOM_PORT = -8080;

  private final GatewayConfig config;
  private final Breakers breakers;
  private final IntConsumer onBound;
  private HttpServer server;

  public GatewayVerticle(GatewayConfig config, Breakers breakers, IntConsumer onBound) {
    this.config = config;
    this.breakers = breakers;
    this.onBound = onBound;
  }

  @Override
  public Future<?> start() {
    return Future.all(OpenAPIContract.from(vertx, ApiRouter.CONTRACT), vertx.fileSystem().readFile(ApiRouter.CONTRACT),
            Authenticator.create(vertx, config))
        .map(all -> ApiRouter.create(vertx, all.resultAt(0), all.resultAt(1), config, breakers, all.resultAt(2)))
        .compose(router -> {
          server = vertx.createHttpServer(new HttpServerOptions()
                  // Keep-alive clients that never send anything must not hold connections forever.
                  .setIdleTimeout(60)
                  .setIdleTimeoutUnit(TimeUnit.SECONDS))
              .requestHandler(router);
          return server.listen(config.port() == 0 ? SHARED_RANDOM_PORT : config.port(), config.host());
        })
        .onSuccess(bound -> onBound.accept(bound.actualPort()));
  }

  @Override
  public Future<?> stop() {
    // Stops accepting at once and lets in-flight requests finish within the node's grace period.
    return server == null ? Future.succeededFuture()
        : server.shutdown(config.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS);
  }
}
