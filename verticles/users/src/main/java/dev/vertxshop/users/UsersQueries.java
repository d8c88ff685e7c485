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

  // Sign-in throttling: one fixed window per (scope, subject), started by the first attempt.

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

  /** A successful sign-in resets its account. */
  static final String RESET_ATTEMPTS = "DELETE FROM login_attempts WHERE scope = $1 AND subject = $2";

  /** A successful sign-in gives back the attempt it took from its address (an undecided one, from both). */
  static final String GIVE_BACK_ATTEMPT =
      "UPDATE login_attempts SET attempts = attempts - 1 WHERE scope = $1 AND subject = $2 AND attempts > 0";

  /** Drops rows whose window has passed ($1 account window, $2 address window, in seconds). */
  static final String PRUNE_ATTEMPTS =
      "DELETE FROM login_attempts WHERE (scope = 'account' AND window_start <= now() - make_interval(secs => $1)) "
          + "OR (scope = 'address' AND window_start <= now() - make_interval(secs => $2))";
}
