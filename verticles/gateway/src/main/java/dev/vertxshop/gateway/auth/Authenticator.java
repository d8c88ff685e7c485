package dev.vertxshop.gateway.auth;

import dev.vertxshop.contracts.users.UsersContract;
import dev.vertxshop.gateway.GatewayConfig;
import dev.vertxshop.gateway.http.FailureHandler;
import dev.vertxshop.platform.errors.ErrorCode;
import dev.vertxshop.platform.errors.ServiceException;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets a request through only with {@code Authorization: Bearer <JWT>} signed RS256 by a key of {@link JwtKeys},
 * issued by {@value UsersContract#ISSUER} for {@value UsersContract#AUDIENCE}, not expired; then the token's
 * {@code sub} is the user the request acts for ({@link #userId(RoutingContext)}), never anything the client sends.
 *
 * <p>One instance per HTTP verticle, confined to its event loop: it keeps its own verifier, rebuilt when
 * {@link JwtKeys} publishes new keys, so that verifications never contend across event loops.
 */
public final class Authenticator implements Handler<RoutingContext> {

  /** The challenge of a request without credentials (RFC 6750 section 3). */
  public static final String CHALLENGE = "Bearer realm=\"shop\"";
  /** The challenge of a request whose token was refused. */
  public static final String INVALID_TOKEN_CHALLENGE = "Bearer realm=\"shop\", error=\"invalid_token\"";

  static final int MAX_TOKEN_LENGTH = 8192;

  private static final Logger LOG = LoggerFactory.getLogger(Authenticator.class);
  private static final String USER_ID = "shop.userId";
  private static final String BEARER = "Bearer ";
  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_-]+");
  /** A kid ends up in a log line when unknown: printable ASCII only, and short. */
  private static final Pattern KID = Pattern.compile("[\\x21-\\x7E]{1,128}");
  private static final Pattern UUID_TEXT =
      Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
  private static final Base64.Decoder B64URL = Base64.getUrlDecoder();

  private final Vertx vertx;
  private final GatewayConfig config;
  private JWTAuth verifier;
  private long version;
  private boolean refreshable;
  private Set<String> kids = Set.of();
  private Future<Void> asking;

  private Authenticator(Vertx vertx, GatewayConfig config) {
    this.vertx = vertx;
    this.config = config;
  }

  /**
   * An authenticator for the calling verticle: subscribed to key changes and holding the current keys if
   * {@link JwtKeys} has them already. Call from the verticle's {@code start()}.
   */
  public static Future<Authenticator> create(Vertx vertx, GatewayConfig config) {
    Authenticator authenticator = new Authenticator(vertx, config);
    MessageConsumer<JsonObject> changes = vertx.eventBus().localConsumer(JwtKeys.CHANGED,
        (Message<JsonObject> message) -> authenticator.apply(message.body()));
    // No keys yet is normal (the users service may start later): the change notification brings them, and a
    // request that finds none asks again.
    return changes.completion().compose(v -> authenticator.current()).map(authenticator);
  }

  /** The verified user id of a request that went through this handler. */
  public static String userId(RoutingContext ctx) {
    String id = ctx.get(USER_ID);
    if (id == null) {
      throw new IllegalStateException("route not behind the authenticator");
    }
    return id;
  }

  /** Whether keys are loaded, so that tokens can be verified. */
  public boolean ready() {
    return verifier != null;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String authorization = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
    if (authorization == null || authorization.isBlank()) {
      refuse(ctx, CHALLENGE, "a bearer token is required (Authorization: Bearer <token>)");
      return;
    }
    if (authorization.length() <= BEARER.length() || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      refuse(ctx, CHALLENGE, "the Authorization header must be 'Bearer <token>'");
      return;
    }
    String token = authorization.substring(BEARER.length()).trim();
    JsonObject header;
    try {
      header = header(token);
    } catch (IllegalArgumentException e) {
      refuse(ctx, INVALID_TOKEN_CHALLENGE, e.getMessage());
      return;
    }
    if (verifier == null) {
      // The keys' owner may have them although this instance missed them (its answer at start came too late, or
      // there was none yet and the change notice was missed): ask once before answering 503.
      current().onComplete(v -> {
        if (verifier != null) {
          LOG.info("token keys obtained on demand (version {}): the change notice had not reached this instance", version);
        }
        verify(ctx, token);
      });
      return;
    }
    String kid = header.getString("kid");
    if (kid != null && refreshable && !kids.contains(kid)) {
      // Maybe the users service has a new key (a restart without a configured key makes one): ask once.
      vertx.eventBus().<JsonObject>request(JwtKeys.REFRESH, new JsonObject().put("kid", kid),
              new DeliveryOptions().setLocalOnly(true).setSendTimeout(config.deadline().toMillis()))
          .onComplete(reply -> {
            apply(reply.body());
            verify(ctx, token);
          }, failure -> verify(ctx, token));
      return;
    }
    verify(ctx, token);
  }

  /**
   * Asks {@link JwtKeys} for its keys and applies them; requests arriving meanwhile share the question. Always
   * succeeds: without keys, the caller answers 503.
   */
  private Future<Void> current() {
    if (asking == null) {
      Future<Void> question = vertx.eventBus().<JsonObject>request(JwtKeys.CURRENT, new JsonObject(),
              new DeliveryOptions().setLocalOnly(true).setSendTimeout(config.deadline().toMillis()))
          .<Void>map(reply -> {
            apply(reply.body());
            return null;
          })
          .otherwiseEmpty();
      asking = question;
      question.onComplete(v -> {
        if (asking == question) {
          asking = null;
        }
      });
      return question;
    }
    return asking;
  }

  private void verify(RoutingContext ctx, String token) {
    if (verifier == null) {
      ctx.fail(ServiceException.unavailable("sign-in is not available yet: the token keys are not loaded"));
      return;
    }
    verifier.authenticate(new TokenCredentials(token)).onComplete(user -> {
      String problem = claimsProblem(user);
      if (problem != null) {
        refuse(ctx, INVALID_TOKEN_CHALLENGE, problem);
        return;
      }
      ctx.put(USER_ID, user.attributes().getJsonObject("accessToken").getString("sub"));
      // Answers for one user must not be kept by any cache on the way.
      ctx.response().putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
      ctx.next();
    }, failure -> {
      String message = String.valueOf(failure.getMessage());
      LOG.debug("token refused: {}", message);
      refuse(ctx, INVALID_TOKEN_CHALLENGE, message.contains("expired") ? "the bearer token has expired"
          : "the bearer token is not valid");
    });
  }

  /**
   * The token's header, after the checks that must not be left to the library: three non-empty base64url
   * segments, a JSON header, {@code alg} exactly RS256 (so neither {@code none} nor an HMAC "signed" with the
   * public key), no critical extensions.
   */
  static JsonObject header(String token) {
    if (token.length() > MAX_TOKEN_LENGTH) {
      throw new IllegalArgumentException("the bearer token is too long");
    }
    String[] segments = token.split("\\.", -1);
    if (segments.length != 3) {
      throw new IllegalArgumentException("the bearer token is not a signed JWT");
    }
    for (String segment : segments) {
      if (!SEGMENT.matcher(segment).matches()) {
        throw new IllegalArgumentException("the bearer token is not a signed JWT");
      }
    }
    JsonObject header;
    try {
      header = new JsonObject(new String(B64URL.decode(segments[0]), StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("the bearer token is not a signed JWT");
    }
    if (!PublicKeys.ALGORITHM.equals(header.getValue("alg"))) {
      throw new IllegalArgumentException("the bearer token is not signed with RS256");
    }
    if (header.containsKey("crit")) {
      throw new IllegalArgumentException("the bearer token has critical header extensions");
    }
    Object kid = header.getValue("kid");
    if (kid != null && !(kid instanceof String text && KID.matcher(text).matches())) {
      throw new IllegalArgumentException("the bearer token's kid is not usable");
    }
    return header;
  }

  /** Checks the library does not make: required claims present, subject a user id, exact issuer and audience. */
  private static String claimsProblem(User user) {
    JsonObject claims = user.attributes() == null ? null : user.attributes().getJsonObject("accessToken");
    if (claims == null) {
      return "the bearer token is not valid";
    }
    if (!(claims.getValue("exp") instanceof Number)) {
      return "the bearer token has no expiry";
    }
    if (!(claims.getValue("sub") instanceof String sub) || !UUID_TEXT.matcher(sub).matches()) {
      return "the bearer token does not name a user";
    }
    if (!UsersContract.ISSUER.equals(claims.getValue("iss"))) {
      return "the bearer token is not valid";
    }
    Object aud = claims.getValue("aud");
    boolean forUs = UsersContract.AUDIENCE.equals(aud) || aud instanceof JsonArray list && list.contains(UsersContract.AUDIENCE);
    return forUs ? null : "the bearer token is not valid";
  }

  private void apply(JsonObject keySet) {
    if (keySet == null || keySet.getLong("version", 0L) <= version) {
      return;
    }
    JWTAuthOptions options = new JWTAuthOptions().setJWTOptions(new JWTOptions()
        .setIssuer(UsersContract.ISSUER)
        .addAudience(UsersContract.AUDIENCE)
        .setLeeway((int) config.jwtLeeway().toSeconds()));
    Set<String> known = new HashSet<>();
    for (Object key : keySet.getJsonArray("keys")) {
      JsonObject jwk = (JsonObject) key;
      options.addJwk(jwk);
      known.add(jwk.getString("kid"));
    }
    // No key left (all dropped after their grace): nothing verifies, protected routes answer 503.
    verifier = known.isEmpty() ? null : JWTAuth.create(vertx, options);
    kids = Set.copyOf(known);
    version = keySet.getLong("version");
    refreshable = JwtKeys.SOURCE_USERS.equals(keySet.getString("source"));
  }

  private static void refuse(RoutingContext ctx, String challenge, String message) {
    ctx.put(FailureHandler.CHALLENGE, challenge);
    ctx.fail(new ServiceException(ErrorCode.UNAUTHORIZED, message));
  }
}
