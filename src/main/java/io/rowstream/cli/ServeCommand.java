package io.rowstream.cli;

import io.rowstream.config.RowstreamConfig;
import io.rowstream.core.RowstreamException;
import io.rowstream.kinesis.KinesisDestination;
import io.rowstream.server.Logging;
import io.rowstream.server.RowstreamServer;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import sun.misc.Signal;

@Command(
    name = "serve",
    description =
        "Run as a service: syncs on their schedules, the REST API, /healthz and /metrics.",
    footer = {
      "Runs until SIGTERM or SIGINT: then no new run starts; running syncs stop",
      "reading, let their in-flight requests answer, commit what was acknowledged",
      "and are recorded as cancelled; exit 0 within 30 s.",
      "Exit codes: 0 stopped, 1 could not serve, 2 usage or config error."
    })
final class ServeCommand implements Callable<Integer> {
  /** How long running syncs get to stop after SIGTERM: the whole stop stays within 30 s. */
  static final Duration STOP_GRACE = Duration.ofSeconds(25);

  @Mixin ConfigOption config;

  @Option(
      names = "--log-format",
      paramLabel = "FORMAT",
      defaultValue = "text",
      description = "text (default) or json: one JSON object per line, for log shippers")
  String logFormat;

  @Override
  public Integer call() throws InterruptedException {
    Logging.Format format =
        switch (logFormat) {
          case "text" -> Logging.Format.TEXT;
          case "json" -> Logging.Format.JSON;
          default ->
              throw RowstreamException.user(
                  "--log-format '" + logFormat + "' is not valid; valid: text, json");
        };
    RowstreamConfig c = config.load();
    c.server()
        .unusable()
        .ifPresent(
            problem -> {
              throw RowstreamException.user(c.file() + ": " + problem);
            });
    Logging.configureForServe(format, () -> c.secretValues());
    CountDownLatch stop = new CountDownLatch(1);
    AtomicReference<String> reason = new AtomicReference<>("stopped");
    for (String name : new String[] {"TERM", "INT"}) {
      Signal.handle(
          new Signal(name),
          signal -> {
            reason.compareAndSet("stopped", "SIG" + signal.getName());
            stop.countDown();
          });
    }
    RowstreamServer server;
    try {
      server = RowstreamServer.start(c, KinesisDestination::connect, Clock.systemUTC());
    } catch (RuntimeException e) {
      if (e.getCause() instanceof java.net.BindException
          || String.valueOf(e.getMessage()).contains("Failed to bind")
          || String.valueOf(e.getMessage()).contains("already in use")) {
        throw RowstreamException.fatal(
            "cannot listen on "
                + c.server().bind()
                + ":"
                + c.server().port()
                + " (in use, or not an address of this machine); change server.port or server.bind");
      }
      throw e;
    }
    stop.await();
    server.stop(STOP_GRACE, reason.get());
    return Main.EXIT_OK;
  }
}
