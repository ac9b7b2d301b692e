package io.rowstream.delivery;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * A stream as DescribeStreamSummary describes it.
 *
 * @param status {@code CREATING}, {@code ACTIVE}, {@code UPDATING} or {@code DELETING}, as AWS
 *     spells it
 * @param kmsKeyId the KMS key the stream is encrypted with, when it is
 */
public record StreamSummary(
    String arn,
    String status,
    int openShards,
    Optional<String> kmsKeyId,
    int httpStatus,
    Optional<String> requestId)
    implements Answer {
  public StreamSummary {
    requireNonNull(status, "status is null");
    requireNonNull(kmsKeyId, "kmsKeyId is null");
    requestId = requestId == null ? Optional.empty() : requestId;
  }

  public boolean active() {
    return "ACTIVE".equals(status);
  }

  /** Whether records can be put now: ACTIVE, or UPDATING (a reshard in progress). */
  public boolean writable() {
    return active() || "UPDATING".equals(status);
  }
}
