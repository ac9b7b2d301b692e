package io.rowstream.kinesis;

import static java.util.Objects.requireNonNull;

import io.rowstream.config.DestinationConfig;
import io.rowstream.config.DestinationConfig.AssumeRole;
import io.rowstream.config.DestinationConfig.Credentials;
import io.rowstream.core.ErrorCode;
import io.rowstream.core.Redactor;
import io.rowstream.core.RowstreamException;
import io.rowstream.delivery.ErrorCodes;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.DescribeStreamSummaryRequest;
import software.amazon.awssdk.services.kinesis.model.EncryptionType;
import software.amazon.awssdk.services.kinesis.model.ListShardsRequest;
import software.amazon.awssdk.services.kinesis.model.ListShardsResponse;
import software.amazon.awssdk.services.kinesis.model.ListStreamsRequest;
import software.amazon.awssdk.services.kinesis.model.ListStreamsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.StreamDescriptionSummary;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

/**
 * What a destination's credentials can do: which credentials are used, whether the endpoint
 * answers, and for each stream whether it exists and which of ListStreams, ListShards and
 * PutRecords are allowed, with what to change when one is not. Returns a {@link Report} value that
 * {@code rowstream check} prints and a web UI can show.
 *
 * <p>PutRecords is probed with an empty request, which stores nothing: a refusal proves the
 * permission is missing, but an acceptance for validation does not prove it is there, since AWS may
 * validate a request before it authorizes it. Only {@code putTestRecord} proves it, by putting one
 * labelled record.
 */
public final class AccessCheck {
  /** The partition key of the record {@code --put-test-record} puts. */
  public static final String TEST_RECORD_PARTITION_KEY = "rowstream-check";

  private static final Pattern DENIED_RESOURCE = Pattern.compile("on resource: (arn:[^\\s]+)");

  /** How a check came out. */
  public enum Status {
    OK("ok"),
    DENIED("denied"),
    NOT_VERIFIED("unverified"),
    MISSING("missing"),
    FAILED("failed"),
    SKIPPED("skipped");

    private final String label;

