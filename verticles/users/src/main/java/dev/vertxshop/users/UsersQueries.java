package dev.vertxshop.users;

/** Every SQL statement of the users service, all with bound parameters ($n). */
final class UsersQueries {

  private UsersQueries() {
  }

  /** The columns of a public user; the hash is selected only where a sign-in needs it. */
  static final String USER_COLUMNS = "id, email, name, created_at";

  static final String INSERT_USER =
      "INSERT INTO users (id, email, name, password_hash) VALUES ($1, $2, $3, $4) RETURNING " + USER_COLUMNS;

  static final String GET_USER = "SELECT " + USER_COLUMNS + " FROM users WHERE id = $1";

  /** Served by the unique index on lower(email). */
  static final String FIND_FOR_LOGIN =
      "SELECT " + USER_COLUMNS + ", password_hash FROM users WHERE lower(email) = lower($1)";

  /** Replaces a hash made with older parameters, unless the password changed meanwhile. */
  static final String UPDATE_HASH = "UPDATE users SET password_hash = $3 WHERE id = $1 AND password_hash = $2";

  // Throttling. Scope 'address' (failed sign-ins) and 'register' (sign-ups): one fixed window per subject,
  // started by the first attempt. Scope 'pair' (account + address): consecutive failures and a delay.

  /**
   * Counts one attempt ($1 scope, $2 subject, $3 window in seconds, $4 limit): starts a new window
   * when the current one has passed, and otherwise counts only while under the limit. A row comes
   * back when the attempt was counted and none when the subject is at its limit. The conflicting
   * row stays locked until the transaction ends, which serializes concurrent attempts on a subject.
   */
  static final String COUNT_ATTEMPT =
      "INSERT INTO login_attempts AS a (scope, subject, window_start, attempts) VALUES ($1, $2, now(), 1) "
          + "ON CONFLICT (scope, subject) DO UPDATE SET "
          + "window_start = CASE WHEN a.window_start <= now() - make_interval(secs => $3) THEN now() ELSE a.window_start END, "
          + "attempts = CASE WHEN a.window_start <= now() - make_interval(secs => $3) THEN 1 ELSE a.attempts + 1 END "
          + "WHERE a.window_start <= now() - make_interval(secs => $3) OR a.attempts < $4 "
          + "RETURNING attempts";

  /** Whole seconds until the window of a throttled subject passes ($1 scope, $2 subject, $3 window in seconds). */
  static final String SECONDS_LEFT =
      "SELECT GREATEST(1, ceil(extract(epoch FROM a.window_start + make_interval(secs => $3) - now())))::int "
          + "FROM login_attempts a WHERE a.scope = $1 AND a.subject = $2";

  /** A pair's failures counting this attempt: 1 again once the last attempt is older than the memory ($5). */
  private static final String PAIR_COUNT =
      "(CASE WHEN a.window_start <= now() - make_interval(secs => $5::float8) THEN 1 ELSE a.attempts + 1 END)";

  /**
   * Counts one attempt of a pair ($1 subject, $2 free attempts, $3 first delay, $4 longest delay, $5 memory, in
   * seconds) as if it failed, unless the pair is waiting out a delay: a row comes back when counted, none when
   * refused. The n-th failure beyond the free ones makes the pair wait $3 x 2^(n-1), at most $4; window_start is
   * the last attempt, and failures older than $5 are forgotten. The row stays locked until the transaction ends.
   */
  static final String COUNT_PAIR_ATTEMPT =
      "INSERT INTO login_attempts AS a (scope, subject, window_start, attempts, blocked_until) "
          + "VALUES ('pair', $1, now(), 1, CASE WHEN 1 > $2::int THEN now() + make_interval(secs => $3::float8) END) "
          + "ON CONFLICT (scope, subject) DO UPDATE SET "
          + "attempts = " + PAIR_COUNT + ", "
          + "blocked_until = CASE WHEN " + PAIR_COUNT + " > $2::int THEN now() + make_interval(secs => "
          + "LEAST($4::float8, $3::float8 * power(2::float8, LEAST(" + PAIR_COUNT + " - $2::int - 1, 40)))) END, "
          + "window_start = now() "
          + "WHERE a.blocked_until IS NULL OR a.blocked_until <= now() "
          + "RETURNING attempts";

  /** Whole seconds until a delayed pair may try again ($1 subject). */
  static final String PAIR_SECONDS_LEFT =
      "SELECT GREATEST(1, ceil(extract(epoch FROM a.blocked_until - now())))::int "
          + "FROM login_attempts a WHERE a.scope = 'pair' AND a.subject = $1";

  /** An undecided attempt of a pair is given back, with the delay it charged if it was beyond the free ones ($2). */
  static final String GIVE_BACK_PAIR_ATTEMPT =
      "UPDATE login_attempts SET attempts = attempts - 1, "
          + "blocked_until = CASE WHEN attempts - 1 > $2 THEN blocked_until END "
          + "WHERE scope = 'pair' AND subject = $1 AND attempts > 0";

  /** A successful sign-in resets its pair. */
  static final String RESET_ATTEMPTS = "DELETE FROM login_attempts WHERE scope = $1 AND subject = $2";

  /** A successful sign-in gives back the attempt it took from its address; an undecided one or sign-up too. */
  static final String GIVE_BACK_ATTEMPT =
      "UPDATE login_attempts SET attempts = attempts - 1 WHERE scope = $1 AND subject = $2 AND attempts > 0";

  /** Drops rows that throttle nothing any more ($1 pair memory, $2 address window, $3 sign-up window, in seconds). */
  static final String PRUNE_ATTEMPTS =
      "DELETE FROM login_attempts WHERE (scope = 'pair' AND window_start <= now() - make_interval(secs => $1) "
          + "AND (blocked_until IS NULL OR blocked_until <= now())) "
          + "OR (scope = 'address' AND window_start <= now() - make_interval(secs => $2)) "
          + "OR (scope = 'register' AND window_start <= now() - make_interval(secs => $3))";
}
