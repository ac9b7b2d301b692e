package io.rowstream.run;

/** Per event type: how many were planned (in {@code on:}), sent, and rejected. */
public record EventCounts(long planned, long sent, long rejected) {}