    Status(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  /**
   * One check.
   *
   * @param check {@code credentials}, {@code endpoint}, {@code stream} or a permission such as
   *     {@code kinesis:PutRecords}
   * @param stream the stream it is about, if any
   * @param required whether Rowstream cannot send without it
   * @param detail what was found, and what to change if it is not OK; holds no secret
   */
  public record Finding(
      String check, Optional<String> stream, Status status, boolean required, String detail) {
    public Finding {
      requireNonNull(check, "check is null");
      requireNonNull(stream, "stream is null");
      requireNonNull(status, "status is null");
      requireNonNull(detail, "detail is null");
    }

    /** A required check that did not pass. */
    public boolean blocks() {
      return required
          && (status == Status.DENIED || status == Status.MISSING || status == Status.FAILED);
    }
  }

  /**
   * The outcome of a check of one destination.
   *
   * @param credentials how credentials were found, e.g. {@code role ... assumed with static keys}
   * @param accessKeyId the access key id used, masked to its last 4 characters, once resolved
   */
  public record Report(
      String destination,
      String region,
      String endpoint,
      String credentials,
      Optional<String> accessKeyId,
      List<Finding> findings) {
    public Report {
      findings = List.copyOf(findings);
    }

    /** Whether every required check passed: Rowstream can send with these credentials. */
    public boolean ok() {
      return findings.stream().noneMatch(Finding::blocks);
    }
  }

  private final DestinationConfig config;
  private final KinesisDestination destination;
  private final List<Finding> findings = new ArrayList<>();

  private AccessCheck(DestinationConfig config, KinesisDestination destination) {
    this.config = config;
    this.destination = destination;
  }

  /**
   * Checks {@code config} against each of {@code streams}; with {@code putTestRecord}, puts one
   * record labelled as a test on each to prove PutRecords.
   */
  public static Report run(DestinationConfig config, List<String> streams, boolean putTestRecord) {
    try (KinesisDestination destination = KinesisDestination.connect(config)) {
      return new AccessCheck(config, destination).check(streams, putTestRecord);
    }
  }

  private Report check(List<String> streams, boolean putTestRecord) {
    CredentialSource source = destination.credentials();
    String endpoint =
        config
            .endpoint()
            .map(Object::toString)
            .orElse("https://kinesis." + config.region() + ".amazonaws.com");
    Optional<String> keyId = Optional.empty();
    try {
      AwsCredentials resolved = source.provider().resolveCredentials();
      keyId = Optional.of(DestinationConfig.mask(resolved.accessKeyId()));
      add(
          "credentials",
          null,
          Status.OK,
          true,
          source.description()
              + "; access key "
              + keyId.get()
              + (resolved instanceof AwsSessionCredentials ? " (temporary session)" : ""));
    } catch (SdkException e) {
      add("credentials", null, Status.FAILED, true, explain(e, "credentials", null));
      return report(endpoint, keyId, streams);
    }
    if (!listStreams()) {
      return report(endpoint, keyId, streams);
    }
    for (String stream : streams) {
      Optional<String> arn = describe(stream);
      if (arn.isPresent() && arn.get().isEmpty()) {
        continue; // the stream does not exist: nothing else to check on it
      }
      listShards(stream, arn);
      putRecords(stream, arn, putTestRecord);
    }
    return report(endpoint, keyId, List.of());
  }

  private Report report(String endpoint, Optional<String> keyId, List<String> skippedStreams) {
    if (findings.stream().noneMatch(f -> f.check().equals("kinesis:ListStreams"))) {
      add("kinesis:ListStreams", null, Status.SKIPPED, true, "not checked: see above");
    }
    for (String stream : skippedStreams) {
      add("kinesis:PutRecords", stream, Status.SKIPPED, true, "not checked: see above");
    }
    // what servers answered may quote a secret: the report is safe to print, store or serve
    Redactor redactor = Redactor.of(config.secretValues());
    List<Finding> scrubbed =
        findings.stream()
            .map(
                f ->
                    new Finding(
                        f.check(),
                        f.stream(),
                        f.status(),
                        f.required(),
                        redactor.scrub(f.detail())))
            .toList();
    return new Report(
        config.name(),
        config.region(),
        redactor.scrub(endpoint),
        redactor.scrub(destination.credentials().description()),
        keyId,
        scrubbed);
  }

  /** False when nothing else can be checked (endpoint unreachable, credentials refused). */
  private boolean listStreams() {
    KinesisClient client = destination.client();
    try {
      ListStreamsResponse page =
          client.listStreams(ListStreamsRequest.builder().limit(100).build());
      add("endpoint", null, Status.OK, true, "reachable");
      int count = page.streamNames().size();
      add(
          "kinesis:ListStreams",
          null,
          Status.OK,
          true,
          "allowed: "
              + count
              + (Boolean.TRUE.equals(page.hasMoreStreams()) ? "+" : "")
              + " stream(s) in region "
              + config.region());
      return true;
    } catch (AwsServiceException e) {
      add("endpoint", null, Status.OK, true, "reachable");
      if (isAccessDenied(e)) {
        add(
            "kinesis:ListStreams",
            null,
            Status.DENIED,
            true,
            "denied ("
                + code(e)
                + "). `rowstream streams` and "
                + "choosing a stream need it: allow kinesis:ListStreams (it takes no stream; resource \"*\")");
        return true;
      }
      if (isRefusedCredentials(e)) {
        add("credentials", null, Status.FAILED, true, explain(e, "ListStreams", null));
        return false;
      }
      add("kinesis:ListStreams", null, Status.FAILED, true, explain(e, "ListStreams", null));
      return true;
    } catch (SdkException e) {
      if (CredentialSource.failure(e, config).isPresent()) {
        add("credentials", null, Status.FAILED, true, explain(e, "ListStreams", null));
      } else {
        add("endpoint", null, Status.FAILED, true, explain(e, "ListStreams", null));
      }
      return false;
    }
  }

  /** The stream's ARN; empty text when it does not exist; empty when that is unknown. */
  private Optional<String> describe(String stream) {
    try {
      StreamDescriptionSummary s =
          destination
              .client()
              .describeStreamSummary(
                  DescribeStreamSummaryRequest.builder().streamName(stream).build())
              .streamDescriptionSummary();
      boolean writable =
          s.streamStatus() == StreamStatus.ACTIVE || s.streamStatus() == StreamStatus.UPDATING;
      String kms =
          s.encryptionType() == EncryptionType.KMS
              ? "; encrypted with KMS key "
                  + s.keyId()
                  + ": the credentials also need kms:GenerateDataKey on it"
              : "";
      add(
          "stream",
          stream,
          writable ? Status.OK : Status.FAILED,
          true,
          s.streamStatusAsString()
              + ", "
              + s.openShardCount()
              + " open shard(s), "
              + s.streamARN()
              + kms
              + (writable ? "" : "; records can be put once the stream is ACTIVE"));
      return Optional.of(s.streamARN());
    } catch (AwsServiceException e) {
      if (kind(e) == ErrorCode.STREAM_NOT_FOUND) {
        add("stream", stream, Status.MISSING, true, notFound(stream));
        return Optional.of("");
      }
      if (isAccessDenied(e)) {
        add(
            "stream",
            stream,
            Status.NOT_VERIFIED,
            false,
            "status unknown: kinesis:DescribeStreamSummary is denied ("
                + code(e)
                + "); Rowstream does not need it, `rowstream check` uses it to show the stream's status");
        return deniedResource(e);
      }
      add(
          "stream",
          stream,
          Status.NOT_VERIFIED,
          false,
          explain(e, "DescribeStreamSummary", stream));
      return Optional.empty();
    } catch (SdkException e) {
      add("stream", stream, Status.FAILED, true, explain(e, "DescribeStreamSummary", stream));
      return Optional.empty();
    }
  }

  private void listShards(String stream, Optional<String> arn) {
    try {
      ListShardsResponse page =
          destination.client().listShards(ListShardsRequest.builder().streamName(stream).build());
      add(
          "kinesis:ListShards",
          stream,
          Status.OK,
          false,
          "allowed: "
              + page.shards().size()
              + " shard(s)"
              + (page.nextToken() == null ? "" : "+")
              + "; Rowstream paces each shard exactly");
    } catch (AwsServiceException e) {
      if (isAccessDenied(e)) {
        add(
            "kinesis:ListShards",
            stream,
            Status.DENIED,
            false,
            "denied ("
                + code(e)
                + "). Rowstream still works, "
                + "but cannot pace each shard exactly: allow kinesis:ListShards on "
                + arn(stream, arn, e));
      } else if (kind(e) == ErrorCode.STREAM_NOT_FOUND) {
        add("stream", stream, Status.MISSING, true, notFound(stream));
      } else {
        add("kinesis:ListShards", stream, Status.FAILED, false, explain(e, "ListShards", stream));
      }
    } catch (SdkException e) {
      add("kinesis:ListShards", stream, Status.FAILED, false, explain(e, "ListShards", stream));
    }
  }

  private void putRecords(String stream, Optional<String> arn, boolean putTestRecord) {
    List<PutRecordsRequestEntry> entries = putTestRecord ? List.of(testRecord()) : List.of();
    try {
      PutRecordsResponse response =
          destination
              .client()
              .putRecords(PutRecordsRequest.builder().streamName(stream).records(entries).build());
      if (!putTestRecord) {
        add(
            "kinesis:PutRecords",
            stream,
            Status.NOT_VERIFIED,
            true,
            notVerified("an empty PutRecords was accepted"));
      } else if (response.records().isEmpty() || response.records().get(0).errorCode() != null) {
        String code =
            response.records().isEmpty() ? "no entry" : response.records().get(0).errorCode();
        add(
            "kinesis:PutRecords",
            stream,
            Status.OK,
            true,
            "allowed: the test record was refused with "
                + code
                + " (a throughput or internal error, not a permission one); it was not stored");
      } else {
        add(
            "kinesis:PutRecords",
            stream,
            Status.OK,
            true,
            "allowed: a test record (partition key "
                + TEST_RECORD_PARTITION_KEY
                + ") was stored in "
                + response.records().get(0).shardId()
                + ", sequence number "
                + response.records().get(0).sequenceNumber());
      }
    } catch (AwsServiceException e) {
      String code = code(e);
      if (isAccessDenied(e)) {
        add(
            "kinesis:PutRecords",
            stream,
            Status.DENIED,
            true,
            "denied ("
                + code
                + "). Rowstream cannot send: allow "
                + "kinesis:PutRecords on "
                + arn(stream, arn, e));
      } else if (kind(e) == ErrorCode.STREAM_NOT_FOUND) {
        add("stream", stream, Status.MISSING, true, notFound(stream));
      } else if (kind(e) == ErrorCode.KMS_REFUSED) {
        add("kinesis:PutRecords", stream, Status.DENIED, true, explain(e, "PutRecords", stream));
      } else if (!putTestRecord
          && ("ValidationException".equals(code)
              || "InvalidArgumentException".equals(code)
              || "SerializationException".equals(code))) {
        add(
            "kinesis:PutRecords",
            stream,
            Status.NOT_VERIFIED,
            true,
            notVerified(
                "an empty PutRecords was answered " + code + ", not AccessDeniedException"));
      } else {
        add("kinesis:PutRecords", stream, Status.FAILED, true, explain(e, "PutRecords", stream));
      }
    } catch (SdkException e) {
      add("kinesis:PutRecords", stream, Status.FAILED, true, explain(e, "PutRecords", stream));
    }
  }

  private static String notVerified(String what) {
    return "not verified without sending: "
        + what
        + ", but AWS may check a request's shape before its "
        + "permission, so this does not prove kinesis:PutRecords is allowed. To prove it, run again with "
        + "--put-test-record (puts one record with partition key "
        + TEST_RECORD_PARTITION_KEY
        + ")";
  }

  private PutRecordsRequestEntry testRecord() {
    String data =
        "{\"rowstream_check\": true, \"note\": \"test record from rowstream check; safe to ignore\", "
            + "\"destination\": \""
            + config.name()
            + "\", \"at\": \""
            + Instant.now()
            + "\"}";
    return PutRecordsRequestEntry.builder()
        .partitionKey(TEST_RECORD_PARTITION_KEY)
        .data(SdkBytes.fromString(data, StandardCharsets.UTF_8))
        .build();
  }

  private String notFound(String stream) {
    return "stream '"
        + stream
        + "' does not exist in region "
        + config.region()
        + config.endpoint().map(u -> " at " + u).orElse("")
        + "; create it (rowstream streams "
        + config.name()
        + " --create "
        + stream
        + "), or fix the sync's stream:";
  }

  /** The stream's ARN as AWS named it, or as it would be, for a policy statement. */
  private String arn(String stream, Optional<String> known, AwsServiceException e) {
    if (known.isPresent() && !known.get().isEmpty()) {
      return known.get();
    }
    Optional<String> named = deniedResource(e);
    if (named.isPresent()) {
      return named.get();
    }
    String account =
        config
            .credentials()
            .flatMap(Credentials::role)
            .map(AssumeRole::roleArn)
            .map(r -> r.split(":")[4])
            .orElse("ACCOUNT_ID");
    return "arn:aws:kinesis:" + config.region() + ":" + account + ":stream/" + stream;
  }

  private static Optional<String> deniedResource(AwsServiceException e) {
    String message = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorMessage();
    if (message == null) {
      return Optional.empty();
    }
    Matcher m = DENIED_RESOURCE.matcher(message);
    return m.find() ? Optional.of(m.group(1).replaceAll("[.,;]+$", "")) : Optional.empty();
  }

  private String explain(SdkException e, String operation, String stream) {
    RowstreamException classified = KinesisErrors.classify(e, operation, stream, config);
    return classified.getMessage();
  }

  /** The error's code in the one taxonomy, by the one classifier of AWS errors. */
  private static ErrorCode kind(AwsServiceException e) {
    return ErrorCodes.classify(
            e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode(), e.statusCode())
        .code();
  }

  private static boolean isAccessDenied(AwsServiceException e) {
    return kind(e) == ErrorCode.ACCESS_DENIED;
  }

  private static boolean isRefusedCredentials(AwsServiceException e) {
    return kind(e) == ErrorCode.CREDENTIALS_REFUSED;
  }

  private static String code(AwsServiceException e) {
    return e.awsErrorDetails() == null ? "HTTP " + e.statusCode() : e.awsErrorDetails().errorCode();
  }

  private void add(String check, String stream, Status status, boolean required, String detail) {
    findings.add(new Finding(check, Optional.ofNullable(stream), status, required, detail));
  }
}
