package io.rowstream.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rowstream.delivery.Destination;
import io.rowstream.delivery.ProducerSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class SendingTest {
  /**
   * The runs of {@code serve} (up to twice the cores at once) start their sending side at the same
   * time: no run's destination opening (credentials, ListShards, maybe a slow endpoint) waits for
   * another's, as it would on the common pool, which has one thread fewer than the cores.
   */
  @Test
  void everyRunOpensItsDestinationAtTheSameTimeAsTheOthers() {
    int runs = 2 * Runtime.getRuntime().availableProcessors() + 1;
    CountDownLatch allOpening = new CountDownLatch(runs);
    Supplier<Destination> open =
        () -> {
          allOpening.countDown();
          try {
            if (!allOpening.await(60, TimeUnit.SECONDS)) {
              throw new IllegalStateException("not every run started opening");
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          throw new IllegalStateException("all opening");
        };
    List<Sending> started = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      started.add(
          Sending.start(
              open, "s", ProducerSettings.defaults(), null, null, null, null, "run", null, null));
    }

    for (Sending sending : started) {
      assertThatThrownBy(sending::started).hasMessage("all opening");
    }
    assertThat(allOpening.getCount()).isZero();
  }
}
