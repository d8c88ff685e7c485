package dev.vertxshop.users;

import dev.vertxshop.contracts.users.Login;
import dev.vertxshop.platform.errors.ErrorCode;
import dev.vertxshop.platform.errors.ServiceException;
import dev.vertxshop.users.TokenIssuer.Token;
import dev.vertxshop.users.UserStore.Account;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code users.login}: throttle, look up, check the password on a worker, issue a token.
 *
 * <p>An unknown e-mail and a wrong password end alike: same code, same message, and the same Argon2
 * work (against a dummy hash), so neither the reply nor its timing says whether the account exists.
 */
final class SignIn {

  private static final Logger LOG = LoggerFactory.getLogger(SignIn.class);

  /** The one message for an unknown e-mail and a wrong password. */
  static final String REFUSED = "invalid e-mail address or password";

  private final UserStore users;
  private final LoginThrottle throttle;
  private final Hashing hashing;
  private final PasswordHasher hasher;
  private final TokenIssuer tokens;
  private final String dummyHash;

  /** {@code dummyHash} is a hash of a random secret, made with the current parameters. */
  SignIn(UserStore users, LoginThrottle throttle, Hashing hashing, PasswordHasher hasher, TokenIssuer tokens, String dummyHash) {
    this.users = users;
    this.throttle = throttle;
    this.hashing = hashing;
    this.hasher = hasher;
    this.tokens = tokens;
    this.dummyHash = dummyHash;
  }

  /** What the worker decided: a token (and maybe a fresher hash) or a refusal. */
  private record Outcome(Account account, Token token, String newHash) {

    boolean accepted() {
      return token != null;
    }
  }

  Future<JsonObject> login(Login credentials) {
    return throttle.reserve(credentials.email(), credentials.clientAddress())
        .onFailure(failure -> {
          if (ServiceException.from(failure).code() == ErrorCode.TOO_MANY_REQUESTS) {
            LOG.debug("sign-in from {} throttled", credentials.clientAddress());
          }
        })
        .compose(reserved -> users.findForLogin(credentials.email())
            .compose(account -> hashing.submit(() -> check(account, credentials.password())))
            .recover(undecided -> giveBack(credentials, undecided)))
        .compose(outcome -> outcome.accepted() ? accepted(credentials, outcome) : refused(credentials, outcome));
  }

  private Future<Outcome> giveBack(Login credentials, Throwable failure) {
    return throttle.giveBack(credentials.email(), credentials.clientAddress())
        .transform(ignored -> Future.failedFuture(failure));
  }

  private static Future<JsonObject> refused(Login credentials, Outcome outcome) {
    // An audit trail without the e-mail typed: a user id when there is one, and the address.
    if (outcome.account() == null) {
      LOG.info("sign-in refused from {}: unknown e-mail address", credentials.clientAddress());
    } else {
      LOG.info("sign-in refused from {}: wrong password for user {}", credentials.clientAddress(), outcome.account().id());
    }
    return Future.failedFuture(new ServiceException(ErrorCode.UNAUTHORIZED, REFUSED));
  }

  // On a worker thread.
  private Outcome check(Account account, String password) {
    String stored = account == null ? dummyHash : account.passwordHash();
    boolean matches = hasher.verify(password, stored);
    if (account == null || !matches) {
      return new Outcome(account, null, null);
    }
    // The password is at hand only now: the moment to move an old hash to the current parameters.
    String newHash = hasher.needsRehash(stored) ? hasher.hash(password) : null;
    return new Outcome(account, tokens.issue(account.user()), newHash);
  }

  private Future<JsonObject> accepted(Login credentials, Outcome outcome) {
    Account account = outcome.account();
    // Neither follow-up may cost the user a token already earned: failures are logged, not returned.
    Future<Void> reset = throttle.succeeded(credentials.email(), credentials.clientAddress())
        .recover(failure -> {
          LOG.warn("sign-in of user {}: throttle reset failed: {}", account.id(), failure.getMessage());
          return Future.succeededFuture();
        });
    Future<Void> rehash = outcome.newHash() == null ? Future.succeededFuture()
        : users.replaceHash(account.id(), account.passwordHash(), outcome.newHash())
            .<Void>map(replaced -> {
              if (replaced) {
                LOG.info("user {}: password hash moved to the current Argon2 parameters", account.id());
              }
              return null;
            })
            .recover(failure -> {
              LOG.warn("sign-in of user {}: rehash failed: {}", account.id(), failure.getMessage());
              return Future.succeededFuture();
            });
    return Future.all(reset, rehash).map(done -> {
      LOG.info("user {} signed in", account.id());
      return new JsonObject()
          .put("token", outcome.token().value())
          .put("tokenType", "Bearer")
          .put("expiresAt", outcome.token().expiresAt().toString())
          .put("user", account.user());
    });
  }
}
