package dev.vertxshop.users;

import dev.vertxshop.platform.errors.ErrorCode;
import dev.vertxshop.platform.errors.ServiceException;
import dev.vertxshop.users.UsersConfig.ThrottleRule;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;

/**
 * Sign-in throttling per account and per client address, kept in PostgreSQL so that it holds across
 * replicas and restarts.
 *
 * <p>An attempt is counted <em>before</em> its password is checked and given back if it succeeds.
 * Counting first makes the limit exact under concurrency: ten simultaneous guesses against a limit
 * of five get five password checks, not ten. Unknown e-mails are counted like known ones, so the
 * throttle never tells whether an account exists.
 */
final class LoginThrottle {

  static final String ACCOUNT = "account";
  static final String ADDRESS = "address";

  private final Pool pool;
  private final ThrottleRule account;
  private final ThrottleRule address;

  LoginThrottle(Pool pool, ThrottleRule account, ThrottleRule address) {
    this.pool = pool;
    this.account = account;
    this.address = address;
  }

  /**
   * Counts one attempt against the account and the address, in one transaction: when either is at
   * its limit, nothing is counted and the attempt fails TOO_MANY_REQUESTS.
   */
  Future<Void> reserve(String email, String clientAddress) {
    String accountSubject = accountSubject(email);
    String addressSubject = addressSubject(clientAddress);
    // Always account first, then address: one lock order, so concurrent reservations cannot deadlock.
    return pool.withTransaction(tx -> count(tx, ACCOUNT, accountSubject, account)
        .compose(v -> count(tx, ADDRESS, addressSubject, address)));
  }

  /** After a successful sign-in: the account starts afresh; the address gets its attempt back. */
  Future<Void> succeeded(String email, String clientAddress) {
    // Only the account is reset: resetting the address would let one valid account reopen an
    // address's budget for guessing at others.
    return Future.all(
            pool.preparedQuery(UsersQueries.RESET_ATTEMPTS).execute(Tuple.of(ACCOUNT, accountSubject(email))),
            pool.preparedQuery(UsersQueries.GIVE_BACK_ATTEMPT).execute(Tuple.of(ADDRESS, addressSubject(clientAddress))))
        .mapEmpty();
  }

  /**
   * After an attempt that never reached a verdict (hashing saturated, database trouble): both get
   * their attempt back, so that an overloaded service does not lock out the users it failed.
   */
  Future<Void> giveBack(String email, String clientAddress) {
    return Future.all(
            pool.preparedQuery(UsersQueries.GIVE_BACK_ATTEMPT).execute(Tuple.of(ACCOUNT, accountSubject(email))),
            pool.preparedQuery(UsersQueries.GIVE_BACK_ATTEMPT).execute(Tuple.of(ADDRESS, addressSubject(clientAddress))))
        .mapEmpty();
  }

  /** Deletes the rows whose window has passed; completes with how many. */
  Future<Integer> prune() {
    return pool.preparedQuery(UsersQueries.PRUNE_ATTEMPTS)
        .execute(Tuple.of(seconds(account), seconds(address)))
        .map(rows -> rows.rowCount());
  }

  private static Future<Void> count(SqlConnection tx, String scope, String subject, ThrottleRule rule) {
    return tx.preparedQuery(UsersQueries.COUNT_ATTEMPT)
        .execute(Tuple.of(scope, subject, seconds(rule), rule.maxAttempts()))
        .compose(counted -> {
          if (counted.size() > 0) {
            return Future.<Void>succeededFuture();
          }
          return tx.preparedQuery(UsersQueries.SECONDS_LEFT).execute(Tuple.of(scope, subject, seconds(rule)))
              .compose(rows -> Future.failedFuture(throttled(rows.iterator().next().getInteger(0))));
        });
  }

  /** One message whichever limit was hit: which one would not help a legitimate user, only a prober. */
  static ServiceException throttled(int secondsLeft) {
    return new ServiceException(ErrorCode.TOO_MANY_REQUESTS,
        "too many failed sign-in attempts; try again in " + secondsLeft + " s");
  }

  /** The stored subject for an account: a digest of the lower-cased e-mail, so no address is kept in clear. */
  static String accountSubject(String email) {
    return digest(email.toLowerCase(Locale.ROOT));
  }

  static String addressSubject(String clientAddress) {
    return digest(clientAddress.toLowerCase(Locale.ROOT));
  }

  private static String digest(String value) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  private static double seconds(ThrottleRule rule) {
    return rule.window().toMillis() / 1000.0;
  }
}
