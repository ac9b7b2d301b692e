package io.rowstream.run;

import io.rowstream.config.SyncConfig;
import io.rowstream.core.ErrorCode;
import io.rowstream.core.RowstreamException;
import io.rowstream.message.MessageRenderer;
import java.util.List;

/** The model's columns a sync's message and keys use, checked against what its query returns. */
final class RequiredColumns {
  private RequiredColumns() {}

  static void check(SyncConfig sync, MessageRenderer renderer, List<String> columns) {
    for (String column : renderer.requiredColumns()) {
      if (columns.stream().noneMatch(column::equals)) {
        throw RowstreamException.fatal(
            ErrorCode.MISSING_COLUMN,
            "sync "
                + sync.name()
                + ": the message or a key uses column '"
                + column
                + "' but the query returns only: "
                + String.join(", ", columns));
      }
    }
  }
}
