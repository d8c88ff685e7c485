package dev.vertxshop.users;

import dev.vertxshop.contracts.users.UsersContract;
import dev.vertxshop.platform.boot.ServiceContext;
import dev.vertxshop.platform.boot.ShopService;
import dev.vertxshop.platform.kafka.OutboxRelayVerticle;
import dev.vertxshop.platform.kafka.Topics;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The users service: accounts, Argon2id password hashes, throttled sign-in and RS256 tokens behind {@code users.*}. */
public final class UsersService implements ShopService {

  /** Service name, schema name and the outbox relay's key. */
  public static final String NAME = "users";

  private static final Logger LOG = LoggerFactory.getLogger(UsersService.class);

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean usesDatabase() {
    return true;
  }

  @Override
  public boolean usesKafka() {
    return true;
  }

  @Override
  public int startOrder() {
    // Before the gateway, which fetches the JWKS to verify tokens.
    return 20;
  }

  @Override
  public Future<Void> start(ServiceContext context) {
    UsersConfig config;
    try {
      config = UsersConfig.from(context.env());
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    warnIfHashingMayExhaustHeap(config);
    Pool pool = context.pool();
    LoginThrottle throttle = new LoginThrottle(pool, config.pairThrottle(), config.addressThrottle(), config.registerThrottle());
    if (!config.extraPublicKeys().isEmpty()) {
      LOG.info("publishing {} more public key(s) that do not sign (SHOP_JWT_EXTRA_PUBLIC_KEYS), kids {}",
          config.extraPublicKeys().size(), config.extraPublicKeys().stream().map(SigningKey::thumbprint).toList());
    }
    return signingKey(context, config)
        .compose(key -> Topics.ensure(context.vertx(), context.kafka(),
                List.of(Topics.events(UsersContract.EVENTS_TOPIC, context.kafka())))
            .compose(v -> context.deploy(() -> new UsersApiVerticle(pool, config, key), config.instances())))
        .compose(id -> context.deploy(() -> new ThrottlePruneVerticle(throttle, config.throttlePruneInterval()), 1))
        .compose(id -> context.deploy(() -> new OutboxRelayVerticle(NAME, pool, context.kafka(),
            config.outbox()), 1))
        .mapEmpty();
  }

  private static Future<SigningKey> signingKey(ServiceContext context, UsersConfig config) {
    if (config.signingKey() != null) {
      LOG.info("signing tokens with the configured RSA key, kid {}", config.signingKey().kid());
      return Future.succeededFuture(config.signingKey());
    }
    // Key generation takes up to a second of CPU: not on the event loop.
    return context.vertx().executeBlocking(SigningKey::generate, false).onSuccess(key -> LOG.warn(
        "SHOP_JWT_PRIVATE_KEY is not set: signing tokens with a key generated at start (kid {}). Tokens will not "
            + "survive a restart and other replicas cannot share the key: for development only", key.kid()));
  }

  private static void warnIfHashingMayExhaustHeap(UsersConfig config) {
    long worstCase = (long) (config.hashThreads() + config.registerHashThreads()) * config.argon2().memoryKib() * 1024L;
    long heap = Runtime.getRuntime().maxMemory();
    if (worstCase > heap / 2) {
      LOG.warn("{} hashing threads x {} KiB of Argon2 memory can take {} MiB, over half the heap ({} MiB): "
              + "lower SHOP_USERS_HASH_THREADS and SHOP_USERS_REGISTER_HASH_THREADS or raise -Xmx",
          config.hashThreads() + config.registerHashThreads(), config.argon2().memoryKib(),
          worstCase / (1024 * 1024), heap / (1024 * 1024));
    }
  }
}
