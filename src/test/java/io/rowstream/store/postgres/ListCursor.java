package io.rowstream.store.postgres;

import io.rowstream.source.ModelCursor;
import java.util.List;

/** A model of given rows: each {key, rowJson}; a null key is a row whose key is NULL. */
final class ListCursor implements ModelCursor {
  private final List<String[]> rows;
  private int at = -1;

  ListCursor(List<String[]> rows) {
    this.rows = rows;
  }

  static String[] row(String key, String json) {
    return new String[] {key, json};
  }

  @Override
  public List<String> columns() {
    return List.of("id", "v");
  }

  @Override
  public boolean next() {
    return ++at < rows.size();
  }

  @Override
  public String key() {
    return rows.get(at)[0];
  }

  @Override
  public String rowJson() {
    return rows.get(at)[1];
  }

  @Override
  public void close() {}
}
