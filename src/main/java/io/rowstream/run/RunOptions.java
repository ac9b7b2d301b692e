package io.rowstream.run;

/**
 * How one run goes beyond the sync's config.
 *
 * @param fullResync forget the delivered state of every row first (as {@code rowstream reset}
 *     does), inside the run that holds the sync's state, then send every row of the model as added
 */
public record RunOptions(boolean fullResync) {
  /** An ordinary run. */
  public static final RunOptions DEFAULT = new RunOptions(false);

  /** A full resync. */
  public static final RunOptions FULL_RESYNC = new RunOptions(true);

  /**
   * What a run asked for by both {@code this} and {@code other} does: a full resync if either
   * asked.
   */
  public RunOptions merge(RunOptions other) {
    return fullResync || other.fullResync ? FULL_RESYNC : DEFAULT;
  }
}
