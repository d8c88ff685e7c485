package dev.vertxshop.embedded;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Features;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A single-node Kafka KRaft broker and controller running inside this JVM on the loopback interface. */
public final class LocalKafka implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LocalKafka.class);

  private static final int NODE_ID = 1;
  private static final String CONTROLLER_LISTENER = "CONTROLLER";
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration PORT_RELEASE_TIMEOUT = Duration.ofSeconds(10);

  private final Path logDir;
  private final boolean temporary;
  private final int port;
  private final int controllerPort;
  private KafkaRaftServer server;
  private Thread shutdownHook;
  private boolean closed;

  private LocalKafka(Path logDir, boolean temporary, int port, int controllerPort) {
    this.logDir = logDir;
    this.temporary = temporary;
    this.port = port;
    this.controllerPort = controllerPort;
  }

  /**
   * Starts the broker and waits until it answers client requests.
   *
   * @param logDir the log directory, kept and reused across runs; {@code null} for a fresh
   *     temporary one that {@link #close()} deletes
   * @param port the client (PLAINTEXT) port; {@code 0} picks a free one
   */
  public static LocalKafka start(Path logDir, int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("Invalid port " + port);
    }
    boolean temporary = logDir == null;
    Path dir = temporary ? TempDirs.create("shop-kafka-") : logDir.toAbsolutePath();
    int clientPort = port == 0 ? Ports.freePort() : port;
    int controllerPort = Ports.freePort();
    while (controllerPort == clientPort) {
      controllerPort = Ports.freePort();
    }
    LocalKafka kafka = new LocalKafka(dir, temporary, clientPort, controllerPort);
    try {
      kafka.launch();
    } catch (RuntimeException e) {
      if (temporary) {
        TempDirs.deleteQuietly(dir);
      }
      throw e;
    }
    // Lets the broker flush and release its log directory even when the owner forgot close().
    kafka.shutdownHook = ShutdownHooks.register("local-kafka-" + kafka.port, kafka::close);
    return kafka;
  }

  /** The {@code bootstrap.servers} value for clients. */
  public String bootstrapServers() {
    return Ports.LOOPBACK + ":" + port;
  }

  public int port() {
    return port;
  }

  public Path logDirectory() {
    return logDir;
  }

  public synchronized boolean isRunning() {
    return server != null;
  }

  /** Shuts the broker down but keeps its log directory and ports, to simulate a Kafka outage. */
  public synchronized void stop() {
    ensureOpen();
    if (server != null) {
      shutDownServer();
    }
  }

  /** Starts the broker again on the same ports and logs; stops it first if it is running. */
  public synchronized void restart() {
    ensureOpen();
    if (server != null) {
      shutDownServer();
    }
    launch();
  }

  /** Shuts the broker down and deletes a temporary log directory; safe to call more than once. */
  /**
   * Withdraws this server's own JVM shutdown hook, for an owner that closes it from its hook once
   * what depends on it has stopped: the JVM runs hooks concurrently, so ours would otherwise pull the
   * broker from under a graceful stop.
   */
  public synchronized void withdrawShutdownHook() {
    if (shutdownHook != null) {
      ShutdownHooks.remove(shutdownHook);
    }
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (server != null) {
      shutDownServer();
    }
    if (shutdownHook != null) {
      ShutdownHooks.remove(shutdownHook);
    }
    if (temporary) {
      TempDirs.deleteQuietly(logDir);
    }
  }

  @Override
  public String toString() {
    return "LocalKafka[" + bootstrapServers() + ", " + logDir + "]";
  }

  private void launch() {
    long started = System.nanoTime();
    // Sockets of a broker that has just stopped may linger for a moment.
    Ports.awaitFree(port, PORT_RELEASE_TIMEOUT);
    Ports.awaitFree(controllerPort, PORT_RELEASE_TIMEOUT);
    formatIfNeeded();
    KafkaRaftServer candidate = new KafkaRaftServer(new KafkaConfig(brokerConfig(), false), Time.SYSTEM);
    try {
      candidate.startup();
      awaitReady();
    } catch (RuntimeException e) {
      // Release ports, threads and the directory lock so that a later attempt can succeed.
      shutDown(candidate);
      throw e;
    }
    server = candidate;
    LOG.info("Kafka started on {} in {} ms, logs in {}", bootstrapServers(), elapsedMillis(started), logDir);
  }

  private Map<String, Object> brokerConfig() {
    String host = Ports.LOOPBACK;
    Map<String, Object> config = new HashMap<>();
    config.put("process.roles", "broker,controller");
    config.put("node.id", String.valueOf(NODE_ID));
    config.put("controller.quorum.voters", NODE_ID + "@" + host + ":" + controllerPort);
    config.put("controller.listener.names", CONTROLLER_LISTENER);
    config.put("listeners", "PLAINTEXT://" + host + ":" + port + "," + CONTROLLER_LISTENER + "://" + host + ":" + controllerPort);
    config.put("advertised.listeners", "PLAINTEXT://" + host + ":" + port);
    config.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
    config.put("inter.broker.listener.name", "PLAINTEXT");
    config.put("log.dirs", logDir.toString());
    config.put("num.partitions", "3");
    config.put("auto.create.topics.enable", "true");
    // A single node cannot satisfy the production replication defaults of the internal topics.
    config.put("offsets.topic.replication.factor", "1");
    config.put("transaction.state.log.replication.factor", "1");
    config.put("transaction.state.log.min.isr", "1");
    // Tests start many short-lived consumer groups; waiting for more members only slows them down.
    config.put("group.initial.rebalance.delay.ms", "0");
    // The log cleaner preallocates this buffer on the heap (128 MB by default) for every broker.
    config.put("log.cleaner.dedupe.buffer.size", String.valueOf(8 * 1024 * 1024));
    return config;
  }

  /** Formats the KRaft storage once; a directory with meta.properties keeps its cluster id and data. */
  private void formatIfNeeded() {
    if (Files.exists(logDir.resolve("meta.properties"))) {
      return;
    }
    String dir = logDir.toString();
    Formatter formatter = new Formatter()
        // The formatter narrates to System.out by default.
        .setPrintStream(new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8))
        .setNodeId(NODE_ID)
        .setClusterId(Uuid.randomUuid().toString())
        .addDirectory(dir)
        .setMetadataLogDirectory(dir)
        .setControllerListenerName(CONTROLLER_LISTENER)
        .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
        .setSupportedFeatures(Features.PRODUCTION_FEATURES);
    try {
      formatter.run();
    } catch (Exception e) {
      throw new IllegalStateException("Cannot format Kafka storage in " + dir, e);
    }
    LOG.debug("Formatted Kafka storage in {} for cluster {}", dir, formatter.clusterId());
  }

  /** The broker is only useful once it answers metadata requests, which startup() does not promise. */
  private void awaitReady() {
    Map<String, Object> config = Map.of(
        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) READY_TIMEOUT.toMillis());
    try (Admin admin = Admin.create(config)) {
      Collection<Node> nodes = admin.describeCluster().nodes().get(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      if (nodes.isEmpty()) {
        throw new IllegalStateException("Kafka on " + bootstrapServers() + " reports no brokers");
      }
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("Kafka on " + bootstrapServers() + " did not become ready", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for Kafka on " + bootstrapServers(), e);
    }
  }

  private void shutDownServer() {
    long started = System.nanoTime();
    try {
      shutDown(server);
    } finally {
      server = null;
    }
    LOG.info("Kafka on {} stopped in {} ms", bootstrapServers(), elapsedMillis(started));
  }

  private static void shutDown(KafkaRaftServer raftServer) {
    try {
      raftServer.shutdown();
      raftServer.awaitShutdown();
    } catch (RuntimeException e) {
      LOG.warn("Kafka did not shut down cleanly", e);
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException(this + " is closed");
    }
  }

  private static long elapsedMillis(long startNanos) {
    return Duration.ofNanos(System.nanoTime() - startNanos).toMillis();
  }
}
