package dev.vertxshop.users;

import static dev.vertxshop.users.UsersFixtures.failure;
import static dev.vertxshop.users.UsersFixtures.uniqueAddress;
import static dev.vertxshop.users.UsersFixtures.uniqueEmail;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import dev.vertxshop.contracts.users.UsersClient;
import dev.vertxshop.platform.boot.ShopNode;
import dev.vertxshop.platform.config.Env;
import dev.vertxshop.platform.errors.ErrorCode;
import dev.vertxshop.platform.testing.ShopTestEnv;
import io.vertx.core.Future;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

@DisplayName("passwords and tokens never reach the logs; a missing signing key is warned about")
@ExtendWith(VertxExtension.class)
class NoSecretsInLogsTest {

  /** Loggers turned up to DEBUG for the class, so that no level hides a leak. */
  private static final List<String> VERBOSE = List.of("dev.vertxshop", "io.vertx");

  private static final ListAppender<ILoggingEvent> appender = new ListAppender<>();
  private static final List<Level> savedLevels = new ArrayList<>();
  private static ShopNode node;
  private static UsersClient client;

  @BeforeAll
  @Timeout(value = 3, timeUnit = TimeUnit.MINUTES)
  static void startNode(VertxTestContext ctx) {
    LoggerContext logging = (LoggerContext) LoggerFactory.getILoggerFactory();
    appender.setContext(logging);
    appender.start();
    logging.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(appender);
    for (String name : VERBOSE) {
      Logger logger = logging.getLogger(name);
      savedLevels.add(logger.getLevel());
      logger.setLevel(Level.DEBUG);
    }
    // No SHOP_JWT_PRIVATE_KEY: the service generates one and must say so.
    Env env = ShopTestEnv.shared(Map.of(
        "SHOP_USERS_ARGON2_MEMORY_KIB", UsersFixtures.TEST_MEMORY_KIB,
        "SHOP_USERS_ARGON2_ITERATIONS", UsersFixtures.TEST_ITERATIONS,
        "SHOP_USERS_THROTTLE_FREE_ATTEMPTS", "1"));
    ShopNode.start(env, List.of(new UsersService()), false).onComplete(ctx.succeeding(started -> {
      node = started;
      client = new UsersClient(node.vertx(), Duration.ofSeconds(10));
      ctx.completeNow();
    }));
  }

  @AfterAll
  static void stopNode(VertxTestContext ctx) {
    LoggerContext logging = (LoggerContext) LoggerFactory.getILoggerFactory();
    logging.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(appender);
    appender.stop();
    for (int i = 0; i < VERBOSE.size(); i++) {
      logging.getLogger(VERBOSE.get(i)).setLevel(savedLevels.get(i));
    }
    UsersFixtures.stop(null, node, ctx);
  }

  @Test
  @DisplayName("register, duplicate, invalid, login (good, wrong, unknown, throttled): no password or token in any log event")
  void noSecretsInLogs(VertxTestContext ctx) {
    String unique = UUID.randomUUID().toString().substring(0, 8);
    String password = "Sesame-" + unique + "-open";
    String wrongPassword = "Guess-" + unique + "-wrong";
    String shortPassword = "Tiny" + unique.substring(0, 3);
    String email = uniqueEmail("secret");
    String address = uniqueAddress();
    client.register(email, password, "Secret Keeper", uniqueAddress())
        .compose(user -> failure(client.register(email, password, "Again", uniqueAddress())))
        .compose(conflict -> failure(client.register(uniqueEmail("short"), shortPassword, "Short", uniqueAddress())))
        .compose(invalid -> client.login(email, password, address))
        .compose(reply -> failure(client.login(email, wrongPassword, address))
            .compose(wrong -> failure(client.login(uniqueEmail("nobody"), password, address)))
            .compose(unknown -> failure(client.login(email, wrongPassword, address)))
            .compose(second -> failure(client.login(email, password, address)))
            .map(throttled -> Map.entry(reply, throttled)))
        .onComplete(ctx.succeeding(result -> ctx.verify(() -> {
          assertThat(result.getValue().code()).as("the last attempt was throttled").isEqualTo(ErrorCode.TOO_MANY_REQUESTS);
          String token = result.getKey().getString("token");
          List<String> lines = captured();
          assertThat(lines).as("the service's own logs were captured")
              .anyMatch(line -> line.contains("registered"))
              .anyMatch(line -> line.contains("signed in"));
          for (String secret : List.of(password, wrongPassword, shortPassword, token, token.split("\\.")[2])) {
            assertThat(lines).noneMatch(line -> line.contains(secret));
          }
          ctx.completeNow();
        })));
  }

  @Test
  @DisplayName("starting without SHOP_JWT_PRIVATE_KEY logs a WARN: generated key, lost on restart, not shared by replicas")
  void generatedKeyWarning(VertxTestContext ctx) {
    Future.succeededFuture(captured(Level.WARN)).onComplete(ctx.succeeding(warnings -> ctx.verify(() -> {
      assertThat(warnings).anyMatch(line -> line.contains("SHOP_JWT_PRIVATE_KEY is not set")
          && line.contains("will not survive a restart") && line.contains("other replicas cannot share"));
      ctx.completeNow();
    })));
  }

  /** Every captured event as text: message, arguments, MDC and stack trace. */
  private static List<String> captured() {
    return captured(Level.ALL);
  }

  private static List<String> captured(Level atLeast) {
    List<ILoggingEvent> events;
    synchronized (appender) {
      events = new ArrayList<>(appender.list);
    }
    return events.stream()
        .filter(event -> event.getLevel().isGreaterOrEqual(atLeast))
        .map(event -> event.getFormattedMessage()
            + " " + (event.getArgumentArray() == null ? "" : Arrays.stream(event.getArgumentArray()).map(String::valueOf).collect(Collectors.joining(" ")))
            + " " + event.getMDCPropertyMap()
            + " " + (event.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(event.getThrowableProxy())))
        .toList();
  }
}
