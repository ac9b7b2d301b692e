package io.rowstream.run;

import io.rowstream.config.DestinationConfig;
import io.rowstream.delivery.ProducerSettings;

/** The producer settings of a run: the runner's, with what the destination changes in them. */
final class SendingSettings {
  private SendingSettings() {}

  static ProducerSettings of(ProducerSettings producerSettings, DestinationConfig destination) {
    ProducerSettings.Builder settings = producerSettings.toBuilder();
    DestinationConfig.Sending sending = destination.sending();
    sending.maxInFlight().ifPresent(settings::maxInFlight);
    sending.outageTimeout().ifPresent(settings::outageTimeout);
    sending
        .shardSharePercent()
        .ifPresent(
            percent ->
                settings.shardLimits(
                    (int)
                        Math.max(
                            1, (long) producerSettings.shardRecordsPerSecond() * percent / 100),
                    Math.max(1, producerSettings.shardBytesPerSecond() * percent / 100)));
    return settings.build();
  }
}
