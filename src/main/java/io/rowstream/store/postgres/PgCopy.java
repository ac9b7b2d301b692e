package io.rowstream.store.postgres;

import io.rowstream.plan.RowHash;
import io.rowstream.source.ModelCursor;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.LongConsumer;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/** Streams a model's rows into the session's staging table with COPY, a buffer at a time. */
final class PgCopy {
  /** Text handed to the server per write; COPY streams, so memory stays at about this. */
  static final int BUFFER_CHARS = 1 << 20;

  /** Rows between two progress reports. */
  static final int PROGRESS_ROWS = 4096;

  private PgCopy() {}

  /**
   * Copies every row of {@code cursor} with a key into {@code pg_temp.model (pk, h, row)}, h being
   * the {@link RowHash} of the row's JSON text. Returns rows read and rows without a key.
   */
  static long[] stage(Connection connection, ModelCursor cursor, LongConsumer progress)
      throws SQLException {
    CopyIn copy =
        connection
            .unwrap(PGConnection.class)
            .getCopyAPI()
            .copyIn("copy pg_temp.model (pk, h, row) from stdin");
    long rows = 0;
    long nullKeys = 0;
    StringBuilder buffer = new StringBuilder(BUFFER_CHARS + 4096);
    try {
      while (cursor.next()) {
        rows++;
        String key = cursor.key();
        if (key == null) {
          nullKeys++;
          continue;
        }
        String row = cursor.rowJson();
        Pg.copyText(buffer, key);
        buffer.append('\t').append(RowHash.of(row)).append('\t');
        Pg.copyText(buffer, row);
        buffer.append('\n');
        if (buffer.length() >= BUFFER_CHARS) {
          write(copy, buffer);
        }
        if (rows % PROGRESS_ROWS == 0) {
          progress.accept(rows);
        }
      }
      write(copy, buffer);
      copy.endCopy();
      progress.accept(rows);
      return new long[] {rows, nullKeys};
    } finally {
      if (copy.isActive()) {
        copy.cancelCopy();
      }
    }
  }

  private static void write(CopyIn copy, StringBuilder buffer) throws SQLException {
    byte[] bytes = buffer.toString().getBytes(StandardCharsets.UTF_8);
    copy.writeToCopy(bytes, 0, bytes.length);
    buffer.setLength(0);
  }
}
