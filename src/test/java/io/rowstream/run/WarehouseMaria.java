package io.rowstream.run;

import io.rowstream.testing.EmbeddedMariaDb;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A MariaDB model for warehouse planning tests: a database of its own in a private server, SQL run
 * against it as root, and a config whose source plans in the warehouse as a given user.
 */
final class WarehouseMaria {
  final EmbeddedMariaDb server;
  final String database;

  WarehouseMaria(EmbeddedMariaDb server, String database) {
    this.server = server;
    this.database = database;
    server.sql("", "create database " + database);
  }

  String url() {
    return server.url(database);
  }

  /** Creates {@code user} (password {@code user-pw}) with the given grants. */
  void user(String user, String... grants) {
    server.sql("", "create user " + user + " identified by '" + user + "-pw'");
    for (String grant : grants) {
      server.sql("", "grant " + grant + " to " + user);
    }
  }

  void sql(String... statements) {
    server.sql(database, statements);
  }

  List<String> strings(String query) {
    return server.strings(database, query);
  }

  long count(String query) {
    return Long.parseLong(strings(query).get(0));
  }

  /**
   * Writes {@code dir/rowstream.yaml}: source {@code maria} (as {@code user}, planning in the
   * warehouse database {@code planner}; the planner database is server-wide, so each test names its
   * own) and source {@code local} (the same database as root, planned locally), destination {@code
   * kinesis} at {@code endpoint}, sync {@code customers} of {@code table} to {@code stream} from
   * {@code maria}, and sync {@code local} of the same table to {@code stream-local}.
   */
  Path config(Path dir, String user, String planner, String endpoint, String table, String stream)
      throws IOException {
    Path file = dir.resolve("rowstream.yaml");
    Files.writeString(
        file,
        """
        sources:
          maria:
            type: mariadb
            url: %s
            user: %s
            password: %s
            planning: warehouse
            planner_schema: %s
          local:
            type: mysql
            url: %s
            user: root
        destinations:
          kinesis:
            type: kinesis
            region: us-east-1
            endpoint: %s
            credentials: {access_key_id: test, secret_access_key: test-secret}
        syncs:
          customers:
            source: maria
            table: %s
            primary_key: id
            destination: kinesis
            stream: %s
          local:
            source: local
            table: %s
            primary_key: id
            destination: kinesis
            stream: %s-local
        """
            .formatted(
                url(), user, user + "-pw", planner, url(), endpoint, table, stream, table, stream));
    return file;
  }
}
