package dev.vertxshop.gateway.users;

import dev.vertxshop.contracts.users.Login;
import dev.vertxshop.contracts.users.Register;
import dev.vertxshop.contracts.users.UsersClient;
import dev.vertxshop.gateway.auth.Authenticator;
import dev.vertxshop.gateway.auth.ClientAddress;
import dev.vertxshop.gateway.http.Responses;
import dev.vertxshop.gateway.http.Validated;
import dev.vertxshop.gateway.resilience.Downstream;
import dev.vertxshop.platform.errors.ErrorCode;
import dev.vertxshop.platform.errors.ServiceException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Accounts and sign-in: registration and login are open, {@code /api/users/me} is the verified token's user.
 * Each body is read into the users contract's record, whose rules (e-mail syntax, password lengths) are the
 * service's own: a request the service would refuse never crosses the bus, and is refused with its words.
 */
public final class UsersApi {

  public static final String ME_PATH = "/api/users/me";

  /** The users service says how long a throttled sign-in has to wait: "... try again in 42 s". */
  private static final Pattern WAIT = Pattern.compile("(\\d{1,9}) s\\b");

  private final Downstream users;
  private final UsersClient client;
  private final boolean trustForwarded;

  public UsersApi(Downstream users, UsersClient client, boolean trustForwarded) {
    this.users = users;
    this.client = client;
    this.trustForwarded = trustForwarded;
  }

  public void register(RoutingContext ctx) {
    JsonObject body = Validated.body(ctx);
    // The users service counts sign-ups per client address (in PostgreSQL, so across every gateway replica).
    Register request = Validated.read(ctx, () -> new Register(body.getString("email"), body.getString("password"),
        body.getString("name"), ClientAddress.of(ctx.request(), trustForwarded)));
    if (request == null) {
      return;
    }
    users.call(() -> client.register(request))
        .onComplete(user -> {
          ctx.response().putHeader(HttpHeaders.LOCATION, ME_PATH);
          Responses.json(ctx, 201, user);
        }, failure -> fail(ctx, failure));
  }

  public void login(RoutingContext ctx) {
    JsonObject body = Validated.body(ctx);
    Login request = Validated.read(ctx, () -> new Login(body.getString("email"), body.getString("password"),
        ClientAddress.of(ctx.request(), trustForwarded)));
    if (request == null) {
      return;
    }
    users.call(() -> client.login(request))
        .onComplete(token -> {
          // A token must not be kept by any cache (RFC 6749 section 5.1).
          ctx.response().putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
          Responses.json(ctx, 200, token);
        }, failure -> fail(ctx, failure));
  }

  /** A throttled answer gets {@code Retry-After} with the seconds the users service names. */
  private static void fail(RoutingContext ctx, Throwable failure) {
    ServiceException error = ServiceException.from(failure);
    if (error.code() == ErrorCode.TOO_MANY_REQUESTS) {
      String seconds = retryAfter(error.getMessage());
      if (seconds != null) {
        ctx.response().putHeader(HttpHeaders.RETRY_AFTER, seconds);
      }
    }
    ctx.fail(failure);
  }

  public void me(RoutingContext ctx) {
    String userId = Authenticator.userId(ctx);
    users.call(() -> client.get(userId)).onComplete(user -> Responses.json(ctx, 200, user), ctx::fail);
  }

  /** The seconds to wait in a throttling message, at least 1; null when the message does not say. */
  static String retryAfter(String message) {
    Matcher m = message == null ? null : WAIT.matcher(message);
    if (m == null || !m.find()) {
      return null;
    }
    return String.valueOf(Math.max(1, Long.parseLong(m.group(1))));
  }
}
