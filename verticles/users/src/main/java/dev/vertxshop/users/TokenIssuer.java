package dev.vertxshop.users;

import dev.vertxshop.contracts.users.UsersContract;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * Issues the shop's access tokens: JWTs signed RS256 with claims {@code sub, email, iss, aud, iat,
 * exp, jti} and the key's {@code kid} in the header. Signing is thread-safe, so it may run on the
 * hashing workers right after a successful password check.
 */
final class TokenIssuer {

  static final String ALGORITHM = "RS256";

  private final JWTAuth jwt;
  private final Duration ttl;
  private final Clock clock;

  TokenIssuer(Vertx vertx, SigningKey key, Duration ttl, Clock clock) {
    this.jwt = JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(new PubSecKeyOptions()
        .setAlgorithm(ALGORITHM)
        .setBuffer(key.privateKeyPem())
        .setId(key.kid())));
    this.ttl = ttl;
    this.clock = clock;
  }

  /** A signed token and the instant it expires. */
  record Token(String value, Instant expiresAt) {

    @Override
    public String toString() {
      return "Token[expiresAt=" + expiresAt + "]";
    }
  }

  Token issue(JsonObject user) {
    long issuedAt = clock.instant().getEpochSecond();
    long expiresAt = issuedAt + ttl.toSeconds();
    // iat and exp are set here rather than through JWTOptions.setExpiresInSeconds, which reads the
    // clock again while signing: the reply's expiresAt must be the token's exp to the second.
    JsonObject claims = new JsonObject()
        .put("sub", user.getString("id"))
        .put("email", user.getString("email"))
        .put("iat", issuedAt)
        .put("exp", expiresAt)
        .put("jti", UUID.randomUUID().toString());
    String token = jwt.generateToken(claims, new JWTOptions()
        .setAlgorithm(ALGORITHM)
        .setIssuer(UsersContract.ISSUER)
        .addAudience(UsersContract.AUDIENCE));
    return new Token(token, Instant.ofEpochSecond(expiresAt));
  }
}
