package io.rowstream.testing;

import io.rowstream.testing.KinesisEmulator.Kind;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Shares emulators across the tests of one class: each kind is started on first use and stopped
 * after the class's last test, whether the tests passed or not.
 *
 * <pre>{@code
 * class SomethingIT {
 *     @RegisterExtension
 *     static final SharedEmulators EMULATORS = new SharedEmulators();
 *
 *     @Test
 *     void a_test() {
 *         KinesisEmulator kinesis = EMULATORS.kinesalite();
 *         kinesis.createStream("orders", 2);
 *         ...
 *     }
 * }
 * }</pre>
 *
 * The field must be static: JUnit only calls class-level callbacks on extensions in static fields.
 * Streams live on for the rest of the class, so tests should use stream names of their own.
 */
public final class SharedEmulators implements BeforeAllCallback, AfterAllCallback {

  private final Map<Kind, KinesisEmulator> running = new EnumMap<>(Kind.class);
  // A start that failed once fails the same way again; remember it instead of waiting out every
  // test.
  private final Map<Kind, RuntimeException> failedStarts = new EnumMap<>(Kind.class);
  private String owner;

  /** The running emulator of this kind, started on first call. */
  public synchronized KinesisEmulator get(Kind kind) {
    RuntimeException failure = failedStarts.get(kind);
    if (failure != null) {
      throw new IllegalStateException(kind + " failed to start earlier in this class", failure);
    }
    KinesisEmulator emulator = running.get(kind);
    if (emulator == null) {
      try {
        emulator = KinesisEmulator.start(kind);
      } catch (RuntimeException e) {
        failedStarts.put(kind, e);
        throw e;
      }
      running.put(kind, emulator);
    }
    return emulator;
  }

  public KinesisEmulator kinesalite() {
    return get(Kind.KINESALITE);
  }

  public KinesisEmulator kinesisMock() {
    return get(Kind.KINESIS_MOCK);
  }

  @Override
  public synchronized void beforeAll(ExtensionContext context) {
    // @Nested classes inherit the extension and get their own afterAll; only the outermost class
    // may stop.
    if (owner == null) {
      owner = context.getUniqueId();
    }
  }

  @Override
  public synchronized void afterAll(ExtensionContext context) {
    if (owner != null && !owner.equals(context.getUniqueId())) {
      return;
    }
    owner = null;
    failedStarts.clear();
    List<RuntimeException> failures = new ArrayList<>();
    for (KinesisEmulator emulator : running.values()) {
      try {
        emulator.close();
      } catch (RuntimeException e) {
        failures.add(e);
      }
    }
    running.clear();
    if (!failures.isEmpty()) {
      RuntimeException first = failures.get(0);
      failures.subList(1, failures.size()).forEach(first::addSuppressed);
      throw first;
    }
  }
}
