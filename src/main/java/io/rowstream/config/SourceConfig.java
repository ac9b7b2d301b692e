package io.rowstream.config;

import static java.util.Objects.requireNonNull;

import io.rowstream.core.Secret;
import java.util.Optional;

/**
 * A database to query. {@code path} is for duckdb; the others take a JDBC {@code url}. {@code
 * planning} says where its models are compared with the delivered state.
 */
public record SourceConfig(
    String name,
    Type type,
    Optional<String> path,
    Optional<String> url,
    Optional<String> user,
    Optional<Secret> password,
    Optional<String> driver,
    SourcePlanning planning) {

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
    requireNonNull(planning, "planning is null");
  }

  /** A source planned locally (the default). */
  public SourceConfig(
      String name,
      Type type,
      Optional<String> path,
      Optional<String> url,
      Optional<String> user,
      Optional<Secret> password,
      Optional<String> driver) {
    this(name, type, path, url, user, password, driver, SourcePlanning.LOCAL);
  }

  /** This source with {@code planning}. */
  public SourceConfig withPlanning(SourcePlanning planning) {
    return new SourceConfig(name, type, path, url, user, password, driver, planning);
  }
}
