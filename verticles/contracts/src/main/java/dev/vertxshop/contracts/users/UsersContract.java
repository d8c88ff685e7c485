package dev.vertxshop.contracts.users;

import dev.vertxshop.platform.bus.Route;
import io.vertx.core.json.JsonObject;

/**
 * The users service's published contract.
 *
 * <p>A user is {@code {"id" (UUID string), "email" (as registered, compared case-insensitively),
 * "name", "createdAt"}}; never a password or its hash.
 *
 * <p>Tokens are JWTs signed RS256 by the users service: claims {@code sub} (user id), {@code email},
 * {@code iss} = {@link #ISSUER}, {@code aud} = {@link #AUDIENCE}, {@code iat}, {@code exp}, {@code jti}.
 * Verifiers get the public keys from {@link #JWKS} (or from configuration) and accept RS256 only.
 * The header's {@code kid} names the key; a verifier that meets an unknown {@code kid} should fetch
 * the JWKS again (a users service without a configured key generates a new one at every start).
 * The JWKS holds the signing key and the other keys published for a rotation (the next one, the previous
 * ones); a verifier keeps trusting a key that is no longer published for the token lifetime the JWKS states,
 * counted from when it last saw the key, and never trusts a key it has not been given.
 *
 * <p>Every address fails BAD_REQUEST for a body that is not a JSON object, has unknown fields or
 * wrong types; messages never repeat a password.
 */
public final class UsersContract {

  private UsersContract() {
  }

  /**
   * {@link Register} {@code {"email", "password" (8..128 chars), "name" (1..100), "clientAddress"}} → user. Fails BAD_REQUEST,
   * CONFLICT (email taken, compared case-insensitively), TOO_MANY_REQUESTS (too many sign-ups from this client
   * address, or too many sign-ups in progress; the message says how many seconds to wait).
   * Lengths count Unicode code points; {@code email} is at most 254 characters; {@code name} is trimmed;
   * {@code clientAddress} as for {@link #LOGIN}.
   */
  public static final Route<Register, JsonObject> REGISTER = Route.once("users.register", Register.class, Register::fromJson,
      JsonObject.class, Route::jsonReply);
  /**
   * {@link Login} {@code {"email", "password", "clientAddress"}} → {@code {"token", "tokenType": "Bearer", "expiresAt", "user"}}.
   * Fails UNAUTHORIZED (unknown e-mail or wrong password: one message for both), TOO_MANY_REQUESTS
   * (slowed down per account and client address, throttled per client address; the message says how many
   * seconds to wait),
   * BAD_REQUEST, UNAVAILABLE (too many sign-ins in progress). {@code clientAddress} is required: the
   * caller's IP address as the gateway sees it (at most 64 of {@code [0-9A-Za-z.:%_[]-]}).
   * {@code expiresAt} is an ISO-8601 instant, equal to the token's {@code exp}.
   */
  public static final Route<Login, JsonObject> LOGIN = Route.once("users.login", Login.class, Login::fromJson,
      JsonObject.class, Route::jsonReply);
  /** {@link GetUser} {@code {"id"}} → user. Fails NOT_FOUND. */
  public static final Route<GetUser, JsonObject> GET = Route.idempotent("users.get", GetUser.class, GetUser::fromJson,
      JsonObject.class, Route::jsonReply);
  /**
   * {@link GetKeys} {@code {}} → {@code {"keys": [JWK], "tokenLifetimeSeconds": n}}: the public keys that verify tokens (the signing
   * key first), and the lifetime of the tokens this service signs.
   */
  public static final Route<GetKeys, JsonObject> JWKS = Route.idempotent("users.jwks", GetKeys.class, GetKeys::fromJson,
      JsonObject.class, Route::jsonReply);
  /**
   * Publication (no reply) of the same body as {@link #JWKS}, by every users instance once it answers {@link #JWKS}:
   * verifiers merge it at once rather than at their next scheduled fetch.
   */
  public static final String JWKS_CHANGED = "users.jwks.changed";

  /** UserRegistered events, key = user id; data = user. */
  public static final String EVENTS_TOPIC = "shop.users.events";
  public static final String USER_REGISTERED = "UserRegistered";

  public static final String ISSUER = "vertx-shop";
  public static final String AUDIENCE = "shop-api";
}
