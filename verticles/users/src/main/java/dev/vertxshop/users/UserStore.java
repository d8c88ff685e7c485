package dev.vertxshop.users;

import dev.vertxshop.contracts.users.UsersContract;
import dev.vertxshop.platform.errors.ServiceException;
import dev.vertxshop.platform.kafka.Outbox;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accounts in PostgreSQL. A registration writes its {@code UserRegistered} outbox row in the same
 * transaction, carrying the user exactly as {@link #get} returns it. Password hashes come in already
 * computed and never leave except towards a sign-in check.
 */
final class UserStore {

  private static final Logger LOG = LoggerFactory.getLogger(UserStore.class);

  private static final String UNIQUE_VIOLATION = "23505";
  private static final String EMAIL_UNIQUE = "users_email_lower_unique";

  private final Pool pool;
  private final Runnable afterCommit;

  /** {@code afterCommit} runs after every committed registration (it kicks the outbox relay). */
  UserStore(Pool pool, Runnable afterCommit) {
    this.pool = pool;
    this.afterCommit = afterCommit;
  }

  /** A user with its password hash, for the sign-in check only. */
  record Account(JsonObject user, String passwordHash) {

    String id() {
      return user.getString("id");
    }

    @Override
    public String toString() {
      return "Account[" + id() + "]";
    }
  }

  Future<JsonObject> register(String email, String name, String passwordHash) {
    UUID id = UUID.randomUUID();
    return pool.withTransaction(tx -> tx.preparedQuery(UsersQueries.INSERT_USER)
            .execute(Tuple.of(id, email, name, passwordHash))
            .compose(rows -> {
              JsonObject user = toJson(rows.iterator().next());
              return Outbox.append(tx, UsersContract.EVENTS_TOPIC, user.getString("id"), UsersContract.USER_REGISTERED, user)
                  .map(user);
            }))
        .recover(failure -> Future.failedFuture(translate(failure)))
        .onSuccess(user -> {
          LOG.info("user {} registered", id);
          afterCommit.run();
        });
  }

  Future<JsonObject> get(UUID id) {
    return pool.preparedQuery(UsersQueries.GET_USER).execute(Tuple.of(id)).compose(rows -> rows.size() == 0
        ? Future.failedFuture(ServiceException.notFound("user " + id + " not found"))
        : Future.succeededFuture(toJson(rows.iterator().next())));
  }

  /** The account registered under {@code email} (compared case-insensitively), or null. */
  Future<Account> findForLogin(String email) {
    return pool.preparedQuery(UsersQueries.FIND_FOR_LOGIN).execute(Tuple.of(email)).map(rows -> {
      if (rows.size() == 0) {
        return null;
      }
      Row row = rows.iterator().next();
      return new Account(toJson(row), row.getString("password_hash"));
    });
  }

  /** Replaces {@code oldHash} by {@code newHash}; completes with whether the row still had the old one. */
  Future<Boolean> replaceHash(String id, String oldHash, String newHash) {
    return pool.preparedQuery(UsersQueries.UPDATE_HASH)
        .execute(Tuple.of(UUID.fromString(id), oldHash, newHash))
        .map(rows -> rows.rowCount() == 1);
  }

  /** The contract's public user for a row of {@link UsersQueries#USER_COLUMNS}: never the hash. */
  static JsonObject toJson(Row row) {
    return new JsonObject()
        .put("id", row.getUUID("id").toString())
        .put("email", row.getString("email"))
        .put("name", row.getString("name"))
        .put("createdAt", row.getOffsetDateTime("created_at").toInstant().toString());
  }

  // The unique index is the only exact "taken" check under concurrent registrations.
  private static Throwable translate(Throwable failure) {
    if (failure instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState())
        && EMAIL_UNIQUE.equals(pg.getConstraint())) {
      return ServiceException.conflict("an account with this e-mail address already exists");
    }
    return failure;
  }
}
