package io.rowstream.run;

import io.rowstream.config.SyncConfig;
import io.rowstream.state.SyncIdentity;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Says what a run will do when a sync's stream or primary key changed since rows were delivered.
 */
final class IdentityCheck {
  private IdentityCheck() {}

  static List<String> notices(SyncConfig sync, Optional<SyncIdentity> recorded, long delivered) {
    List<String> notices = new ArrayList<>();
    if (recorded.isEmpty() || delivered == 0) {
      return notices;
    }
    SyncIdentity was = recorded.get();
    if (!was.stream().equals(sync.stream())) {
      notices.add(
          "sync "
              + sync.name()
              + " now sends to stream '"
              + sync.stream()
              + "', but its "
              + delivered
              + " delivered rows went to stream '"
              + was.stream()
              + "': only rows that change from now on are sent to '"
              + sync.stream()
              + "'. To send every row to '"
              + sync.stream()
              + "', run `rowstream reset "
              + sync.name()
              + "` first");
    }
    if (!was.primaryKey().equals(sync.primaryKey())) {
      notices.add(
          "sync "
              + sync.name()
              + " now keys rows by '"
              + sync.primaryKey()
              + "', but its "
              + delivered
              + " delivered rows are keyed by '"
              + was.primaryKey()
              + "': each delivered row is planned as removed "
              + "(old key) and each row of the model as added (new key). To send only the additions, run `rowstream "
              + "reset "
              + sync.name()
              + "` first");
    }
    return notices;
  }
}
