package io.rowstream.store.sqlite;

import io.rowstream.history.HistoryReader;
import io.rowstream.history.RunHistory;
import io.rowstream.history.RunHistoryContract;
import java.nio.file.Path;
import java.time.Clock;

class SqliteHistoryTest extends RunHistoryContract {
  @Override
  protected RunHistory openWriter(Path dir, String sync, Clock clock) {
    return SqliteHistory.open(dir, sync, clock);
  }

  @Override
  protected HistoryReader openReader(Path dir, String sync, Clock clock) {
    return SqliteHistory.reader(dir, sync, clock);
  }
}
