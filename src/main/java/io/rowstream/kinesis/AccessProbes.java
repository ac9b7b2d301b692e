package io.rowstream.kinesis;

import io.rowstream.config.DestinationConfig;
import io.rowstream.config.DestinationConfig.AssumeRole;
import io.rowstream.config.DestinationConfig.Credentials;
import io.rowstream.core.ErrorCode;
import io.rowstream.core.RowstreamException;
import io.rowstream.delivery.Destination;
import io.rowstream.delivery.DestinationException;
import io.rowstream.delivery.EntryResult;
import io.rowstream.delivery.OutboundRecord;
import io.rowstream.delivery.PutResult;
import io.rowstream.delivery.ShardPage;
import io.rowstream.delivery.StreamPage;
import io.rowstream.delivery.StreamSummary;
import io.rowstream.kinesis.AccessCheck.Findings;
import io.rowstream.kinesis.AccessCheck.Status;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The probes of {@link AccessCheck}, each one call through the gateway, and the words for what came
 * back: allowed, denied (and what to grant, on which ARN), missing, or failed.
 */
final class AccessProbes {
  private static final Pattern DENIED_RESOURCE = Pattern.compile("on resource: (arn:[^\\s]+)");

  private final DestinationConfig config;
  private final Destination gateway;
  private final Findings findings;

  AccessProbes(DestinationConfig config, Destination gateway, Findings findings) {
    this.config = config;
    this.gateway = gateway;
    this.findings = findings;
  }

  /** False when nothing else can be checked (endpoint unreachable, credentials refused). */
  boolean listStreams() {
    try {
      StreamPage page = gateway.listStreams(Optional.empty());
      findings.add("endpoint", null, Status.OK, true, "reachable");
      findings.add(
          "kinesis:ListStreams",
          null,
          Status.OK,
          true,
          "allowed: "
              + page.streams().size()
              + (page.hasMore() ? "+" : "")
              + " stream(s) in region "
              + config.region());
      return true;
    } catch (RowstreamException e) {
      Refusal r = new Refusal(e);
      if (!r.answered()) {
        findings.add(
            r.credentialsFailed() ? "credentials" : "endpoint",
            null,
            Status.FAILED,
            true,
            r.explained());
        return false;
      }
      findings.add("endpoint", null, Status.OK, true, "reachable");
      if (r.code() == ErrorCode.ACCESS_DENIED) {
        findings.add(
            "kinesis:ListStreams",
            null,
            Status.DENIED,
            true,
            "denied ("
                + r.awsCode()
                + "). `rowstream streams` and "
                + "choosing a stream need it: allow kinesis:ListStreams (it takes no stream; resource \"*\")");
        return true;
      }
      if (r.code() == ErrorCode.CREDENTIALS_REFUSED) {
        findings.add("credentials", null, Status.FAILED, true, r.explained());
        return false;
      }
      findings.add("kinesis:ListStreams", null, Status.FAILED, true, r.explained());
      return true;
    }
  }

  /** The stream's ARN; empty text when it does not exist; empty when that is unknown. */
  Optional<String> describe(String stream) {
    try {
      StreamSummary s = gateway.describeStream(stream);
      String kms =
          s.kmsKeyId()
              .map(
                  key ->
                      "; encrypted with KMS key "
                          + key
                          + ": the credentials also need kms:GenerateDataKey on it")
              .orElse("");
      findings.add(
          "stream",
          stream,
          s.writable() ? Status.OK : Status.FAILED,
          true,
          s.status()
              + ", "
              + s.openShards()
              + " open shard(s), "
              + s.arn()
              + kms
              + (s.writable() ? "" : "; records can be put once the stream is ACTIVE"));
      return Optional.of(s.arn());
    } catch (RowstreamException e) {
      Refusal r = new Refusal(e);
      if (!r.answered()) {
        findings.add("stream", stream, Status.FAILED, true, r.explained());
        return Optional.empty();
      }
      if (r.code() == ErrorCode.STREAM_NOT_FOUND) {
        findings.add("stream", stream, Status.MISSING, true, notFound(stream));
        return Optional.of("");
      }
      if (r.code() == ErrorCode.ACCESS_DENIED) {
        findings.add(
            "stream",
            stream,
            Status.NOT_VERIFIED,
            false,
            "status unknown: kinesis:DescribeStreamSummary is denied ("
                + r.awsCode()
                + "); Rowstream does not need it, `rowstream check` uses it to show the stream's status");
        return r.deniedResource();
      }
      findings.add("stream", stream, Status.NOT_VERIFIED, false, r.explained());
      return Optional.empty();
    }
  }

  void listShards(String stream, Optional<String> arn) {
    try {
      ShardPage page = gateway.listShards(stream, Optional.empty());
      findings.add(
          "kinesis:ListShards",
          stream,
          Status.OK,
          false,
          "allowed: "
              + page.shards().size()
              + " shard(s)"
              + (page.nextToken().isEmpty() ? "" : "+")
              + "; Rowstream paces each shard exactly");
    } catch (RowstreamException e) {
      Refusal r = new Refusal(e);
      if (r.answered() && r.code() == ErrorCode.ACCESS_DENIED) {
        findings.add(
            "kinesis:ListShards",
            stream,
            Status.DENIED,
            false,
            "denied ("
                + r.awsCode()
                + "). Rowstream still works, "
                + "but cannot pace each shard exactly: allow kinesis:ListShards on "
                + arn(stream, arn, r));
      } else if (r.answered() && r.code() == ErrorCode.STREAM_NOT_FOUND) {
        findings.add("stream", stream, Status.MISSING, true, notFound(stream));
      } else {
        findings.add("kinesis:ListShards", stream, Status.FAILED, false, r.explained());
      }
    }
  }

