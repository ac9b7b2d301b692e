package io.rowstream.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.config.DestinationConfig;
import io.rowstream.config.DestinationConfig.AssumeRole;
import io.rowstream.config.DestinationConfig.Credentials;
import io.rowstream.core.Secret;
import io.rowstream.delivery.OutboundRecord;
import io.rowstream.delivery.PutResult;
import io.rowstream.kinesis.KinesisDestination;
import io.rowstream.testing.FakeSts;
import io.rowstream.testing.KinesisEmulator;
import io.rowstream.testing.RecordingForwarder;
import io.rowstream.testing.SharedEmulators;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cross-account role assumed through a local STS, with a recording forwarder in front of
 * kinesalite to see how each PutRecords was signed.
 */
class RoleAssumptionIT {
  @RegisterExtension static final SharedEmulators EMULATORS = new SharedEmulators();

  private static final String ROLE = "arn:aws:iam::123456789012:role/rowstream-writer";
  private static final String SOURCE_KEY = "AKIASOURCEKEY0000001";
  private static final String SOURCE_SECRET = "source-secret-never-printed";
  private static final String EXTERNAL_ID = "ext-6f2c0e0a-shared-with-the-vendor";

  /**
   * The background renewal starts 5 minutes before expiry (CredentialSource.ROLE_PREFETCH_TIME).
   */
  private static final Duration PREFETCH = Duration.ofMinutes(5);

  @TempDir Path dir;
  private FakeSts sts;
  private RecordingForwarder kinesis;

  @AfterEach
  void stop() {
    if (sts != null) {
      sts.close();
    }
    if (kinesis != null) {
      kinesis.close();
    }
  }

  private KinesisEmulator kinesalite(String stream) {
    KinesisEmulator emulator = EMULATORS.kinesalite();
    emulator.createStream(stream, 1);
    return emulator;
  }

  @Test
  void aRunAssumesTheRoleAndSignsEveryPutRecordsWithTheSessionCredentials() {
    KinesisEmulator emulator = kinesalite("role-events");
    sts = FakeSts.start(Duration.ofHours(1));
    kinesis = RecordingForwarder.start(emulator.endpoint());
    Project p =
        new Project(dir)
            .sql(
                "create table customers as select i as id, 'n' || i as name from range(1, 1201) t(i)")
            .config(
                kinesis.endpoint(),
                """
            access_key_id: %s
            secret_access_key: %s
            role_arn: %s
            external_id: %s
            session_name: rowstream-test
            session_duration: 30m
            sts_endpoint: %s
            """
                    .formatted(SOURCE_KEY, SOURCE_SECRET, ROLE, EXTERNAL_ID, sts.endpoint()),
                """
            customers:
              source: model
              table: customers
              primary_key: id
              destination: kinesis
              stream: role-events
            """);

    Project.Result run = p.cli("run", "customers", "--json");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(SyncScenarios.parse(run.out()).path("added").path("sent").asInt()).isEqualTo(1200);
    FakeSts.Request assume = sts.requests().get(0);
    assertThat(assume.param("Action")).isEqualTo("AssumeRole");
    assertThat(assume.param("RoleArn")).isEqualTo(ROLE);
    assertThat(assume.param("ExternalId")).isEqualTo(EXTERNAL_ID);
    assertThat(assume.param("RoleSessionName")).isEqualTo("rowstream-test");
    assertThat(assume.param("DurationSeconds")).isEqualTo("1800");
    assertThat(assume.signedBy()).isEqualTo(SOURCE_KEY);
    assertThat(sts.requests()).hasSize(1);

    List<RecordingForwarder.Request> puts = kinesis.requests("PutRecords");
    assertThat(puts)
        .hasSizeGreaterThanOrEqualTo(3)
        .allSatisfy(
            put -> {
              assertThat(put.accessKeyId()).isEqualTo("ASIAFAKESESSION0001");
              assertThat(put.securityToken()).contains("fake-session-token-1");
            });
    assertThat(run.out() + run.err())
        .doesNotContain(SOURCE_SECRET)
        .doesNotContain(EXTERNAL_ID)
        .doesNotContain("fake-session");
  }

