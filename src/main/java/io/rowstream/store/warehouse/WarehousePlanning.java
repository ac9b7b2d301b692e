package io.rowstream.store.warehouse;

import static java.util.Objects.requireNonNull;

import io.rowstream.config.RowstreamConfig;
import io.rowstream.config.SourceConfig;
import io.rowstream.history.HistoryReader;
import io.rowstream.history.RunHistory;
import io.rowstream.state.SyncDocuments;
import io.rowstream.store.StateBackend;
import io.rowstream.store.SyncStore;
import java.time.Clock;
import java.util.Optional;

/**
 * The config's state backend, except that a sync whose source has {@code planning: warehouse} keeps
 * its delivered state (and plans) in that source: {@link WarehouseState} for PostgreSQL, {@link
 * MariaState} for MariaDB and MySQL. Its run history and documents stay with the config's backend.
 */
public final class WarehousePlanning implements StateBackend {
  private final StateBackend inner;
  private final RowstreamConfig config;

  private WarehousePlanning(StateBackend inner, RowstreamConfig config) {
    this.inner = requireNonNull(inner, "inner is null");
    this.config = requireNonNull(config, "config is null");
  }

  /** {@code inner}, or {@code inner} with warehouse planning when a source of the config has it. */
  public static StateBackend over(StateBackend inner, RowstreamConfig config) {
    boolean any = config.sources().values().stream().anyMatch(s -> s.planning().inWarehouse());
    return any ? new WarehousePlanning(inner, config) : inner;
  }

  private Optional<SourceConfig> warehouse(String sync) {
    return Optional.ofNullable(config.syncs().get(sync))
        .map(s -> config.source(s.source()))
        .filter(s -> s.planning().inWarehouse());
  }

  @Override
  public SyncStore open(String sync) {
    Optional<SourceConfig> source = warehouse(sync);
    if (source.isEmpty()) {
      return inner.open(sync);
    }
    return source.get().type() == SourceConfig.Type.MYSQL
        ? MariaState.open(source.get(), sync)
        : WarehouseState.open(source.get(), sync);
  }

  @Override
  public SyncStore openReadOnly(String sync) {
    Optional<SourceConfig> source = warehouse(sync);
    if (source.isEmpty()) {
      return inner.openReadOnly(sync);
    }
    return source.get().type() == SourceConfig.Type.MYSQL
        ? MariaState.openReadOnly(source.get(), sync)
        : WarehouseState.openReadOnly(source.get(), sync);
  }

  @Override
  public RunHistory openHistory(SyncStore held, Clock clock) {
    return inner.openHistory(held, clock);
  }

  @Override
  public HistoryReader readHistory(String sync) {
    return inner.readHistory(sync);
  }

  @Override
  public SyncDocuments documents() {
    return inner.documents();
  }
}
