package io.rowstream.config;

import static java.util.Objects.requireNonNull;

import io.rowstream.core.Secret;
import java.util.Optional;

/** A database to query. {@code path} is for duckdb; the others take a JDBC {@code url}. */
public record SourceConfig(
    String name,
    Type type,
    Optional<String> path,
    Optional<String> url,
    Optional<String> user,
    Optional<Secret> password,
    Optional<String> driver) {

  /** The kinds of source Rowstream reads. */
  public enum Type {
    DUCKDB,
    POSTGRES,
    MYSQL,
    JDBC
  }

  public SourceConfig {
    requireNonNull(name, "name is null");
    requireNonNull(type, "type is null");
  }
}
