package io.rowstream.state;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Which worker runs which sync when several {@code rowstream serve} processes share one state: a
 * lease per sync, held by one worker for one run and kept alive by heartbeats, and once-tokens
 * (claims) so that a schedule fires on one worker only.
 *
 * <p>Contract, in order:
 *
 * <ol>
 *   <li>{@link #acquire} grants the lease of a sync to at most one worker at a time: only when no
 *       one holds it, its holder released it, or it expired (its holder stopped renewing: killed,
 *       hung, cut off). Time is the state database's clock, never a worker's.
 *   <li>{@link #renew} extends a granted lease by its TTL from now, and says {@code false} once it
 *       expired or another worker took it over: the holder must then stop sending at once.
 *   <li>{@link #release} ends a lease when its run ended, so another worker may take the sync at
 *       once.
 *   <li>{@link #claim} returns {@code true} to exactly one of all callers that ever claim the same
 *       {@code (sync, token)}.
 *   <li>{@link #abandoned} lists leases that expired without a release: runs that were interrupted,
 *       for some worker to take over (each claimed once, by {@link LeaseGrant#takeoverToken()}).
 * </ol>
 *
 * <p>Every method may throw a {@code RowstreamException} when the state database cannot be reached.
 * Thread-safe.
 */
public interface WorkerLeases extends AutoCloseable {
  /** Takes the lease of {@code sync} for {@code ttl}, for run {@code runId}; empty when held. */
  Optional<LeaseGrant> acquire(String sync, String worker, String runId, Duration ttl);

  /** Extends {@code grant} by {@code ttl} from now; false when it is no longer held. */
  boolean renew(LeaseGrant grant, Duration ttl);

  /** Ends {@code grant}; nothing happens when it was already lost. */
  void release(LeaseGrant grant);

  /**
   * Ends {@code grant} as unfinished (its run stopped before it was done, e.g. the service stops):
   * it expires now, so another worker takes the sync over without waiting for the TTL.
   */
  void handOver(LeaseGrant grant);

  /** Whether {@code worker} is the one caller that wins {@code token} of {@code sync}. */
  boolean claim(String sync, String token, String worker);

  /** Leases that expired without a release, oldest first. */
  List<LeaseGrant> abandoned();

  @Override
  void close();

  /**
   * A lease as granted: {@code generation} counts the grants of the sync's lease (each new holder
   * gets the next), {@code tookOverFrom} names the worker whose expired lease this one replaced.
   */
  record LeaseGrant(
      String sync,
      String worker,
      String runId,
      long generation,
      Instant expiresAt,
      Optional<String> tookOverFrom) {
    public LeaseGrant {
      requireNonNull(sync, "sync is null");
      requireNonNull(worker, "worker is null");
      requireNonNull(runId, "runId is null");
      requireNonNull(expiresAt, "expiresAt is null");
      requireNonNull(tookOverFrom, "tookOverFrom is null");
    }

    /** The token that the takeover of this lease, once it expired, is claimed by. */
    public String takeoverToken() {
      return "takeover:" + generation;
    }
  }
}
