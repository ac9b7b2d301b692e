package io.rowstream.store.duckdb;

import io.rowstream.state.SyncDocuments;
import io.rowstream.state.SyncDocumentsContract;
import java.nio.file.Path;

class JsonFileDocumentsTest extends SyncDocumentsContract {
  @Override
  protected SyncDocuments open(Path dir) {
    return new JsonFileDocuments(dir);
  }
}
