package io.rowstream.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the config file by its modification time and size, once a second (editors replace files
 * in ways that file events miss), and calls back on each change.
 */
final class ConfigWatcher implements AutoCloseable {
  static final Duration INTERVAL = Duration.ofSeconds(1);
  private static final Logger LOG = LoggerFactory.getLogger(ConfigWatcher.class);

  private final Path file;
  private final Runnable onChange;
  private final Thread thread;
  private volatile boolean closed;

  ConfigWatcher(Path file, Runnable onChange) {
    this.file = file;
    this.onChange = onChange;
    this.thread = new Thread(this::loop, "rowstream-config-watcher");
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  private String stamp() {
    try {
      BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
      return a.lastModifiedTime().toMillis() + "/" + a.size() + "/" + a.fileKey();
    } catch (IOException e) {
      return "missing";
    }
  }

  private void loop() {
    String seen = stamp();
    while (!closed) {
      try {
        Thread.sleep(INTERVAL.toMillis());
      } catch (InterruptedException e) {
        return;
      }
      String now = stamp();
      if (!Objects.equals(now, seen)) {
        seen = now;
        LOG.info("{} changed; reloading", file);
        try {
          onChange.run();
        } catch (RuntimeException e) {
          LOG.error("reloading {} failed", file, e);
        }
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    thread.interrupt();
  }
}
