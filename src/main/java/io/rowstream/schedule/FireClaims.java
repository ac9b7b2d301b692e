package io.rowstream.schedule;

import java.time.Instant;

/**
 * Which worker starts the run of a schedule that fell due, when several {@code serve} processes
 * share one state: exactly one of them wins each fire. A lone process wins every fire ({@link
 * #SOLO}).
 */
@FunctionalInterface
public interface FireClaims {
  /** Every fire is this process's: one {@code serve} alone on its state. */
  FireClaims SOLO = (sync, fire) -> true;

  /**
   * Whether this worker runs the fire of {@code sync}'s schedule at {@code fire}: the time on the
   * schedule's grid, the same in every worker for the same fire. Must not throw; a claim that
   * cannot be decided (the state database is down) is lost.
   */
  boolean claim(String sync, Instant fire);
}
