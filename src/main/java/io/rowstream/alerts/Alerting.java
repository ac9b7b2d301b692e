package io.rowstream.alerts;

import static java.util.Objects.requireNonNull;

import io.rowstream.alerts.AlertState.RunFigures;
import io.rowstream.alerts.AlertState.SentNotification;
import io.rowstream.alerts.AlertState.TriggerState;
import io.rowstream.alerts.Evaluator.Verdict;
import io.rowstream.alerts.channel.Channel;
import io.rowstream.alerts.channel.Channels;
import io.rowstream.alerts.channel.Notification;
import io.rowstream.config.AlertsConfig;
import io.rowstream.config.AlertsConfig.Level;
import io.rowstream.config.AlertsConfig.Recipient;
import io.rowstream.config.RowstreamConfig;
import io.rowstream.config.SyncConfig;
import io.rowstream.core.RowstreamException;
import io.rowstream.run.RunSummary;
import io.rowstream.state.SyncDocuments;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Alerting: evaluates a sync's triggers after each run (and {@code stale} on the clock), keeps each
 * trigger's state, and notifies each recipient once per change of state it receives, and once when
 * it recovers. The one way in for the command line and {@code serve}.
 *
 * <p>How to wire it:
 *
 * <ol>
 *   <li>Create one per config: {@link #create(RowstreamConfig)} (state in {@code
 *       STATE_DIR/SYNC.alerts.json}) or {@link #Alerting(RowstreamConfig, AlertStore, Settings,
 *       Clock)} for another {@link AlertStore}. It is thread-safe; calls for one sync are
 *       serialized, calls for different syncs run in parallel.
 *   <li>After every run, with its summary: {@link #afterRun(SyncConfig, RunSummary)}. It never
 *       throws and never changes the run: its outcome (and any error of its own) is in the {@link
 *       Report}. It blocks until every notification is delivered or the delivery budget ({@link
 *       Settings#budget}, 10 s by default) is spent; {@code serve} should call it off the thread
 *       that starts runs.
 *   <li>{@code serve} only: on its clock (e.g. every minute) {@link #checkStale(Instant)}, which
 *       evaluates {@code stale} for every sync and retries deliveries that failed before.
 *   <li>Read side: {@link #state(String)} (each trigger's state and the notifications with their
 *       outcome), {@link #deliveriesSent()} and {@link #deliveriesFailed()} for {@code /metrics}.
 * </ol>
 *
 * <p>Guarantees: a recipient is told a state once; a delivery that failed (after retries with
 * backoff within the budget) is recorded and tried again at the next evaluation until the recipient
 * has been told, unless the state changed back meanwhile. A crash between delivering and saving may
 * repeat a notification (at least once). Secrets never reach the state, the report or the
 * notifications.
 */
public final class Alerting {
  /**
   * How deliveries are bounded.
   *
   * @param budget for all the notifications of one evaluation, retries included
   * @param attemptTimeout of one HTTP request or SMTP connection/read
   * @param firstBackoff before the second attempt; doubled after each retryable failure, jittered
   * @param mailProperties extra Jakarta Mail properties (tests: {@code mail.smtp.ssl.trust})
   */
  public record Settings(
      Duration budget, Duration attemptTimeout, Duration firstBackoff, Properties mailProperties) {
    public static final Settings DEFAULTS =
        new Settings(
            Duration.ofSeconds(10),
            Duration.ofSeconds(5),
            Duration.ofMillis(250),
            new Properties());

    public Settings {
      requireNonNull(budget, "budget is null");
      requireNonNull(attemptTimeout, "attemptTimeout is null");
      requireNonNull(firstBackoff, "firstBackoff is null");
      requireNonNull(mailProperties, "mailProperties is null");
    }
  }

  /**
   * What one evaluation did.
   *
   * @param changed the triggers whose level changed, with their new state
   * @param sent every notification attempted, with its outcome
   * @param error alerting's own failure (e.g. its state file unreadable); the run is unaffected
   */
  public record Report(
      String sync,
      Map<Trigger, TriggerState> changed,
      List<SentNotification> sent,
      Optional<String> error) {
    public Report {
      changed = Map.copyOf(changed);
      sent = List.copyOf(sent);
    }
  }

  private final RowstreamConfig config;
  private final AlertsConfig alerts;
  private final AlertStore store;
  private final Clock clock;
  private final Map<String, Channel> channels = new LinkedHashMap<>();
  private final Deliverer deliverer;
  private final Scrubber scrubber;
  private final Map<String, Object> locks = new ConcurrentHashMap<>();
  private final AtomicLong sentCount = new AtomicLong();
  private final AtomicLong failedCount = new AtomicLong();

  public Alerting(RowstreamConfig config, AlertStore store, Settings settings, Clock clock) {
    this.config = requireNonNull(config, "config is null");
    this.alerts = config.alerts();
    this.store = requireNonNull(store, "store is null");
    this.clock = requireNonNull(clock, "clock is null");
    HttpClient http =
        HttpClient.newBuilder()
            .connectTimeout(settings.attemptTimeout())
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    Channels factory =
        new Channels(http, settings.attemptTimeout(), clock, settings.mailProperties());
    alerts.channels().forEach((name, c) -> channels.put(name, factory.create(c)));
    this.scrubber = new Scrubber(config.secretValues());
    this.deliverer = new Deliverer(settings.budget(), settings.firstBackoff(), scrubber);
  }

  /** Alerting with its state in {@code documents} (the state's) and the default delivery budget. */
  public static Alerting create(RowstreamConfig config, SyncDocuments documents) {
    return new Alerting(
        config, new DocumentAlertStore(documents), Settings.DEFAULTS, Clock.systemUTC());
  }

  /** Evaluates the triggers on a run's summary and notifies; never throws. */
  public Report afterRun(SyncConfig sync, RunSummary run) {
    synchronized (lock(sync.name())) {
      try {
        return store.locked(sync.name(), () -> evaluateRun(sync, run));
      } catch (RuntimeException e) {
        return new Report(
            sync.name(),
            Map.of(),
            List.of(),
            Optional.of(scrubber.scrub(String.valueOf(e.getMessage()))));
      }
    }
  }

  private Report evaluateRun(SyncConfig sync, RunSummary run) {
    AlertState state = store.load(sync.name());
    Map<Trigger, Verdict> verdicts =
        Evaluator.afterRun(alerts.triggersFor(sync), run, state.figures());
    Map<Trigger, TriggerState> changed = new EnumMap<>(Trigger.class);
    state = state.withTriggers(apply(state, verdicts, Optional.of(run.runId()), changed));
    boolean completed =
        run.status() == RunSummary.Status.SUCCEEDED
            || run.status() == RunSummary.Status.COMPLETED_WITH_ERRORS;
    RunFigures figures =
        completed
            ? state
                .figures()
                .afterCompletedRun(
                    Evaluator.durationMillis(run), run.rowsQueried(), instant(run.finishedAt()))
            : state.figures().seen(clock.instant());
    state = state.withFigures(figures);
    return notifyAndSave(sync, state, Optional.of(run), changed);
  }

  /**
   * For {@code serve}'s clock: evaluates {@code stale} for every sync (no completed run for longer
   * than its threshold) and retries notifications that failed before. Never throws.
   */
  public List<Report> checkStale(Instant now) {
    List<Report> reports = new ArrayList<>();
    for (SyncConfig sync : config.syncs().values()) {
      synchronized (lock(sync.name())) {
        try {
          reports.add(store.locked(sync.name(), () -> evaluateStale(sync, now)));
        } catch (RuntimeException e) {
          reports.add(
              new Report(
                  sync.name(),
                  Map.of(),
                  List.of(),
                  Optional.of(scrubber.scrub(String.valueOf(e.getMessage())))));
        }
      }
    }
    return reports;
  }

  private Report evaluateStale(SyncConfig sync, Instant now) {
    AlertState state = store.load(sync.name());
    state = state.withFigures(state.figures().seen(now));
    var th = alerts.triggersFor(sync).stale();
    Map<Trigger, Verdict> verdicts = new EnumMap<>(Trigger.class);
    if (!th.isOff() || state.level(Trigger.STALE) != Level.OK) {
      verdicts.put(
          Trigger.STALE,
          th.isOff()
              ? new Verdict(Level.OK, "trigger off")
              : Evaluator.stale(th, state.figures(), now));
    }
    Map<Trigger, TriggerState> changed = new EnumMap<>(Trigger.class);
    state = state.withTriggers(apply(state, verdicts, Optional.empty(), changed));
    return notifyAndSave(sync, state, Optional.empty(), changed);
  }

  /** Sends a test notification to one channel, now; the outcome is returned, not stored. */
  public SentNotification test(String channelName) {
    Channel channel = channels.get(channelName);
    if (channel == null) {
      throw RowstreamException.user(
          "no channel named '"
              + channelName
              + "' under alerts.channels"
              + (channels.isEmpty()
                  ? "; declare one first"
                  : "; the channels are: " + String.join(", ", channels.keySet())));
    }
    Instant now = clock.instant();
    Notification n =
        new Notification(
            UUID.randomUUID().toString(),
            "-",
            "test",
            Level.WARNING,
            Level.OK,
            "a test notification",
            now,
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            true);
    Deliverer.Outcome o = deliverer.deliver(List.of(new Deliverer.Task(channel, n))).get(0);
    count(o.delivered());
    return new SentNotification(
        now,
        "test",
        channelName,
        Level.OK,
        Level.WARNING,
        Optional.empty(),
        o.delivered(),
        o.attempts(),
        o.detail(),
        true);
  }

  /** A sync's stored alert state: each trigger, and the notifications sent with their outcome. */
  public AlertState state(String sync) {
    return store.load(sync);
  }

  public long deliveriesSent() {
    return sentCount.get();
  }

  public long deliveriesFailed() {
    return failedCount.get();
  }

  private Object lock(String sync) {
    return locks.computeIfAbsent(sync, s -> new Object());
  }

  private Map<Trigger, TriggerState> apply(
      AlertState state,
      Map<Trigger, Verdict> verdicts,
      Optional<String> runId,
      Map<Trigger, TriggerState> changed) {
    Map<Trigger, TriggerState> next = new EnumMap<>(Trigger.class);
    Instant now = clock.instant();
    verdicts.forEach(
        (trigger, v) -> {
          TriggerState before = state.triggers().get(trigger);
          String reason = scrubber.scrub(v.reason());
          if (before == null || before.level() != v.level()) {
            TriggerState s = new TriggerState(v.level(), now, reason, runId);
            next.put(trigger, s);
            if (before != null || v.level() != Level.OK) {
              changed.put(trigger, s);
            }
          } else {
            next.put(
                trigger, new TriggerState(before.level(), before.since(), reason, before.runId()));
          }
        });
    return next;
  }

  /** Notifies every recipient whose view of a trigger differs from what it was last told; saves. */
  private Report notifyAndSave(
      SyncConfig sync,
      AlertState state,
      Optional<RunSummary> run,
      Map<Trigger, TriggerState> changed) {
    List<Deliverer.Task> tasks = new ArrayList<>();
    for (Recipient r : alerts.recipientsFor(sync)) {
      Channel channel = channels.get(r.channel());
      for (Trigger trigger : Trigger.values()) {
        Level visible = visible(state.level(trigger), r.level());
        Level told =
            state.delivered().getOrDefault(AlertState.deliveredKey(trigger, r.channel()), Level.OK);
        if (visible != told && channel != null) {
          tasks.add(
              new Deliverer.Task(
                  channel,
                  notification(sync, trigger, state.triggers().get(trigger), visible, told, run)));
        }
      }
    }
    List<Deliverer.Outcome> outcomes = deliverer.deliver(tasks);
    List<SentNotification> sent = new ArrayList<>();
    for (int i = 0; i < tasks.size(); i++) {
      Notification n = tasks.get(i).notification();
      Deliverer.Outcome o = outcomes.get(i);
      count(o.delivered());
      Optional<String> runId =
          Optional.ofNullable(state.triggers().get(Trigger.of(n.trigger())))
              .flatMap(TriggerState::runId);
      sent.add(
          new SentNotification(
              n.at(),
              n.trigger(),
              tasks.get(i).channel().name(),
              n.previous(),
              n.level(),
              runId,
              o.delivered(),
              o.attempts(),
              o.detail(),
              false));
    }
    state = state.withOutcomes(sent);
    store.save(sync.name(), state);
    return new Report(sync.name(), changed, sent, Optional.empty());
  }

  private Notification notification(
      SyncConfig sync,
      Trigger trigger,
      TriggerState ts,
      Level level,
      Level previous,
      Optional<RunSummary> run) {
    Optional<String> setBy = ts == null ? Optional.empty() : ts.runId();
    Optional<RunSummary> theRun = run.filter(r -> setBy.filter(r.runId()::equals).isPresent());
    Optional<URI> link =
        setBy.flatMap(id -> alerts.publicUrl().map(u -> URI.create(u + "/runs/" + id)));
    return new Notification(
        UUID.randomUUID().toString(),
        sync.name(),
        trigger.code(),
        level,
        previous,
        ts == null ? "" : ts.reason(),
        clock.instant(),
        theRun.map(this::scrubbed),
        theRun.flatMap(RunErrorCode::of),
        link,
        false);
  }

  private RunSummary scrubbed(RunSummary r) {
    return r.error().isEmpty() ? r : r.toBuilder().error(r.error().map(scrubber::scrub)).build();
  }

  /** What a recipient of {@code receives} sees of a trigger at {@code level}. */
  static Level visible(Level level, Level receives) {
    return level.compareTo(receives) >= 0 ? level : Level.OK;
  }

  private void count(boolean delivered) {
    (delivered ? sentCount : failedCount).incrementAndGet();
  }

  private Instant instant(String text) {
    try {
      return Instant.parse(text);
    } catch (RuntimeException e) {
      return clock.instant();
    }
  }
}
