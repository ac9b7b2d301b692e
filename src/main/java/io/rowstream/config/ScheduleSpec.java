package io.rowstream.config;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;

/**
 * When {@code rowstream serve} runs a sync by itself: never ({@link Manual}, the default: only the
 * API or the CLI start it), on a 5-field UNIX cron in UTC, every fixed period, or after other syncs
 * have succeeded. Parsed and checked when the config is read; {@code io.rowstream.schedule} turns
 * it into fire times.
 */
public sealed interface ScheduleSpec {
  /** The shortest {@code every} period: a shorter one would be a busy loop, not a schedule. */
  Duration MIN_EVERY = Duration.ofSeconds(10);

  ScheduleSpec MANUAL = new Manual();

  /** How the config writes it, e.g. {@code every 15m}, {@code after: [a, b]}. */
  String describe();

  /** Only API or CLI triggers. */
  record Manual() implements ScheduleSpec {
    @Override
    public String describe() {
      return "manual";
    }
  }

  /** A 5-field UNIX cron expression in UTC, already validated. */
  record Cron(String expression) implements ScheduleSpec {
    public Cron {
      requireNonNull(expression, "expression is null");
    }

    @Override
    public String describe() {
      return expression;
    }
  }

  /** A fixed period from the last scheduled start. */
  record Every(Duration period, String text) implements ScheduleSpec {
    public Every {
      requireNonNull(period, "period is null");
      requireNonNull(text, "text is null");
    }

    @Override
    public String describe() {
      return text;
    }
  }

  /** Run when every listed sync has succeeded since this one last started. */
  record After(List<String> syncs) implements ScheduleSpec {
    public After {
      syncs = List.copyOf(syncs);
    }

    @Override
    public String describe() {
      return "after: [" + String.join(", ", syncs) + "]";
    }
  }
}
