package io.rowstream.message;

import static java.util.Objects.requireNonNull;

import io.rowstream.delivery.OutboundRecord;

/** A row turned into a record, or the reason it could not be. */
public sealed interface Rendered {
  /** A record ready to send: data is UTF-8 JSON. */
  record Record(OutboundRecord record) implements Rendered {
    public Record {
      requireNonNull(record, "record is null");
    }
  }

  /** {@code reason} is a code from {@link io.rowstream.core.Rejection}. */
  record Invalid(String reason, String message) implements Rendered {
    public Invalid {
      requireNonNull(reason, "reason is null");
      requireNonNull(message, "message is null");
    }
  }
}
