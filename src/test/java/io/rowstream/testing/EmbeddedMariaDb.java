package io.rowstream.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A private MariaDB server for a test class: Debian's {@code mariadbd} on a data folder of its own
 * in a temporary directory, listening on a free loopback port, with grant tables in force (so a
 * test can create a role that lacks privileges). Root connects over TCP without a password.
 *
 * <p>The binaries come from Debian's {@code mariadb-server-core} and {@code mariadb-client-core};
 * {@code peers/ensure-mariadb.sh} installs them during the build when it runs as root. Without
 * them, {@link #start} fails saying how to get them: the tests are never skipped.
 */
public final class EmbeddedMariaDb implements AutoCloseable {
  private static final Path SERVER = Path.of("/usr/sbin/mariadbd");
  private static final Path INSTALL_DB = Path.of("/usr/bin/mariadb-install-db");

  /** A loaded machine (load 20-40) starts a server slowly; a hung one still ends the test. */
  private static final Duration READY_WITHIN = Duration.ofMinutes(3);

  /** Small InnoDB files and no per-commit flush: a test server, durable enough for its tests. */
  private static final List<String> TUNING =
      List.of(
          "--innodb-log-file-size=16M",
          "--innodb-buffer-pool-size=256M",
          "--innodb-flush-log-at-trx-commit=2",
          "--innodb-doublewrite=0",
          "--skip-name-resolve",
          "--character-set-server=utf8mb4",
          "--collation-server=utf8mb4_unicode_ci");

  private final Path dir;
  private final int port;
  private final Process process;

  private EmbeddedMariaDb(Path dir, int port, Process process) {
    this.dir = dir;
    this.port = port;
    this.process = process;
  }

  /** Initialises a data folder and starts a server on it; returns once it accepts connections. */
  public static EmbeddedMariaDb start() {
    if (!Files.isExecutable(SERVER) || !Files.isExecutable(INSTALL_DB)) {
      throw new IllegalStateException(
          "no MariaDB server binaries at "
              + SERVER
              + " and "
              + INSTALL_DB
              + ": run `sudo apt-get install mariadb-server-core mariadb-client-core`"
              + " (Debian/Ubuntu; the build does it as root via peers/ensure-mariadb.sh)");
    }
    try {
      Path dir = Files.createTempDirectory("rowstream-mariadb");
      Path data = dir.resolve("data");
      List<String> install = new ArrayList<>();
      install.add(INSTALL_DB.toString());
      install.add("--no-defaults");
      install.add("--datadir=" + data);
      install.add("--auth-root-authentication-method=normal");
      install.add("--skip-test-db");
      asRoot(install);
      install.addAll(TUNING);
      run(install, dir.resolve("install.log"));

      int port = freePort();
      List<String> server = new ArrayList<>();
      server.add(SERVER.toString());
      server.add("--no-defaults");
      server.add("--datadir=" + data);
      server.add("--socket=" + dir.resolve("mariadb.sock"));
      server.add("--pid-file=" + dir.resolve("mariadb.pid"));
      server.add("--bind-address=127.0.0.1");
      server.add("--port=" + port);
      server.add("--log-error=" + dir.resolve("error.log"));
      asRoot(server);
      server.addAll(TUNING);
      Process process =
          new ProcessBuilder(server)
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("server.out").toFile())
              .start();
      EmbeddedMariaDb db = new EmbeddedMariaDb(dir, port, process);
      db.awaitReady();
      return db;
    } catch (IOException e) {
      throw new UncheckedIOException("could not start a MariaDB server", e);
    }
  }

  /** mariadbd refuses to run as root unless told to. */
  private static void asRoot(List<String> command) {
    if ("root".equals(System.getProperty("user.name"))) {
      command.add("--user=root");
    }
  }

  private static void run(List<String> command, Path log) throws IOException {
    Process p =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      if (!p.waitFor(READY_WITHIN.toSeconds(), TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(command.get(0) + " did not finish; see " + log);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      throw new IllegalStateException("interrupted while initialising MariaDB", e);
    }
    if (p.exitValue() != 0) {
      throw new IllegalStateException(
          command.get(0) + " failed (exit " + p.exitValue() + "): " + Files.readString(log));
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private void awaitReady() throws IOException {
    Instant deadline = Instant.now().plus(READY_WITHIN);
    SQLException last = null;
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "mariadbd exited (" + process.exitValue() + "): " + errorLog());
      }
      try (Connection c = connect("")) {
        return;
      } catch (SQLException e) {
        last = e;
      }
      try {
        process.waitFor(200, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    close();
    throw new IllegalStateException(
        "mariadbd did not accept connections within " + READY_WITHIN + ": " + last);
  }

  private String errorLog() throws IOException {
    Path log = dir.resolve("error.log");
    return Files.exists(log) ? Files.readString(log) : "(no error log)";
  }

  public int port() {
    return port;
  }

  /** The JDBC URL of {@code database} on this server (empty: none). */
  public String url(String database) {
    return "jdbc:mariadb://127.0.0.1:" + port + "/" + database;
  }

  /** A connection as root to {@code database}. */
  public Connection connect(String database) throws SQLException {
    return DriverManager.getConnection(url(database), "root", "");
  }

  /** Runs {@code statements} as root in {@code database} (empty: none). */
  public void sql(String database, String... statements) {
    try (Connection c = connect(database);
        Statement s = c.createStatement()) {
      for (String sql : statements) {
        s.execute(sql);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  /** The first column of every row of {@code query} in {@code database}, as text. */
  public List<String> strings(String database, String query) {
    List<String> out = new ArrayList<>();
    try (Connection c = connect(database);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(query)) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
    return out;
  }

  /** Stops the server (a clean shutdown) and deletes its folder. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a leftover temporary folder is not worth failing a test for
    }
  }
}
