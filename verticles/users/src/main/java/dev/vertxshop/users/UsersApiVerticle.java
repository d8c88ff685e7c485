package dev.vertxshop.users;

import dev.vertxshop.contracts.users.GetKeys;
import dev.vertxshop.contracts.users.GetUser;
import dev.vertxshop.contracts.users.Register;
import dev.vertxshop.contracts.users.UsersContract;
import dev.vertxshop.platform.bus.Bus;
import dev.vertxshop.platform.errors.ErrorCode;
import dev.vertxshop.platform.errors.ServiceException;
import dev.vertxshop.platform.kafka.OutboxRelayVerticle;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.List;

/**
 * The users service's event-bus API ({@code users.*}). Stateless over the shared pool apart from its
 * own hashing counter, so any number of instances may run; each reports started only once its
 * dummy hash is ready and all its consumers are registered.
 */
public final class UsersApiVerticle extends VerticleBase {

  /** Name of the worker pool every instance of this JVM checks passwords on (shared, so the size is a JVM-wide bound). */
  static final String HASHING_POOL = "users-password-hashing";
  /** The pool sign-ups hash on: apart, so that a flood of sign-ups cannot take the sign-in threads. */
  static final String REGISTER_HASHING_POOL = "users-password-hashing-register";

  private final Pool pool;
  private final UsersConfig config;
  private final SigningKey key;
  private WorkerExecutor executor;
  private WorkerExecutor registerExecutor;
  private List<MessageConsumer<?>> consumers = List.of();

  public UsersApiVerticle(Pool pool, UsersConfig config, SigningKey key) {
    this.pool = pool;
    this.config = config;
    this.key = key;
  }

  @Override
  public Future<?> start() {
    executor = vertx.createSharedWorkerExecutor(HASHING_POOL, config.hashThreads());
    registerExecutor = vertx.createSharedWorkerExecutor(REGISTER_HASHING_POOL, config.registerHashThreads());
    Hashing hashing = new Hashing(executor, config.hashQueue());
    // Busy sign-ups are 429, like a throttled one: the service is answering, and an UNAVAILABLE would count
    // towards opening the gateway's users breaker, which would then refuse the sign-ins too.
    Hashing registerHashing = new Hashing(registerExecutor, config.registerHashQueue(), () -> new ServiceException(
        ErrorCode.TOO_MANY_REQUESTS, "too many sign-ups in progress; try again in 1 s"));
    PasswordHasher hasher = new PasswordHasher(config.argon2());
    UserStore users = new UserStore(pool, this::kickRelay);
    LoginThrottle throttle = new LoginThrottle(pool, config.pairThrottle(), config.addressThrottle(),
        config.registerThrottle());
    TokenIssuer tokens = new TokenIssuer(vertx, key, config.tokenTtl(), Clock.systemUTC());
    JsonObject jwks = PublishedKeys.jwks(key, config.extraPublicKeys(), config.tokenTtl());
    return executor.executeBlocking(() -> hasher.hash(randomSecret()), false).compose(dummyHash -> {
      SignIn signIn = new SignIn(users, throttle, hashing, hasher, tokens, dummyHash);
      consumers = List.of(
          Bus.serve(vertx, UsersContract.REGISTER, (Register registration) -> {
            // A permit first: a flood beyond the sign-up share is refused before it costs a database round trip.
            return registerHashing.admit(() -> throttle.reserveRegistration(registration.clientAddress())
                .compose(reserved -> registerHashing.run(() -> hasher.hash(registration.password()))
                    .compose(hash -> users.register(registration.email(), registration.name(), hash))
                    .recover(failure -> undecided(failure)
                        ? throttle.giveBackRegistration(registration.clientAddress()).transform(v -> Future.failedFuture(failure))
                        : Future.failedFuture(failure))));
          }),
          Bus.serve(vertx, UsersContract.LOGIN, signIn::login),
          Bus.serve(vertx, UsersContract.GET, (GetUser request) -> users.get(request.id())),
          Bus.serve(vertx, UsersContract.JWKS, (GetKeys request) -> Future.succeededFuture(jwks.copy())));
      return Future.join(consumers.stream().map(MessageConsumer::completion).toList());
    }).onSuccess(v -> {
      // This instance answers users.jwks with its key set from now on: verifiers learn it at once instead of at
      // their next scheduled fetch (a rotation step is a restart with other keys). Every instance announces, the
      // gateway merges the same set again at no cost.
      vertx.eventBus().publish(UsersContract.JWKS_CHANGED, jwks.copy());
    });
  }

  @Override
  public Future<?> stop() {
    // First no new requests (they go to the other instances and replicas at once: a request handed to a consumer
    // as it is unregistered at the end of the undeploy would be dropped unanswered), then the hashing pools.
    return Future.join(consumers.stream().map(MessageConsumer::unregister).toList())
        .eventually(() -> Future.join(executor.close(), registerExecutor.close()));
  }

  /** A sign-up that failed for the service's reasons, not the caller's (a taken e-mail is a real attempt). */
  private static boolean undecided(Throwable failure) {
    return ServiceException.from(failure).code() != ErrorCode.CONFLICT;
  }

  private void kickRelay() {
    OutboxRelayVerticle.kick(vertx, UsersService.NAME);
  }

  private static String randomSecret() {
    byte[] bytes = new byte[24];
    new SecureRandom().nextBytes(bytes);
    return Base64.getEncoder().encodeToString(bytes);
  }
}
