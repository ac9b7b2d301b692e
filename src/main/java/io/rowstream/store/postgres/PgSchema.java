package io.rowstream.store.postgres;

import java.util.List;

/**
 * The shared state's tables, every one keyed by sync so one database serves many syncs and workers.
 * Created if missing; never altered in place (a new column gets a new statement here).
 */
final class PgSchema {
  private PgSchema() {}

  static List<String> statements(String s) {
    return List.of(
        "create schema if not exists " + s,
        // the delivered state: per key, the row Kinesis last acknowledged and its fingerprint
        "create table if not exists "
            + s
            + ".delivered (sync text not null, pk text not null, h bigint not null,"
            + " row text not null, primary key (sync, pk))",
        // acknowledgements not yet folded into delivered (a killed run leaves them behind)
        "create table if not exists "
            + s
            + ".acks (sync text not null, seq bigserial, pk text not null, op text not null,"
            + " h bigint, row text)",
        "create index if not exists acks_sync on " + s + ".acks (sync, seq)",
        "create table if not exists "
            + s
            + ".meta (sync text not null, key text not null, value text,"
            + " primary key (sync, key))",
        // small JSON documents per sync (alert states)
        "create table if not exists "
            + s
            + ".documents (sync text not null, name text not null, body text not null,"
            + " updated_at timestamptz not null default now(), primary key (sync, name))",
        // the run history, as the embedded one's (store.sqlite.HistorySchema) with a sync column
        "create table if not exists "
            + s
            + ".runs (sync text not null, run_id text not null, started_at text not null,"
            + " started_ms bigint not null, finished_at text, status text not null,"
            + " phase text not null, pid bigint, reported_ms bigint, rows bigint not null default 0,"
            + " added_planned bigint not null default 0, added_sent bigint not null default 0,"
            + " added_rejected bigint not null default 0,"
            + " changed_planned bigint not null default 0, changed_sent bigint not null default 0,"
            + " changed_rejected bigint not null default 0,"
            + " removed_planned bigint not null default 0, removed_sent bigint not null default 0,"
            + " removed_rejected bigint not null default 0, skipped bigint not null default 0,"
            + " invalid bigint not null default 0, error text, summary text,"
            + " primary key (sync, run_id))",
        "create index if not exists runs_by_start on "
            + s
            + ".runs (sync, started_ms desc, run_id desc)",
        "create table if not exists "
            + s
            + ".run_reasons (sync text not null, run_id text not null, reason text not null,"
            + " n bigint not null, primary key (sync, run_id, reason))",
        "create table if not exists "
            + s
            + ".rejections (sync text not null, run_id text not null, pk text, op text,"
            + " reason text not null, message text not null)",
        "create index if not exists rejections_by_run on " + s + ".rejections (sync, run_id, pk)",
        "create index if not exists rejections_by_key on " + s + ".rejections (sync, pk)",
        "create table if not exists "
            + s
            + ".calls (sync text not null, run_id text not null, seq bigint not null,"
            + " operation text not null, started_ms bigint not null,"
            + " duration_ms double precision not null, attempt int, http_status int,"
            + " request_id text, records int, bytes bigint, failed text, error text, keys text,"
            + " data text, primary key (sync, run_id, seq))",
        "create table if not exists "
            + s
            + ".call_keys (sync text not null, run_id text not null, pk text not null,"
            + " seq bigint not null, idx int not null, event text, shard text,"
            + " sequence_number text, error_code text, error_message text,"
            + " primary key (sync, run_id, pk, seq, idx))");
  }
}
