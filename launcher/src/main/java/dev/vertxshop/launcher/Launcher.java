package dev.vertxshop.launcher;

import dev.vertxshop.embedded.LocalKafka;
import dev.vertxshop.embedded.LocalPostgres;
import dev.vertxshop.platform.boot.ShopMain;
import dev.vertxshop.platform.boot.ShopNode;
import dev.vertxshop.platform.config.ConfigException;
import dev.vertxshop.platform.config.Env;
import java.io.Console;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shop's single entry point.
 *
 * <ul>
 *   <li>No arguments: every service in this JVM, on an embedded PostgreSQL and an in-process Kafka
 *       broker, with a demo catalog. What a newcomer runs.</li>
 *   <li>Service names ({@code catalog gateway ...}): those services, clustered over Hazelcast, against
 *       the PostgreSQL and Kafka that {@code SHOP_*} variables name. What containers run.</li>
 * </ul>
 */
public final class Launcher {

  private Launcher() {
  }

  public static void main(String[] args) {
    if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
      System.out.println("usage: java -jar shop.jar                  the whole shop, one JVM, embedded PostgreSQL + Kafka");
      System.out.println("       java -jar shop.jar SERVICE...       those services, clustered, external PostgreSQL + Kafka");
      System.out.println("services: " + ShopMain.available().keySet());
      return;
    }
    // Before the first logger exists: a terminal gets text, unless told otherwise.
    if (System.getProperty("shop.log.format") == null && System.getenv("SHOP_LOG_FORMAT") == null) {
      System.setProperty("shop.log.format", args.length == 0 ? "text" : "json");
    }
    Env env = Env.system();
    if (args.length > 0) {
      ShopMain.runOrExit(env, List.of(args), env.bool("CLUSTERED", true));
    } else {
      allInOne(env);
    }
  }

  private static void allInOne(Env system) {
    Logger log = LoggerFactory.getLogger(Launcher.class);
    long start = System.nanoTime();
    LocalPostgres postgres = null;
    LocalKafka kafka = null;
    try {
      Path dataDir = system.isSet("DATA_DIR") ? Path.of(system.string("DATA_DIR", null)) : null;
      // PostgreSQL and Kafka start side by side: each takes seconds, mostly waiting on I/O.
      CompletableFuture<LocalKafka> kafkaStart = CompletableFuture.supplyAsync(
          () -> LocalKafka.start(dataDir == null ? null : dataDir.resolve("kafka"), system.port("EMBEDDED_KAFKA_PORT", 0)));
      postgres = LocalPostgres.start(dataDir == null ? null : dataDir.resolve("postgres"), system.port("EMBEDDED_DB_PORT", 0));
      kafka = kafkaStart.get(2, TimeUnit.MINUTES);
      log.info("embedded PostgreSQL on {}:{} and Kafka on {} up in {} ms", postgres.host(), postgres.port(),
          kafka.bootstrapServers(), (System.nanoTime() - start) / 1_000_000);

      String adminToken = system.isSet("ADMIN_TOKEN") ? null : randomToken();
      Env env = embeddedEnv(system, postgres, kafka, adminToken);
      ShopNode node = ShopNode.start(env, ShopMain.select(List.of()), false)
          .toCompletionStage().toCompletableFuture().get(5, TimeUnit.MINUTES);
      LocalPostgres pg = postgres;
      LocalKafka broker = kafka;
      // Services stop first, then the infrastructure under them: one hook, in that order.
      ShopMain.stopOnShutdown(node, () -> {
        broker.close();
        pg.close();
      });
      broker.withdrawShutdownHook();
      pg.withdrawShutdownHook();
      int port = env.port("GATEWAY_PORT", 8080);
      log.info("Vert.x Shop ready in {} ms: gateway http://127.0.0.1:{}/api/products (API document /api/openapi.yaml), "
          + "ops http://127.0.0.1:{}/health/ready", (System.nanoTime() - start) / 1_000_000, port, node.opsPort());
      if (adminToken != null) {
        announce(log, adminToken, dataDir);
      }
    } catch (Exception e) {
      Throwable cause = ShopMain.configCause(e);
      if (cause instanceof ConfigException) {
        log.error("invalid configuration: {}", cause.getMessage());
      } else {
        log.error("start failed: {}", cause.getMessage(), cause);
      }
      if (kafka != null) {
        kafka.close();
      }
      if (postgres != null) {
        postgres.close();
      }
      System.exit(1);
    }
  }

  /** The process environment, with the embedded infrastructure filled in where nothing else was chosen. */
  static Env embeddedEnv(Env system, LocalPostgres postgres, LocalKafka kafka, String adminToken) {
    Env env = system.with(Map.of(
        "SHOP_DB_HOST", postgres.host(),
        "SHOP_DB_PORT", String.valueOf(postgres.port()),
        "SHOP_DB_NAME", postgres.database(),
        "SHOP_DB_USER", postgres.user(),
        "SHOP_DB_PASSWORD", postgres.password(),
        "SHOP_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers()));
    // A newcomer's shop listens on loopback only; the provider stand-in stays on its fixed ports,
    // which payments' default URL names.
    Map<String, String> defaults = new java.util.HashMap<>(Map.of(
        "SHOP_CATALOG_SEED_DEMO", "true",
        "SHOP_OPS_HOST", "127.0.0.1",
        "SHOP_GATEWAY_HOST", "127.0.0.1",
        "SHOP_PROVIDER_HOST", "127.0.0.1"));
    if (adminToken != null) {
      defaults.put("SHOP_ADMIN_TOKEN", adminToken);
    }
    return env.withDefaults(defaults);
  }

  /**
   * Hands the generated admin token to the person who started the shop, never to the log (logs are
   * collected, shipped and kept): on the terminal when there is one, else in an owner-only file whose
   * path is logged, deleted when the JVM exits.
   */
  static void announce(Logger log, String adminToken, Path dataDir) throws IOException {
    Console console = System.console();
    if (console != null) {
      console.printf("admin token for this run (set SHOP_ADMIN_TOKEN to choose one): %s%n", adminToken);
      console.flush();
      log.info("admin token for this run printed to the terminal (not logged)");
      return;
    }
    Path dir = dataDir != null ? dataDir : Path.of(System.getProperty("java.io.tmpdir"));
    Files.createDirectories(dir);
    Path file = Files.createTempFile(dir, "shop-admin-token-", "",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(file, adminToken + "\n");
    file.toFile().deleteOnExit();
    log.info("admin token for this run written to {} (readable by this user only; set SHOP_ADMIN_TOKEN to choose one)", file);
  }

  private static String randomToken() {
    byte[] bytes = new byte[18];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }
}