  @Test
  void theSessionIsRenewedBeforeItExpiresAndLaterCallsUseTheNewToken() throws InterruptedException {
    KinesisEmulator emulator = kinesalite("role-refresh");
    // Each session is due for renewal 3 seconds after it is issued.
    sts = FakeSts.start(PREFETCH.plusSeconds(3));
    kinesis = RecordingForwarder.start(emulator.endpoint());
    DestinationConfig config =
        new DestinationConfig(
            "events",
            "us-east-1",
            Optional.of(URI.create(kinesis.endpoint())),
            Optional.of(
                new Credentials(
                    Optional.of(SOURCE_KEY),
                    Optional.of(new Secret(SOURCE_SECRET)),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.of(
                        new AssumeRole(
                            ROLE,
                            Optional.of(new Secret(EXTERNAL_ID)),
                            "rowstream-events",
                            Duration.ofMinutes(15),
                            Optional.of(sts.endpoint()))))));

    try (KinesisDestination destination = KinesisDestination.connect(config)) {
      put(destination, "first");
      Instant deadline = Instant.now().plusSeconds(30);
      while (sts.sessions().size() < 2 && Instant.now().isBefore(deadline)) {
        put(destination, "meanwhile");
        Thread.sleep(250);
      }
      assertThat(sts.sessions())
          .as("a second AssumeRole before the first session expired")
          .hasSizeGreaterThanOrEqualTo(2);
      assertThat(sts.sessions().get(1).expiration()).isAfter(sts.sessions().get(0).expiration());
      assertThat(Instant.now())
          .isBefore(sts.sessions().get(0).expiration().minus(Duration.ofMinutes(4)));
      put(destination, "after");
    }

    List<RecordingForwarder.Request> puts = kinesis.requests("PutRecords");
    assertThat(puts.get(0).securityToken()).contains("fake-session-token-1");
    assertThat(puts.get(puts.size() - 1).securityToken()).contains("fake-session-token-2");
    assertThat(puts.get(puts.size() - 1).accessKeyId()).isEqualTo("ASIAFAKESESSION0002");
    assertThat(sts.requests())
        .allSatisfy(
            r -> {
              assertThat(r.param("RoleArn")).isEqualTo(ROLE);
              assertThat(r.param("DurationSeconds")).isEqualTo("900");
              assertThat(r.signedBy()).isEqualTo(SOURCE_KEY);
            });
  }

  @Test
  void aRoleTheSourceMayNotAssumeFailsTheRunNamingTheRoleAndTheTrustPolicy() {
    KinesisEmulator emulator = kinesalite("role-denied");
    sts = FakeSts.start(Duration.ofHours(1));
    sts.refuse(
        "User: arn:aws:iam::111111111111:user/etl is not authorized to perform: sts:AssumeRole on resource: "
            + ROLE);
    kinesis = RecordingForwarder.start(emulator.endpoint());
    Project p =
        new Project(dir)
            .sql("create table customers as select i as id from range(1, 4) t(i)")
            .config(
                kinesis.endpoint(),
                """
            access_key_id: %s
            secret_access_key: %s
            role_arn: %s
            external_id: %s
            sts_endpoint: %s
            """
                    .formatted(SOURCE_KEY, SOURCE_SECRET, ROLE, EXTERNAL_ID, sts.endpoint()),
                """
            customers:
              source: model
              table: customers
              primary_key: id
              destination: kinesis
              stream: role-denied
            """);

    Project.Result run = p.cli("run", "customers", "--json");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(SyncScenarios.parse(run.out()).path("error").asText())
        .contains(
            "destination kinesis could not assume role "
                + ROLE
                + " with its source credentials (static keys)")
        .contains("AccessDenied")
        .contains("trust policy must allow sts:AssumeRole");
    assertThat(run.out() + run.err()).doesNotContain(SOURCE_SECRET).doesNotContain(EXTERNAL_ID);
    assertThat(kinesis.requests("PutRecords")).isEmpty();
  }

  private static void put(KinesisDestination destination, String key) {
    PutResult result =
        destination.putRecords(
            "role-refresh",
            List.of(
                new OutboundRecord(
                    "{\"k\":\"%s\"}".formatted(key).getBytes(StandardCharsets.UTF_8),
                    key,
                    Optional.empty())));
    assertThat(result.entries()).allSatisfy(e -> assertThat(e.ok()).isTrue());
  }
}
