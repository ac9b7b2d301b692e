package io.rowstream.source;

/** DuckDB's stored microseconds of a TIMESTAMP (wall time) or TIMESTAMPTZ (an instant). */
record DuckMicros(long micros, boolean instant) {}
