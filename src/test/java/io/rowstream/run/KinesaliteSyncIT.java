package io.rowstream.run;

import io.rowstream.testing.KinesisEmulator;
import io.rowstream.testing.SharedEmulators;
import org.junit.jupiter.api.extension.RegisterExtension;

class KinesaliteSyncIT extends SyncScenarios {
  @RegisterExtension static final SharedEmulators EMULATORS = new SharedEmulators();

  @Override
  KinesisEmulator kinesis() {
    return EMULATORS.get(KinesisEmulator.Kind.KINESALITE);
  }

  @Override
  int rows() {
    return 2000;
  }
}
