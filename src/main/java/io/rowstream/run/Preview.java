package io.rowstream.run;

import static java.util.Objects.requireNonNull;

import io.rowstream.config.RowstreamConfig;
import io.rowstream.config.SyncConfig;
import io.rowstream.core.EventType;
import io.rowstream.core.RowstreamException;
import io.rowstream.message.MessageRenderer;
import io.rowstream.message.Rendered;
import io.rowstream.plan.PlannedEvent;
import io.rowstream.source.ModelCursor;
import io.rowstream.source.Source;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders the first rows of a sync's model as a run would, without sending anything or reading or
 * changing its state: what {@code rowstream preview} shows.
 */
public final class Preview {
  /** The run id templates see in a preview. */
  public static final String RUN_ID = "preview";

  private final RowstreamConfig config;
  private final Clock clock;

  public Preview(RowstreamConfig config, Clock clock) {
    this.config = requireNonNull(config, "config is null");
    this.clock = requireNonNull(clock, "clock is null");
  }

  /** One previewed row: its primary key, the row as JSON, and its record or why it is invalid. */
  public record Row(String key, String row, Rendered rendered) {
    public Row {
      requireNonNull(row, "row is null");
      requireNonNull(rendered, "rendered is null");
    }
  }

  /**
   * The first {@code limit} rows of the model, rendered as {@code op} events.
   *
   * @throws RowstreamException FATAL when the query fails or lacks a column the message needs
   */
  public List<Row> render(String syncName, int limit, EventType op) {
    SyncConfig sync = config.sync(syncName);
    MessageRenderer renderer =
        MessageRenderer.forRun(
            sync,
            new MessageRenderer.RunInfo(
                RUN_ID, clock.instant().truncatedTo(ChronoUnit.MILLIS).toString()));
    String query = "select * from (" + sync.query() + ") as rowstream_preview limit " + limit;
    List<Row> rows = new ArrayList<>();
    try (Source source = Source.connect(config.source(sync.source()));
        ModelCursor cursor = source.open(query, sync.primaryKey())) {
      RequiredColumns.check(sync, renderer, cursor.columns());
      while (rows.size() < limit && cursor.next()) {
        String key = cursor.key();
        String row = cursor.rowJson();
        rows.add(
            new Row(
                key,
                row,
                key == null
                    ? new Rendered.Invalid(
                        io.rowstream.core.Rejection.NULL_PRIMARY_KEY,
                        "the primary key " + sync.primaryKey() + " is NULL")
                    : renderer.render(new PlannedEvent(op, key, row))));
      }
    }
    return rows;
  }
}
