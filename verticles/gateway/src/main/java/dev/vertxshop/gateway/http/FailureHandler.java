package dev.vertxshop.gateway.http;

import dev.vertxshop.platform.errors.ErrorCode;
import dev.vertxshop.platform.errors.ServiceException;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.openapi.validation.ValidatorException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where a failure becomes an HTTP answer: {@code {"error": <key>, "message": ...}} with the
 * status of its {@link ErrorCode}, plus any fields the failing handler named ({@link #DETAILS}).
 * Validation failures are 400, vertx-web's own 4xx statuses are kept, service failures map by code,
 * anything unexpected is logged once and answered as a bare 500.
 */
public final class FailureHandler implements Handler<RoutingContext> {

  /**
   * Routing-context key of the {@code WWW-Authenticate} value for a 401, set by whoever refused the request
   * (the admin guard, the token check); without it, the users' realm.
   */
  public static final String CHALLENGE = "shop.challenge";
  static final String DEFAULT_CHALLENGE = "Bearer realm=\"shop\"";
  /**
   * Routing-context key of a {@link JsonObject} of fields to add to the error body, set by the handler that
   * fails the request (a checkout's 409 names the unsettled order as {@code "orderId"}). They never replace
   * {@code error} or {@code message}, so every client keeps reading those as before.
   */
  public static final String DETAILS = "shop.error.details";

  private static final Logger LOG = LoggerFactory.getLogger(FailureHandler.class);
  private static final int MAX_PATH_SHOWN = 200;

  private final int bodyLimit;
  private final String retryAfterSeconds;

  public FailureHandler(int bodyLimit, Duration retryAfter) {
    this.bodyLimit = bodyLimit;
    this.retryAfterSeconds = String.valueOf(Math.max(1, (retryAfter.toMillis() + 999) / 1000));
  }

  /** The code and client-safe message for a failed request. */
  record ApiError(ErrorCode code, String message) {
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerResponse response = ctx.response();
    if (response.headWritten()) {
      // Too late for a JSON answer; the client sees a cut connection, which is what happened.
      LOG.warn("{} {} failed after the response started: {}", ctx.request().method(), ctx.request().path(),
          String.valueOf(ctx.failure()));
      response.reset();
      return;
    }
    ApiError error = classify(ctx);
    int status = error.code().httpStatus();
    response.setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, Responses.JSON)
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
    if (error.code() == ErrorCode.UNAVAILABLE) {
      response.putHeader(HttpHeaders.RETRY_AFTER, retryAfterSeconds);
    } else if (error.code() == ErrorCode.UNAUTHORIZED) {
      String challenge = ctx.get(CHALLENGE);
      response.putHeader("WWW-Authenticate", challenge == null ? DEFAULT_CHALLENGE : challenge);
    }
    JsonObject body = new JsonObject().put("error", error.code().key()).put("message", error.message());
    JsonObject details = ctx.get(DETAILS);
    if (details != null) {
      details.forEach(field -> {
        if (!body.containsKey(field.getKey())) {
          body.put(field.getKey(), field.getValue());
        }
      });
    }
    response.end(body.toBuffer());
  }

  private ApiError classify(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    int status = ctx.statusCode();
    if (failure instanceof HttpException http && http.getCause() instanceof ValidatorException validation) {
      // The router builder's validation handler wraps its findings in a 400.
      failure = validation;
    }
    if (failure instanceof ValidatorException validation) {
      return new ApiError(ErrorCode.BAD_REQUEST, ValidationMessages.describe(validation));
    }
    if (failure instanceof DecodeException) {
      return new ApiError(ErrorCode.BAD_REQUEST, "the request body is not valid JSON");
    }
    if (failure instanceof ReplyException reply) {
      ServiceException error = ServiceException.from(reply);
      if (error.code() != ErrorCode.INTERNAL) {
        return new ApiError(error.code(), error.getMessage());
      }
      // A service failed internally; it logged the details under the same correlation id.
      LOG.warn("{} {}: a service failed internally: {}", ctx.request().method(), ctx.request().path(), error.getMessage());
      return internal();
    }
    if (failure instanceof HttpException http) {
      status = http.getStatusCode();
    }
    if (status >= 400 && status < 500 && (failure == null || failure instanceof HttpException)) {
      ErrorCode code = ErrorCode.fromHttpStatus(status);
      return new ApiError(code, messageFor(code, ctx));
    }
    LOG.error("{} {} failed unexpectedly", ctx.request().method(), ctx.request().path(), failure);
    return internal();
  }

  private String messageFor(ErrorCode code, RoutingContext ctx) {
    switch (code) {
      case NOT_FOUND:
        return "no resource at " + ctx.request().method() + " " + path(ctx);
      case METHOD_NOT_ALLOWED:
        return ctx.request().method() + " is not allowed on " + path(ctx);
      case PAYLOAD_TOO_LARGE:
        return "the request body is larger than " + bodyLimit + " bytes";
      case UNSUPPORTED_MEDIA_TYPE:
        return "unsupported content type";
      case UNAUTHORIZED:
        return "authentication required";
      case FORBIDDEN:
        return "forbidden";
      default:
        return "bad request";
    }
  }

  // The path comes from the client: echo a bounded amount of it.
  private static String path(RoutingContext ctx) {
    String path = ctx.normalizedPath();
    return path.length() > MAX_PATH_SHOWN ? path.substring(0, MAX_PATH_SHOWN) + "..." : path;
  }

  private static ApiError internal() {
    return new ApiError(ErrorCode.INTERNAL, "internal error");
  }
}
