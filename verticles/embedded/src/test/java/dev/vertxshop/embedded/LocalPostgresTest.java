package dev.vertxshop.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("LocalPostgres")
class LocalPostgresTest {

  @Test
  @DisplayName("serves SQL over JDBC with the advertised coordinates")
  void servesSql() throws SQLException {
    try (LocalPostgres pg = LocalPostgres.start(null, 0)) {
      assertThat(pg.host()).isEqualTo("127.0.0.1");
      assertThat(pg.port()).isPositive();
      assertThat(pg.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:" + pg.port() + "/postgres");

      try (Connection c = connect(pg, pg.jdbcUrl())) {
        execute(c, "CREATE TABLE item (id INT PRIMARY KEY, name TEXT NOT NULL)");
        execute(c, "INSERT INTO item VALUES (1, 'mug'), (2, 'teapot')");
        assertThat(names(c)).isEqualTo("mug,teapot");
        assertThat(setting(c, "fsync")).as("a throwaway directory is written without fsync").isEqualTo("off");
      }
    }
  }

  @Test
  @DisplayName("refuses connections after stop() and keeps the data across restart()")
  void stopAndRestart() throws SQLException {
    try (LocalPostgres pg = LocalPostgres.start(null, 0)) {
      int port = pg.port();
      try (Connection c = connect(pg, pg.jdbcUrl())) {
        execute(c, "CREATE TABLE item (id INT PRIMARY KEY, name TEXT NOT NULL)");
        execute(c, "INSERT INTO item VALUES (1, 'survivor')");
      }

      pg.stop();
      assertThat(pg.isRunning()).isFalse();
      assertThatThrownBy(() -> connect(pg, pg.jdbcUrl()).close()).isInstanceOf(SQLException.class);

      pg.restart();
      assertThat(pg.isRunning()).isTrue();
      assertThat(pg.port()).isEqualTo(port);
      try (Connection c = connect(pg, pg.jdbcUrl())) {
        assertThat(names(c)).isEqualTo("survivor");
      }
    }
  }

  @Test
  @DisplayName("reuses a persistent data directory on a requested port and leaves it in place on close")
  void persistentDirectory(@TempDir Path dir) throws SQLException {
    Path dataDir = dir.resolve("pgdata");
    int port;
    try (LocalPostgres pg = LocalPostgres.start(dataDir, 0); Connection c = connect(pg, pg.jdbcUrl())) {
      port = pg.port();
      execute(c, "CREATE TABLE item (id INT PRIMARY KEY, name TEXT NOT NULL)");
      execute(c, "INSERT INTO item VALUES (1, 'kept')");
      assertThat(setting(c, "fsync")).as("kept data is written durably").isEqualTo("on");
      assertThat(setting(c, "synchronous_commit")).isEqualTo("on");
      assertThat(setting(c, "full_page_writes")).isEqualTo("on");
    }
    assertThat(dataDir.resolve("PG_VERSION")).exists();

    try (LocalPostgres pg = LocalPostgres.start(dataDir, port); Connection c = connect(pg, pg.jdbcUrl())) {
      assertThat(pg.port()).isEqualTo(port);
      assertThat(names(c)).isEqualTo("kept");
    }
  }

  @Test
  @DisplayName("deletes a temporary data directory on close and tolerates a second close")
  void closeDeletesTemporaryDirectory() {
    LocalPostgres pg = LocalPostgres.start(null, 0);
    Path dataDir = pg.dataDirectory();
    assertThat(dataDir).isDirectory();

    pg.close();
    pg.close();

    assertThat(dataDir).doesNotExist();
    assertThat(pg.isRunning()).isFalse();
    assertThatThrownBy(pg::restart).isInstanceOf(IllegalStateException.class);
  }

  @Test
  @DisplayName("creates roles and databases idempotently, usable by the new role")
  void createsRolesAndDatabases() throws SQLException {
    try (LocalPostgres pg = LocalPostgres.start(null, 0)) {
      pg.createRole("catalog", "secret");
      pg.createRole("catalog", "it's changed");
      pg.createDatabase("catalog", "catalog");
      pg.createDatabase("catalog", "catalog");

      try (Connection c = DriverManager.getConnection(pg.jdbcUrl("catalog"), "catalog", "it's changed")) {
        execute(c, "CREATE TABLE item (id INT PRIMARY KEY, name TEXT NOT NULL)");
        execute(c, "INSERT INTO item VALUES (1, 'owned')");
        assertThat(names(c)).isEqualTo("owned");
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT current_user")) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getString(1)).isEqualTo("catalog");
        }
      }
      assertThatThrownBy(() -> pg.createDatabase("bad; DROP", "catalog"))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  @DisplayName("a JVM killed with SIGKILL leaves no PostgreSQL running and no temporary data directory")
  void killedOwnerLeavesNothing() throws Exception {
    Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), LocalPostgresOwner.class.getName())
        .redirectErrorStream(true).start();
    try {
      String ready = null;
      java.io.BufferedReader lines = new java.io.BufferedReader(
          new java.io.InputStreamReader(child.getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
      for (String line; ready == null && (line = lines.readLine()) != null; ) {
        if (line.startsWith("READY ")) {
          ready = line;
        }
      }
      assertThat(ready).as("the owner JVM started PostgreSQL").isNotNull();
      String[] parts = ready.split(" ", 3);
      int port = Integer.parseInt(parts[1]);
      Path dataDir = Path.of(parts[2]);
      long postmaster = Long.parseLong(java.nio.file.Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim());
      assertThat(ProcessHandle.of(postmaster).map(ProcessHandle::isAlive)).contains(true);

      child.toHandle().destroyForcibly(); // SIGKILL: no shutdown hook runs
      assertThat(child.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
      while ((ProcessHandle.of(postmaster).map(ProcessHandle::isAlive).orElse(false) || java.nio.file.Files.exists(dataDir))
          && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertThat(ProcessHandle.of(postmaster).map(ProcessHandle::isAlive).orElse(false))
          .as("the postmaster of the killed JVM is gone").isFalse();
      assertThat(dataDir).as("its temporary data directory is deleted").doesNotExist();
      assertThatThrownBy(() -> DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", "postgres").close())
          .isInstanceOf(SQLException.class);
    } finally {
      child.destroyForcibly();
    }
  }

  private static String setting(Connection c, String name) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW " + name)) {
      assertThat(rs.next()).isTrue();
      return rs.getString(1);
    }
  }

  private static Connection connect(LocalPostgres pg, String url) throws SQLException {
    return DriverManager.getConnection(url, pg.user(), pg.password());
  }

  private static void execute(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private static String names(Connection c) throws SQLException {
    StringBuilder names = new StringBuilder();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT name FROM item ORDER BY id")) {
      while (rs.next()) {
        names.append(names.length() == 0 ? "" : ",").append(rs.getString(1));
      }
    }
    return names.toString();
  }
}
