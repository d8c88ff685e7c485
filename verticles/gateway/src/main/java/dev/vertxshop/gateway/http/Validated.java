package dev.vertxshop.gateway.http;

import dev.vertxshop.platform.errors.ServiceException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.ValidatedRequest;
import java.util.Map;
import java.util.function.Supplier;

/** Reading a request that the OpenAPI document has already validated: types and ranges are known to hold. */
public final class Validated {

  private Validated() {
  }

  public static ValidatedRequest request(RoutingContext ctx) {
    return ctx.get(RouterBuilder.KEY_META_DATA_VALIDATED_REQUEST);
  }

  public static JsonObject body(RoutingContext ctx) {
    return request(ctx).getBody().getJsonObject();
  }

  public static String path(RoutingContext ctx, String name) {
    return request(ctx).getPathParameters().get(name).getString();
  }

  public static Map<String, RequestParameter> query(RoutingContext ctx) {
    return request(ctx).getQuery();
  }

  public static int integer(Map<String, RequestParameter> params, String name, int fallback) {
    RequestParameter value = params.get(name);
    return present(value) ? value.getInteger() : fallback;
  }

  /** A whole number that may exceed an {@code int} (prices in minor units), or null when absent. */
  public static Long longOrNull(Map<String, RequestParameter> params, String name) {
    RequestParameter value = params.get(name);
    return present(value) ? value.getLong() : null;
  }

  public static String string(Map<String, RequestParameter> params, String name, String fallback) {
    RequestParameter value = params.get(name);
    return present(value) ? value.getString() : fallback;
  }

  /**
   * What {@code reader} reads (a contract's record, a client address), or null once the request has been
   * failed with the reader's refusal: a request the service would refuse never crosses the bus.
   */
  public static <T> T read(RoutingContext ctx, Supplier<T> reader) {
    try {
      return reader.get();
    } catch (ServiceException e) {
      ctx.fail(e);
      return null;
    }
  }

  private static boolean present(RequestParameter value) {
    return value != null && !value.isNull();
  }
}
