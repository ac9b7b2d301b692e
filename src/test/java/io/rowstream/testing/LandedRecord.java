package io.rowstream.testing;

/**
 * One record as read back from a stream with GetRecords.
 *
 * @param shardId the shard the record was read from
 * @param partitionKey the partition key the producer sent
 * @param explicitHashKey the explicit hash key, or {@code null}; the GetRecords API has no such
 *     field, so records read from AWS, kinesalite or kinesis-mock always carry {@code null}
 * @param sequenceNumber the sequence number the stream assigned
 * @param data the payload decoded as UTF-8
 */
public record LandedRecord(
    String shardId,
    String partitionKey,
    String explicitHashKey,
    String sequenceNumber,
    String data) {}
