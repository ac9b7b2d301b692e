package io.rowstream.core;

import java.util.Locale;
import java.util.Optional;

/**
 * The one taxonomy of errors users see: the CLI, the run summary, the REST API, alerts, logs and
 * the web UI name an error by its {@link #code()}. Each code says what it means and what to do; the
 * README's error table lists them all (a test keeps the two in step).
 */
public enum ErrorCode {
  // usage and config: fixed by the operator before anything runs
  USAGE_ERROR(
      Type.USER,
      "the command line is malformed (unknown command or option, bad argument)",
      "run `rowstream help COMMAND` and fix the arguments"),
  CONFIG_INVALID(
      Type.CONFIG,
      "rowstream.yaml does not validate; every problem names file:line: key",
      "fix each named key; `rowstream validate` checks without connecting"),
  NOT_FOUND(
      Type.USER,
      "the named sync, run, destination or key does not exist",
      "list what exists (`rowstream runs SYNC`, `GET /api/v1/syncs`) and use one of those names"),
  BAD_REQUEST(
      Type.USER,
      "a request to the API is malformed (bad JSON, bad paging, a wrong field)",
      "fix the request as the message says; see /api/v1/openapi.json"),
  UNAUTHORIZED(
      Type.USER,
      "the API token is missing or wrong",
      "send `Authorization: Bearer TOKEN` with the server's api_token"),
  CONFLICT(
      Type.USER,
      "the action does not fit the current state (e.g. cancelling a finished run)",
      "reload the state and try again"),
  CANCELLED(
      Type.USER,
      "the run was cancelled (signal, API or UI) after committing what was acknowledged",
      "nothing to fix; the next run sends what was not acknowledged"),

  // the state folder
  STATE_LOCKED(
      Type.EXTERNAL,
      "another rowstream process is running this sync",
      "wait for it to finish; one process works on a sync at a time"),
  STATE_CORRUPT(
      Type.INTERNAL,
      "the sync's state file cannot be read (damaged on disk)",
      "restore it from a backup, or move it aside and run with initial_sync: skip or a full resync"),
  STATE_UNWRITABLE(
      Type.CONFIG,
      "the state folder cannot be created or written",
      "fix the folder's permissions or point `state:` elsewhere"),

  // the source
  SOURCE_UNREACHABLE(
      Type.EXTERNAL,
      "the source database cannot be reached or refused the login",
      "check the source's url, user, password and network"),
  SOURCE_QUERY_FAILED(
      Type.EXTERNAL,
      "the model's query failed in the source",
      "run the query in the database, fix it or the sync's query/table"),
  SOURCE_NOT_REPEATABLE(
      Type.USER,
      "the model's query returned other rows when read again within one run",
      "make the query return the same rows each time (no random(), now(), LIMIT without ORDER"
          + " BY); the next run plans it again"),

  // the destination
  CREDENTIALS_MISSING(
      Type.CONFIG,
      "no AWS credentials were found for the destination",
      "set credentials in rowstream.yaml, AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, or a profile"),
  CREDENTIALS_REFUSED(
      Type.EXTERNAL,
      "AWS refused the credentials (unknown key, bad signature, expired token)",
      "check the keys and the session token, or that they have not expired"),
  CREDENTIAL_SOURCE_FAILED(
      Type.EXTERNAL,
      "the credential source failed (STS AssumeRole refused or unreachable, a profile missing)",
      "check role_arn, external_id, the trust policy, sts_endpoint, or the profile named"),
  ACCESS_DENIED(
      Type.EXTERNAL,
      "the credentials may not call a Kinesis action on the stream",
      "add the IAM statement the message names (`rowstream check DEST` lists them)"),
  STREAM_NOT_FOUND(
      Type.EXTERNAL,
      "the sync's stream does not exist in the destination's region",
      "create it (`rowstream streams DEST --create S`) or fix the sync's stream:"),
  KMS_REFUSED(
      Type.EXTERNAL,
      "the stream's KMS key refused the request",
      "check the key's state and kms:GenerateDataKey on it"),
  ENDPOINT_UNREACHABLE(
      Type.EXTERNAL,
      "the Kinesis endpoint did not answer for longer than the outage bound",
      "check the network, the endpoint and the region; the next run sends what was not acknowledged"),
  THROTTLED(
      Type.EXTERNAL,
      "Kinesis throttled requests past the retry budget",
      "add shards, lower shard_share's competitors, or let the next run retry"),
  SERVICE_ERROR(
      Type.EXTERNAL,
      "Kinesis answered with a server error past the retry budget",
      "retry later; the next run sends what was not acknowledged"),
  REQUEST_REFUSED(
      Type.EXTERNAL,
      "Kinesis refused a request as invalid",
      "read the message: it names the field; report it if Rowstream built the request"),

