package io.rowstream.config;

import static java.util.Objects.requireNonNull;

import io.rowstream.core.Redactor;
import io.rowstream.core.Secret;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where the state lives ({@code state:}): the embedded files in a folder (the default), or a shared
 * PostgreSQL database that several processes use at once.
 *
 * @param dir the state folder: the embedded state, and scratch space for either
 * @param url for {@code postgres}: {@code jdbc:postgresql://HOST[:PORT]/DATABASE}
 * @param schema for {@code postgres}: the schema whose tables hold the state of every sync
 */
public record StateConfig(
    Type type,
    Path dir,
    Optional<String> url,
    Optional<String> user,
    Optional<Secret> password,
    String schema) {

  /** The schema a shared state's tables are in unless {@code schema:} says otherwise. */
  public static final String DEFAULT_SCHEMA = "rowstream";

  public enum Type {
    DUCKDB,
    POSTGRES;

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public StateConfig {
    requireNonNull(type, "type is null");
    requireNonNull(dir, "dir is null");
    requireNonNull(url, "url is null");
    requireNonNull(user, "user is null");
    requireNonNull(password, "password is null");
    requireNonNull(schema, "schema is null");
    if (type == Type.POSTGRES && url.isEmpty()) {
      throw new IllegalArgumentException("a postgres state needs a url");
    }
  }

  /** The embedded state in {@code dir}. */
  public static StateConfig embedded(Path dir) {
    return new StateConfig(
        Type.DUCKDB, dir, Optional.empty(), Optional.empty(), Optional.empty(), DEFAULT_SCHEMA);
  }

  /** A shared PostgreSQL state; {@code dir} is the scratch folder. */
  public static StateConfig postgres(
      Path dir, String url, Optional<String> user, Optional<Secret> password, String schema) {
    return new StateConfig(Type.POSTGRES, dir, Optional.of(url), user, password, schema);
  }

  /** Without the password, and the URL without what may hold one (user info, parameters). */
  @Override
  public String toString() {
    String where = url.map(u -> Redactor.of(Redactor.secretsOf(u)).scrub(u)).orElse("");
    return "StateConfig[type="
        + type.label()
        + ", dir="
        + dir
        + (url.isPresent() ? ", url=" + where + ", user=" + user.orElse("") : "")
        + ", schema="
        + schema
        + "]";
  }

  /** The password and what the URL's user info or password parameter holds. */
  List<String> secretValues() {
    List<String> values = new ArrayList<>();
    password.ifPresent(p -> values.add(p.reveal()));
    url.ifPresent(u -> values.addAll(Redactor.secretsOf(u)));
    return values;
  }
}
