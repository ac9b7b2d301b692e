package io.rowstream.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.LayoutBase;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.LoggerFactory;

/**
 * Turns logging on for {@code serve} (the CLI stays quiet: logback.xml logs nothing): Rowstream at
 * INFO and libraries at WARN, to stderr, as text or as one JSON object per line for log shippers.
 * Every line is scrubbed of the config's secret values, whatever put them there.
 */
public final class Logging {
  /** How log lines look. */
  public enum Format {
    TEXT,
    JSON
  }

  private Logging() {}

  public static void configureForServe(Format format, Supplier<List<String>> secrets) {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    context.reset();
    Layout layout = new Layout(format, secrets);
    layout.setContext(context);
    layout.start();
    LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
    encoder.setContext(context);
    encoder.setLayout(layout);
    encoder.start();
    ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
    appender.setContext(context);
    appender.setName("stderr");
    appender.setTarget("System.err");
    appender.setEncoder(encoder);
    appender.start();
    ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.WARN);
    root.addAppender(appender);
    context.getLogger("io.rowstream").setLevel(Level.INFO);
    // a port in use is reported by `serve` itself, in one line
    context.getLogger("io.javalin.Javalin").setLevel(Level.OFF);
  }

  static final class Layout extends LayoutBase<ILoggingEvent> {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Format format;
    private final Supplier<List<String>> secrets;

    Layout(Format format, Supplier<List<String>> secrets) {
      this.format = format;
      this.secrets = secrets;
    }

    @Override
    public String doLayout(ILoggingEvent event) {
      String message = event.getFormattedMessage();
      IThrowableProxy thrown = event.getThrowableProxy();
      String stack = thrown == null ? null : ThrowableProxyUtil.asString(thrown);
      String line;
      if (format == Format.JSON) {
        ObjectNode o = JSON.createObjectNode();
        o.put("ts", Instant.ofEpochMilli(event.getTimeStamp()).toString());
        o.put("level", event.getLevel().toString());
        o.put("logger", event.getLoggerName());
        o.put("thread", event.getThreadName());
        o.put("message", message);
        for (Map.Entry<String, String> e : event.getMDCPropertyMap().entrySet()) {
          o.put(e.getKey(), e.getValue());
        }
        if (stack != null) {
          o.put("stack", stack);
        }
        try {
          line = JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
          line = "{\"message\": \"unloggable event\"}";
        }
      } else {
        StringBuilder b = new StringBuilder();
        b.append(Instant.ofEpochMilli(event.getTimeStamp()))
            .append(' ')
            .append(String.format("%-5s", event.getLevel()))
            .append(' ')
            .append(shortName(event.getLoggerName()))
            .append(" - ")
            .append(message);
        if (stack != null) {
          b.append(System.lineSeparator()).append(stack);
        }
        line = b.toString();
      }
      return scrub(line) + System.lineSeparator();
    }

    private String scrub(String line) {
      String out = line;
      for (String secret : secrets.get()) {
        if (secret.length() >= 4 && out.contains(secret)) {
          out = out.replace(secret, "****");
        }
      }
      return out;
    }

    private static String shortName(String logger) {
      return logger.startsWith("io.rowstream.")
          ? logger.substring("io.rowstream.".length())
          : logger;
    }
  }
}
