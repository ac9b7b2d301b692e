package io.rowstream.server;

import io.rowstream.run.RunSummary;
import io.rowstream.schedule.RunListener;
import io.rowstream.schedule.ScheduledRun;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One log line when a run starts and one when it ends, with its summary; every line of a run
 * carries its ids.
 */
final class RunLog implements RunListener {
  private static final Logger LOG = LoggerFactory.getLogger("io.rowstream.run");

  private final Clock clock;

  RunLog(Clock clock) {
    this.clock = clock;
  }

  @Override
  public void started(ScheduledRun run) {
    MDC.put("sync", run.sync());
    MDC.put("run_id", run.runId());
    LOG.info(
        "run {} of {} started ({}, {} ms after it was due)",
        run.runId(),
        run.sync(),
        run.trigger().label(),
        run.startedAt().map(s -> Duration.between(run.due(), s).toMillis()).orElse(0L));
  }

  @Override
  public void finished(ScheduledRun run, RunSummary summary) {
    double seconds =
        run.startedAt()
            .map(s -> Duration.between(s, clock.instant()).toMillis() / 1000.0)
            .orElse(0.0);
    String line = "run " + run.runId() + " ended: " + summary.oneLine(seconds);
    switch (summary.status()) {
      case SUCCEEDED, CANCELLED -> LOG.info(line);
      default -> LOG.warn(line);
    }
    MDC.remove("sync");
    MDC.remove("run_id");
  }
}