  // after a run
  SYNC_LOG_FAILED(
      Type.EXTERNAL,
      "the run's sync log could not be written to the warehouse; the run itself is not affected",
      "check the sync_log source's connection and its CREATE/INSERT grants; the log is written"
          + " again at the next run"),

  // rows rejected in a run (the reason of a rejection); retried in the next run
  NULL_PRIMARY_KEY(
      Type.USER, "the row's primary key is NULL", "fix the model so every row has a key"),
  DUPLICATE_PRIMARY_KEY(
      Type.USER,
      "more than one row of the model holds this key (all are rejected)",
      "make the primary key unique in the model"),
  RECORD_TOO_LARGE(
      Type.USER,
      "data plus partition key exceed max_record_bytes",
      "send fewer columns or raise max_record_bytes to the stream's limit"),
  INVALID_PARTITION_KEY(
      Type.USER,
      "the partition key is empty or longer than 256 characters",
      "change partition_key so it renders 1 to 256 characters"),
  INVALID_EXPLICIT_HASH_KEY(
      Type.USER,
      "the explicit hash key is not a decimal in [0, 2^128) without leading zeros",
      "change explicit_hash_key so it renders such a decimal"),
  INVALID_JSON(
      Type.USER,
      "the message is not exactly one JSON value without repeated keys",
      "fix the template or the JSON column at the line and column named"),
  INVALID_TEXT(
      Type.USER,
      "a text value holds a lone UTF-16 surrogate, which no JSON record can carry",
      "clean the value in the model"),
  TEMPLATE_ERROR(
      Type.USER,
      "the template failed for this row (e.g. divided_by: 0, or a bound exceeded)",
      "fix the template; `rowstream preview SYNC` shows the error on real rows"),
  MISSING_COLUMN(
      Type.USER,
      "a column the message uses is not returned by the query",
      "add the column to the query or remove it from the message"),
  RECORD_REFUSED(
      Type.EXTERNAL,
      "Kinesis refused the record on every attempt (the reason is its AWS error code)",
      "usually throttling: the next run retries it; add shards if it persists"),

  INTERNAL_ERROR(Type.INTERNAL, "a bug in Rowstream", "report it with ROWSTREAM_DEBUG=1 output");

  /** Who can fix an error of this code. */
  public enum Type {
    /** the user's input: a command, a request, a row of data. */
    USER,
    /** rowstream.yaml or the environment it names. */
    CONFIG,
    /** a peer: the source database, AWS, the network. */
    EXTERNAL,
    /** Rowstream itself, or its own files. */
    INTERNAL
  }

  private final Type type;
  private final String meaning;
  private final String action;

  ErrorCode(Type type, String meaning, String action) {
    this.type = type;
    this.meaning = meaning;
    this.action = action;
  }

  /** The stable name users see, e.g. {@code stream_not_found}. */
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  public Type type() {
    return type;
  }

  public String meaning() {
    return meaning;
  }

  public String action() {
    return action;
  }

  /** The code of this name ({@code stream_not_found}), if there is one. */
  public static Optional<ErrorCode> of(String code) {
    for (ErrorCode c : values()) {
      if (c.code().equals(code)) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }
}
