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
            + " updated_at timestamptz not null default now(), primary key (sync, name))");
  }
}
