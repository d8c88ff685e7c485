import dev.vertxshop.embedded.LocalKafka;
import dev.vertxshop.embedded.LocalPostgres;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The shared infrastructure of the "processes" target: one real PostgreSQL and one Kafka broker on fixed
 * loopback ports, the very ones the all-in-one shop embeds, with nothing else (an all-in-one shop would
 * also run services, whose Kafka consumer groups would steal the events of the measured ones).
 *
 * <p>A single-file program run on the launcher's class path, so that this module depends on no shop code:
 *
 * <pre>java -cp launcher/target/shop.jar loadtest/src/infra/ShopInfra.java PG_PORT KAFKA_PORT DATA_DIR</pre>
 *
 * Prints {@code infra ready} once both answer; stops both (data kept in DATA_DIR) on SIGTERM or when its
 * standard input closes, so that it never outlives the harness that started it.
 */
public final class ShopInfra {

  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      System.err.println("usage: ShopInfra PG_PORT KAFKA_PORT DATA_DIR");
      System.exit(2);
    }
    int pgPort = Integer.parseInt(args[0]);
    int kafkaPort = Integer.parseInt(args[1]);
    Path data = Path.of(args[2]).toAbsolutePath();
    long start = System.nanoTime();
    CompletableFuture<LocalKafka> kafkaStart = CompletableFuture.supplyAsync(() -> LocalKafka.start(data.resolve("kafka"), kafkaPort));
    LocalPostgres postgres = LocalPostgres.start(data.resolve("postgres"), pgPort);
    LocalKafka kafka = kafkaStart.get(3, TimeUnit.MINUTES);
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      kafka.close();
      postgres.close();
      stop.countDown();
    }, "infra-stop"));
    System.out.printf("infra ready in %d ms: postgres 127.0.0.1:%d (user %s, database %s), kafka %s%n",
        (System.nanoTime() - start) / 1_000_000, postgres.port(), postgres.user(), postgres.database(), kafka.bootstrapServers());
    System.out.flush();
    Thread stdin = new Thread(() -> {
      try {
        while (System.in.read() >= 0) {
          // the harness keeps the pipe open; end of input means it is gone
        }
      } catch (java.io.IOException ignored) {
        // same: nobody left to serve
      }
      System.exit(0);
    }, "infra-stdin");
    stdin.setDaemon(true);
    stdin.start();
    stop.await();
  }
}
