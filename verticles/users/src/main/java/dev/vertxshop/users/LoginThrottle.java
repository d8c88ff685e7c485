package dev.vertxshop.users;

import dev.vertxshop.platform.errors.ErrorCode;
import dev.vertxshop.platform.errors.ServiceException;
import dev.vertxshop.users.UsersConfig.DelayRule;
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
 * Sign-in and sign-up throttling, kept in PostgreSQL so that it holds across replicas and restarts.
 *
 * <p>Sign-in is slowed per <em>pair</em> (account and client address): a few failures are free, then each
 * failure makes that pair wait, twice as long as the one before, up to a cap. The owner of the account,
 * signing in from another address, is a different pair and never waits for the attacker. Each client address
 * also has a budget of failures per window across all accounts, against guessing at many accounts.
 *
 * <p>An attempt is counted <em>before</em> its password is checked (as if it failed), and given back if it
 * succeeds. Counting first makes the bounds exact under concurrency: of ten simultaneous guesses from one pair,
 * only the free ones and the one that earns the first delay get a password check. Unknown e-mails are counted
 * like known ones, so the throttle never tells whether an account exists.
 *
 * <p>Sign-ups are counted per client address in a fixed window, every attempt alike.
 */
final class LoginThrottle {

  static final String PAIR = "pair";
  static final String ADDRESS = "address";
  static final String REGISTER = "register";

  private final Pool pool;
  private final DelayRule pair;
  private final ThrottleRule address;
  private final ThrottleRule register;

  LoginThrottle(Pool pool, DelayRule pair, ThrottleRule address, ThrottleRule register) {
    this.pool = pool;
    this.pair = pair;
    this.address = address;
    this.register = register;
  }

  /**
   * Counts one attempt against the pair and the address, in one transaction: when the pair is waiting out a
   * delay or the address is at its limit, nothing is counted and the attempt fails TOO_MANY_REQUESTS.
   */
  Future<Void> reserve(String email, String clientAddress) {
    String pairSubject = pairSubject(email, clientAddress);
    String addressSubject = addressSubject(clientAddress);
    // Always pair first, then address: one lock order, so concurrent reservations cannot deadlock.
    return pool.withTransaction(tx -> countPair(tx, pairSubject)
        .compose(v -> count(tx, ADDRESS, addressSubject, address, LoginThrottle::throttled)));
  }

  /** After a successful sign-in: the pair starts afresh; the address gets its attempt back. */
  Future<Void> succeeded(String email, String clientAddress) {
    // The address is not reset: that would let one valid account reopen an address's budget for guessing at others.
    return Future.all(
            pool.preparedQuery(UsersQueries.RESET_ATTEMPTS).execute(Tuple.of(PAIR, pairSubject(email, clientAddress))),
            pool.preparedQuery(UsersQueries.GIVE_BACK_ATTEMPT).execute(Tuple.of(ADDRESS, addressSubject(clientAddress))))
        .mapEmpty();
  }

  /**
   * After an attempt that never reached a verdict (hashing saturated, database trouble): both get their
   * attempt back (and the pair the delay it may have charged), so an overloaded service does not slow down
   * the users it failed.
   */
  Future<Void> giveBack(String email, String clientAddress) {
    return Future.all(
            pool.preparedQuery(UsersQueries.GIVE_BACK_PAIR_ATTEMPT)
                .execute(Tuple.of(pairSubject(email, clientAddress), pair.freeAttempts())),
            pool.preparedQuery(UsersQueries.GIVE_BACK_ATTEMPT).execute(Tuple.of(ADDRESS, addressSubject(clientAddress))))
        .mapEmpty();
  }

  /** Counts one sign-up from {@code clientAddress}; fails TOO_MANY_REQUESTS when the address is at its limit. */
  Future<Void> reserveRegistration(String clientAddress) {
    String subject = addressSubject(clientAddress);
    // One statement, no transaction: a single subject needs no lock order, and a sign-up costs one round trip.
    return pool.preparedQuery(UsersQueries.COUNT_ATTEMPT)
        .execute(Tuple.of(REGISTER, subject, seconds(register.window()), register.maxAttempts()))
        .compose(counted -> counted.size() > 0 ? Future.<Void>succeededFuture()
            : pool.preparedQuery(UsersQueries.SECONDS_LEFT).execute(Tuple.of(REGISTER, subject, seconds(register.window())))
                .compose(rows -> Future.failedFuture(registrationThrottled(
                    rows.size() == 0 ? 1 : rows.iterator().next().getInteger(0)))));
  }

  /** Gives back a sign-up that was not decided (hashing saturated, database trouble). */
  Future<Void> giveBackRegistration(String clientAddress) {
    return pool.preparedQuery(UsersQueries.GIVE_BACK_ATTEMPT).execute(Tuple.of(REGISTER, addressSubject(clientAddress)))
        .mapEmpty();
  }

  /** Deletes the rows that no longer throttle anything; completes with how many. */
  Future<Integer> prune() {
    return pool.preparedQuery(UsersQueries.PRUNE_ATTEMPTS)
        .execute(Tuple.of(seconds(pair.memory()), seconds(address.window()), seconds(register.window())))
        .map(rows -> rows.rowCount());
  }

  private Future<Void> countPair(SqlConnection tx, String subject) {
    return tx.preparedQuery(UsersQueries.COUNT_PAIR_ATTEMPT)
        .execute(Tuple.of(subject, pair.freeAttempts(), seconds(pair.firstDelay()), seconds(pair.maxDelay()),
            seconds(pair.memory())))
        .compose(counted -> {
          if (counted.size() > 0) {
            return Future.<Void>succeededFuture();
          }
          return tx.preparedQuery(UsersQueries.PAIR_SECONDS_LEFT).execute(Tuple.of(subject))
              .compose(rows -> Future.failedFuture(throttled(rows.iterator().next().getInteger(0))));
        });
  }

  private interface Refusal {
    ServiceException of(int secondsLeft);
  }

  private static Future<Void> count(SqlConnection tx, String scope, String subject, ThrottleRule rule, Refusal refusal) {
    return tx.preparedQuery(UsersQueries.COUNT_ATTEMPT)
        .execute(Tuple.of(scope, subject, seconds(rule.window()), rule.maxAttempts()))
        .compose(counted -> {
          if (counted.size() > 0) {
            return Future.<Void>succeededFuture();
          }
          return tx.preparedQuery(UsersQueries.SECONDS_LEFT).execute(Tuple.of(scope, subject, seconds(rule.window())))
              .compose(rows -> Future.failedFuture(refusal.of(rows.iterator().next().getInteger(0))));
        });
  }

  /** One message whichever bound was hit: which one would not help a legitimate user, only a prober. */
  static ServiceException throttled(int secondsLeft) {
    return new ServiceException(ErrorCode.TOO_MANY_REQUESTS,
        "too many failed sign-in attempts; try again in " + secondsLeft + " s");
  }

  static ServiceException registrationThrottled(int secondsLeft) {
    return new ServiceException(ErrorCode.TOO_MANY_REQUESTS,
        "too many sign-ups from this address; try again in " + secondsLeft + " s");
  }

  /** The stored subject of an account and an address: a digest, so that neither is kept in clear. */
  static String pairSubject(String email, String clientAddress) {
    // A newline cannot occur in either, so the pair is unambiguous.
    return digest(email.toLowerCase(Locale.ROOT) + "\n" + clientAddress.toLowerCase(Locale.ROOT));
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

  private static double seconds(java.time.Duration duration) {
    return duration.toMillis() / 1000.0;
  }
}
