package dev.vertxshop.gateway.http;

import dev.vertxshop.platform.observability.Correlation;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.PlatformHandler;

/**
 * First handler of every request: binds the caller's {@code x-correlation-id} (or a new one) to the
 * request's context, so that logs and event-bus calls carry it, echoes it, and sets the headers every
 * JSON answer of this API should have.
 */
public final class CorrelationHandler implements PlatformHandler {

  @Override
  public void handle(RoutingContext ctx) {
    // Each HTTP request runs on its own duplicated context, so the id cannot leak into another request.
    String id = Correlation.bind(ctx.request().getHeader(Correlation.HEADER));
    ctx.response()
        .putHeader(Correlation.HEADER, id)
        // A JSON API is never meant to be rendered: no sniffing, no framing, no referrers, no active content.
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("X-Frame-Options", "DENY")
        .putHeader("Referrer-Policy", "no-referrer")
        .putHeader("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
    ctx.next();
  }
}
