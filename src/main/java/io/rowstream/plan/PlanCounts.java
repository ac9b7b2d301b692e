package io.rowstream.plan;

/** How many rows the model has and how many events of each kind they make. */
public record PlanCounts(
    long rowsQueried,
    long added,
    long changed,
    long removed,
    long nullKeys,
    long duplicateKeyRows) {}
