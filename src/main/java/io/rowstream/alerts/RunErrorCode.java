package io.rowstream.alerts;

import io.rowstream.core.ErrorCode;
import io.rowstream.run.RunSummary;
import java.util.Locale;
import java.util.Optional;

/**
 * The {@link ErrorCode} of a failed run: the summary's {@code error_code} when it carries one, else
 * recognized from the message the run gave (the messages of the Kinesis gateway, the sources and
 * the state are fixed texts).
 */
final class RunErrorCode {
  private RunErrorCode() {}

  static Optional<String> of(RunSummary run) {
    if (run.error().isEmpty()) {
      return Optional.empty();
    }
    var given = run.toJson().get("error_code");
    if (given != null && given.isTextual() && !given.asText().isEmpty()) {
      return Optional.of(given.asText());
    }
    return fromMessage(run.error().get()).map(ErrorCode::code);
  }

  static Optional<ErrorCode> fromMessage(String message) {
    String m = message.toLowerCase(Locale.ROOT);
    if (m.contains("stream '") && m.contains("was not found")) {
      return Optional.of(ErrorCode.STREAM_NOT_FOUND);
    }
    if (m.startsWith("access denied")) {
      return Optional.of(ErrorCode.ACCESS_DENIED);
    }
    if (m.contains("credentials of destination") && m.contains("were refused")) {
      return Optional.of(ErrorCode.CREDENTIALS_REFUSED);
    }
    if (m.startsWith("no aws credentials")) {
      return Optional.of(ErrorCode.CREDENTIALS_MISSING);
    }
    if (m.contains("kms key refused")) {
      return Optional.of(ErrorCode.KMS_REFUSED);
    }
    if (m.contains("cannot reach the kinesis endpoint")
        || m.contains("no answer from the kinesis endpoint")) {
      return Optional.of(ErrorCode.ENDPOINT_UNREACHABLE);
    }
    if (m.contains("throttl")) {
      return Optional.of(ErrorCode.THROTTLED);
    }
    if (m.contains("is in use by another")) {
      return Optional.of(ErrorCode.STATE_LOCKED);
    }
    if (m.contains("cannot create the state folder")) {
      return Optional.of(ErrorCode.STATE_UNWRITABLE);
    }
    if (m.startsWith("source ") && (m.contains("cannot connect") || m.contains("driver class"))) {
      return Optional.of(ErrorCode.SOURCE_UNREACHABLE);
    }
    if (m.startsWith("source ") || m.contains("primary key column")) {
      return Optional.of(ErrorCode.SOURCE_QUERY_FAILED);
    }
    if (m.contains("uses column")) {
      return Optional.of(ErrorCode.MISSING_COLUMN);
    }
    return Optional.empty();
  }
}