  void putRecords(String stream, Optional<String> arn, boolean putTestRecord) {
    List<OutboundRecord> records = putTestRecord ? List.of(testRecord()) : List.of();
    try {
      PutResult result = gateway.putRecords(stream, records);
      List<EntryResult> entries = result.entries();
      if (!putTestRecord) {
        findings.add(
            "kinesis:PutRecords",
            stream,
            Status.NOT_VERIFIED,
            true,
            notVerified("an empty PutRecords was accepted"));
      } else if (entries.isEmpty() || !entries.get(0).ok()) {
        String code = entries.isEmpty() ? "no entry" : entries.get(0).errorCode();
        findings.add(
            "kinesis:PutRecords",
            stream,
            Status.OK,
            true,
            "allowed: the test record was refused with "
                + code
                + " (a throughput or internal error, not a permission one); it was not stored");
      } else {
        findings.add(
            "kinesis:PutRecords",
            stream,
            Status.OK,
            true,
            "allowed: a test record (partition key "
                + AccessCheck.TEST_RECORD_PARTITION_KEY
                + ") was stored in "
                + entries.get(0).shardId()
                + ", sequence number "
                + entries.get(0).sequenceNumber());
      }
    } catch (RowstreamException e) {
      Refusal r = new Refusal(e);
      String code = r.awsCode();
      if (!r.answered()) {
        findings.add("kinesis:PutRecords", stream, Status.FAILED, true, r.explained());
      } else if (r.code() == ErrorCode.ACCESS_DENIED) {
        findings.add(
            "kinesis:PutRecords",
            stream,
            Status.DENIED,
            true,
            "denied ("
                + code
                + "). Rowstream cannot send: allow "
                + "kinesis:PutRecords on "
                + arn(stream, arn, r));
      } else if (r.code() == ErrorCode.STREAM_NOT_FOUND) {
        findings.add("stream", stream, Status.MISSING, true, notFound(stream));
      } else if (r.code() == ErrorCode.KMS_REFUSED) {
        findings.add("kinesis:PutRecords", stream, Status.DENIED, true, r.explained());
      } else if (!putTestRecord
          && ("ValidationException".equals(code)
              || "InvalidArgumentException".equals(code)
              || "SerializationException".equals(code))) {
        findings.add(
            "kinesis:PutRecords",
            stream,
            Status.NOT_VERIFIED,
            true,
            notVerified(
                "an empty PutRecords was answered " + code + ", not AccessDeniedException"));
      } else {
        findings.add("kinesis:PutRecords", stream, Status.FAILED, true, r.explained());
      }
    }
  }

  private static String notVerified(String what) {
    return "not verified without sending: "
        + what
        + ", but AWS may check a request's shape before its "
        + "permission, so this does not prove kinesis:PutRecords is allowed. To prove it, run again with "
        + "--put-test-record (puts one record with partition key "
        + AccessCheck.TEST_RECORD_PARTITION_KEY
        + ")";
  }

  private OutboundRecord testRecord() {
    String data =
        "{\"rowstream_check\": true, \"note\": \"test record from rowstream check; safe to ignore\", "
            + "\"destination\": \""
            + config.name()
            + "\", \"at\": \""
            + Instant.now()
            + "\"}";
    return new OutboundRecord(
        data.getBytes(StandardCharsets.UTF_8),
        AccessCheck.TEST_RECORD_PARTITION_KEY,
        Optional.empty());
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
  private String arn(String stream, Optional<String> known, Refusal refusal) {
    if (known.isPresent() && !known.get().isEmpty()) {
      return known.get();
    }
    Optional<String> named = refusal.deniedResource();
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

  /**
   * A probe's failure, as the check reads it: whether Kinesis answered at all, its code in the one
   * taxonomy, the error code Kinesis gave and its own message.
   */
  private record Refusal(RowstreamException error) {
    /** Kinesis answered with an error, as opposed to no answer or no credentials to ask with. */
    boolean answered() {
      if (error instanceof KinesisErrors.Classified c) {
        return c.service().isPresent();
      }
      return error instanceof DestinationException d && d.answered();
    }

    /** No answer because the credentials could not be had. */
    boolean credentialsFailed() {
      return code() == ErrorCode.CREDENTIALS_MISSING
          || code() == ErrorCode.CREDENTIAL_SOURCE_FAILED;
    }

    ErrorCode code() {
      return error.code();
    }

    /** The error code Kinesis gave, or the HTTP status when it gave none. */
    String awsCode() {
      if (error instanceof KinesisErrors.Classified c && c.service().isPresent()) {
        String code = c.service().get().code();
        return code == null ? "HTTP " + c.httpStatus() : code;
      }
      return error instanceof DestinationException d ? d.errorCode() : "HTTP 0";
    }

    /** The classified message: what failed, and what to do. */
    String explained() {
      return error.getMessage();
    }

    /** The resource an access-denied answer names, for the policy statement to add. */
    Optional<String> deniedResource() {
      String message =
          error instanceof KinesisErrors.Classified c
              ? c.service().map(KinesisErrors.Classified.Service::message).orElse(null)
              : null;
      if (message == null) {
        return Optional.empty();
      }
      Matcher m = DENIED_RESOURCE.matcher(message);
      return m.find() ? Optional.of(m.group(1).replaceAll("[.,;]+$", "")) : Optional.empty();
    }
  }
}
