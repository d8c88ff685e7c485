package dev.vertxshop.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A real PostgreSQL server (zonky binaries) on the loopback interface, owned by this JVM. */
public final class LocalPostgres implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LocalPostgres.class);

  private static final String SUPERUSER = "postgres";
  private static final String DATABASE = "postgres";
  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration PORT_RELEASE_TIMEOUT = Duration.ofSeconds(10);
  private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

  private final Path dataDir;
  private final boolean temporary;
  private final int port;
  private EmbeddedPostgres server;
  private Thread shutdownHook;
  private Process watchdog;
  private boolean closed;

  private LocalPostgres(Path dataDir, boolean temporary, int port) {
    this.dataDir = dataDir;
    this.temporary = temporary;
    this.port = port;
  }

  /**
   * Starts PostgreSQL and waits until it accepts connections.
   *
   * @param dataDir the data directory, kept and reused across runs, and then written durably
   *     ({@code fsync} on); {@code null} for a fresh temporary one that {@link #close()} deletes, written
   *     without {@code fsync} (nothing in it is meant to survive a crash)
   * @param port the port to listen on; {@code 0} picks a free one
   */
  public static LocalPostgres start(Path dataDir, int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("Invalid port " + port);
    }
    boolean temporary = dataDir == null;
    Path dir = temporary ? TempDirs.create("shop-postgres-") : dataDir.toAbsolutePath();
    LocalPostgres postgres = new LocalPostgres(dir, temporary, port == 0 ? Ports.freePort() : port);
    try {
      postgres.launch();
    } catch (RuntimeException e) {
      if (temporary) {
        TempDirs.deleteQuietly(dir);
      }
      throw e;
    }
    // The postmaster is a separate process: without this it would outlive a JVM that forgot close().
    postgres.shutdownHook = ShutdownHooks.register("local-postgres-" + postgres.port, postgres::close);
    // ... and without this, a JVM killed with SIGKILL (no hook runs) would leave it running.
    postgres.watchdog = startWatchdog(dir, temporary);
    return postgres;
  }

  /** Always the IPv4 loopback address: the server listens nowhere else. */
  public String host() {
    return Ports.LOOPBACK;
  }

  public int port() {
    return port;
  }

  public String database() {
    return DATABASE;
  }

  public String user() {
    return SUPERUSER;
  }

  /** What clients should send; the server trusts local connections and does not check it. */
  public String password() {
    return SUPERUSER;
  }

  public Path dataDirectory() {
    return dataDir;
  }

  public String jdbcUrl() {
    return jdbcUrl(DATABASE);
  }

  public String jdbcUrl(String database) {
    return "jdbc:postgresql://" + host() + ":" + port + "/" + database;
  }

  public synchronized boolean isRunning() {
    return server != null;
  }

  /** Stops the server but keeps its data directory and port, to simulate a database outage. */
  public synchronized void stop() {
    ensureOpen();
    if (server != null) {
      shutDownServer();
    }
  }

  /** Starts the server again on the same port and data; stops it first if it is running. */
  public synchronized void restart() {
    ensureOpen();
    if (server != null) {
      shutDownServer();
    }
    launch();
  }

  /** Creates database {@code name} (a plain lower-case identifier) unless it exists. */
  public void createDatabase(String name) {
    createDatabase(name, SUPERUSER);
  }

  /** Creates database {@code name} owned by {@code owner} unless it exists. */
  public synchronized void createDatabase(String name, String owner) {
    String database = identifier(name);
    String role = identifier(owner);
    try (Connection connection = connect(); Statement statement = connection.createStatement()) {
      if (exists(connection, "SELECT 1 FROM pg_database WHERE datname = ?", name)) {
        return;
      }
      statement.execute("CREATE DATABASE " + database + " OWNER " + role);
      LOG.debug("Created database {} owned by {}", name, owner);
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot create database " + name, e);
    }
  }

  /** Creates login role {@code role} (a plain lower-case identifier), or resets its password if it exists. */
  public synchronized void createRole(String role, String password) {
    String name = identifier(role);
    String secret = "'" + Objects.requireNonNull(password, "password").replace("'", "''") + "'";
    try (Connection connection = connect(); Statement statement = connection.createStatement()) {
      String verb = exists(connection, "SELECT 1 FROM pg_roles WHERE rolname = ?", role) ? "ALTER" : "CREATE";
      statement.execute(verb + " ROLE " + name + " WITH LOGIN PASSWORD " + secret);
      LOG.debug("{} role {}", verb, role);
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot create role " + role, e);
    }
  }

  /** Stops the server and deletes a temporary data directory; safe to call more than once. */
  /**
   * Withdraws this server's own JVM shutdown hook, for an owner that closes it from its hook once
   * what depends on it has stopped: the JVM runs hooks concurrently, so ours would otherwise pull the
   * PostgreSQL from under a graceful stop.
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
    if (watchdog != null) {
      watchdog.destroy();
    }
    if (temporary) {
      TempDirs.deleteQuietly(dataDir);
    }
  }

  /**
   * A small shell process that outlives this JVM: once the JVM is gone without having closed the
   * server (SIGKILL, an OOM kill), it asks the postmaster named in the data directory's
   * {@code postmaster.pid} for a fast shutdown, waits up to 10 s for it, and deletes a temporary data
   * directory. It ignores SIGINT and SIGHUP, which a terminal sends to the whole foreground group:
   * on Ctrl-C the JVM's own hook stops the server and then ends the watchdog.
   */
  private static Process startWatchdog(Path dir, boolean temporary) {
    String script = String.join("\n",
        "trap '' INT HUP",
        "while kill -0 \"$1\" 2>/dev/null; do sleep 1; done",
        "pid=$(head -n 1 \"$2/postmaster.pid\" 2>/dev/null)",
        "if [ -n \"$pid\" ] && kill -INT \"$pid\" 2>/dev/null; then",
        "  i=0; while kill -0 \"$pid\" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done",
        "fi",
        "if [ \"$3\" = temporary ]; then rm -rf \"$2\"; fi");
    try {
      return new ProcessBuilder("sh", "-c", script, "local-postgres-watchdog", String.valueOf(ProcessHandle.current().pid()),
          dir.toString(), temporary ? "temporary" : "kept")
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectError(ProcessBuilder.Redirect.DISCARD)
          .start();
    } catch (IOException e) {
      LOG.warn("no watchdog for PostgreSQL in {}: it would outlive this JVM if it were killed", dir, e);
      return null;
    }
  }

  @Override
  public String toString() {
    return "LocalPostgres[" + host() + ":" + port + ", " + dataDir + "]";
  }

  private void launch() {
    long started = System.nanoTime();
    // A busy port would only show up as zonky giving up after its whole startup timeout.
    Ports.awaitFree(port, PORT_RELEASE_TIMEOUT);
    try {
      server = EmbeddedPostgres.builder()
          .setDataDirectory(dataDir)
          // The directory belongs to us: zonky must neither re-run initdb on restart nor delete it.
          .setCleanDataDirectory(false)
          // One hook per LocalPostgres instead of one more for every restart.
          .setRegisterShutdownHook(false)
          .setPort(port)
          .setPGStartupWait(STARTUP_TIMEOUT)
          .setServerConfig("listen_addresses", Ports.LOOPBACK)
          // Kept data is written durably; a throwaway directory is not (several times faster writes).
          .setServerConfig("fsync", temporary ? "off" : "on")
          .setServerConfig("synchronous_commit", temporary ? "off" : "on")
          .setServerConfig("full_page_writes", temporary ? "off" : "on")
          .setServerConfig("max_connections", "200")
          .setServerConfig("shared_buffers", "128MB")
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("PostgreSQL did not start on port " + port + " with data in " + dataDir, e);
    }
    LOG.info("PostgreSQL started on {}:{} in {} ms, data in {}", host(), port, elapsedMillis(started), dataDir);
  }

  private void shutDownServer() {
    long started = System.nanoTime();
    try {
      server.close();
    } catch (IOException e) {
      LOG.warn("PostgreSQL on port {} did not shut down cleanly", port, e);
    } finally {
      server = null;
    }
    LOG.info("PostgreSQL on port {} stopped in {} ms", port, elapsedMillis(started));
  }

  private Connection connect() throws SQLException {
    ensureOpen();
    if (server == null) {
      throw new IllegalStateException(this + " is stopped");
    }
    return server.getPostgresDatabase().getConnection();
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException(this + " is closed");
    }
  }

  private static boolean exists(Connection connection, String query, String value) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(query)) {
      statement.setString(1, value);
      try (ResultSet rows = statement.executeQuery()) {
        return rows.next();
      }
    }
  }

  /** Quotes a name for DDL, which takes no bind parameters; lower case keeps it usable unquoted. */
  private static String identifier(String name) {
    if (name == null || !IDENTIFIER.matcher(name).matches()) {
      throw new IllegalArgumentException("Not a plain lower-case SQL identifier: " + name);
    }
    return "\"" + name + "\"";
  }

  private static long elapsedMillis(long startNanos) {
    return Duration.ofNanos(System.nanoTime() - startNanos).toMillis();
  }
}
