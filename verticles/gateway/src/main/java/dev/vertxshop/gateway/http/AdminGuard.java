package dev.vertxshop.gateway.http;

import dev.vertxshop.platform.errors.ErrorCode;
import dev.vertxshop.platform.errors.ServiceException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * Lets a request through only with {@code Authorization: Bearer <SHOP_ADMIN_TOKEN>}. Without a
 * configured token every admin request is forbidden: there is no default token to guess.
 */
public final class AdminGuard implements Handler<RoutingContext> {

  private static final String BEARER = "Bearer ";
  private static final String CHALLENGE = "Bearer realm=\"shop-admin\"";

  private final byte[] expectedDigest;

  public AdminGuard(Optional<String> adminToken) {
    this.expectedDigest = adminToken.map(AdminGuard::digest).orElse(null);
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (expectedDigest == null) {
      ctx.fail(new ServiceException(ErrorCode.FORBIDDEN, "admin writes are disabled on this gateway"));
      return;
    }
    if (!matches(ctx.request().getHeader(HttpHeaders.AUTHORIZATION))) {
      ctx.put(FailureHandler.CHALLENGE, CHALLENGE);
      ctx.fail(new ServiceException(ErrorCode.UNAUTHORIZED, "a valid admin bearer token is required"));
      return;
    }
    ctx.next();
  }

  /** Whether an {@code Authorization} header value carries the admin token; the time taken does not depend on it. */
  boolean matches(String authorization) {
    if (authorization == null || authorization.length() < BEARER.length()
        || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      return false;
    }
    // Comparing fixed-length digests with isEqual (constant time) hides both content and length of the token.
    return MessageDigest.isEqual(digest(authorization.substring(BEARER.length()).trim()), expectedDigest);
  }

  private static byte[] digest(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      // Every Java platform is required to provide SHA-256.
      throw new IllegalStateException(e);
    }
  }
}
