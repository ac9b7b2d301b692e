package io.rowstream.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rowstream.testing.FakeSts;
import io.rowstream.testing.KinesisEmulator;
import io.rowstream.testing.RecordingForwarder;
import io.rowstream.testing.SharedEmulators;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rowstream check DEST} against kinesalite behind a forwarder that can refuse operations.
 */
class CheckCommandIT {
  @RegisterExtension static final SharedEmulators EMULATORS = new SharedEmulators();
  private static final AtomicInteger STREAMS = new AtomicInteger();

  @TempDir Path dir;
  private RecordingForwarder kinesis;
  private FakeSts sts;
  private String stream;

  @AfterEach
  void stop() {
    if (kinesis != null) {
      kinesis.close();
    }
    if (sts != null) {
      sts.close();
    }
  }

  private Project project() {
    KinesisEmulator emulator = EMULATORS.kinesalite();
    stream = "check-" + STREAMS.incrementAndGet();
    emulator.createStream(stream, 2);
    kinesis = RecordingForwarder.start(emulator.endpoint());
    return project(
        kinesis.endpoint(),
        """
        access_key_id: AKIAEXAMPLESOURCE123
        secret_access_key: never-shown-secret
        """);
  }

  private Project project(String endpoint, String credentials) {
    return new Project(dir)
        .config(
            endpoint,
            credentials,
            """
        customers:
          source: model
          table: customers
          primary_key: id
          destination: kinesis
          stream: %s
        """
                .formatted(stream));
  }

  private static String line(Project.Result r, String check) {
    return r.out()
        .lines()
        .filter(l -> l.trim().split("\\s+").length > 1 && l.trim().split("\\s+")[1].equals(check))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no line for " + check + " in:\n" + r.out()));
  }

  @Test
  void withEveryPermissionItExitsZeroNamesTheCredentialsAndPutsNothing() {
    Project p = project();

    Project.Result r = p.cli("check", "kinesis");

    assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
    assertThat(r.out())
        .startsWith("destination kinesis: region us-east-1, endpoint " + kinesis.endpoint());
    assertThat(line(r, "credentials")).contains("ok").contains("static keys; access key ****E123");
    assertThat(line(r, "endpoint")).contains("ok").contains("reachable");
    assertThat(line(r, "kinesis:ListStreams")).contains("ok").contains("allowed:");
    assertThat(line(r, "stream"))
        .contains(stream + ": ACTIVE, 2 open shard(s), arn:aws:kinesis:us-east-1:");
    assertThat(line(r, "kinesis:ListShards")).contains("ok").contains("allowed: 2 shard(s)");
    assertThat(line(r, "kinesis:PutRecords"))
        .contains("unverified")
        .contains("not verified without sending")
        .contains("--put-test-record");
    assertThat(r.out())
        .contains("result: nothing required is missing as far as can be seen without sending")
        .doesNotContain("never-shown-secret")
        .doesNotContain("AKIAEXAMPLESOURCE123");
    assertThat(EMULATORS.kinesalite().readAll(stream)).isEmpty();
  }

  @Test
  void aDeniedListShardsIsNamedWithTheStatementToAddAndStillExitsZero() {
    Project p = project();
    kinesis.deny("ListShards");

    Project.Result r = p.cli("check", "kinesis");

    assertThat(r.exitCode()).isZero();
    assertThat(line(r, "kinesis:ListShards"))
        .contains("denied")
        .contains(
            stream
                + ": denied (AccessDeniedException). "
                + "Rowstream still works, but cannot pace each shard exactly: allow kinesis:ListShards on "
                + "arn:aws:kinesis:us-east-1:");
  }

  @Test
  void aDeniedPutRecordsExitsOneAndNamesTheStreamArn() {
    Project p = project();
    kinesis.deny("PutRecords").deny("DescribeStreamSummary");

    Project.Result r = p.cli("check", "kinesis");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(line(r, "kinesis:PutRecords"))
        .contains("denied")
        .endsWith(
            stream
                + ": denied (AccessDeniedException). "
                + "Rowstream cannot send: allow kinesis:PutRecords on arn:aws:kinesis:us-east-1:123456789012:stream/"
                + stream);
    assertThat(line(r, "stream"))
        .contains("unverified")
        .contains("kinesis:DescribeStreamSummary is denied");
    assertThat(r.out()).contains("result: missing: kinesis:PutRecords on " + stream);
    assertThat(kinesis.requests("PutRecords"))
        .singleElement()
        .satisfies(put -> assertThat(put.body()).contains("\"Records\":[]"));
  }

  @Test
  void aDeniedListStreamsExitsOne() {
    Project p = project();
    kinesis.deny("ListStreams");

    Project.Result r = p.cli("check", "kinesis", "--json");

    assertThat(r.exitCode()).isEqualTo(1);
    JsonNode report = SyncScenarios.parse(r.out());
    assertThat(report.get("ok").asBoolean()).isFalse();
    assertThat(report.get("access_key_id").asText()).isEqualTo("****E123");
    assertThat(report.get("findings"))
        .anySatisfy(
            f -> {
              assertThat(f.get("check").asText()).isEqualTo("kinesis:ListStreams");
              assertThat(f.get("status").asText()).isEqualTo("denied");
              assertThat(f.get("required").asBoolean()).isTrue();
            });
  }

  @Test
  void putTestRecordProvesPutRecordsWithOneLabelledRecord() {
    Project p = project();

    Project.Result r = p.cli("check", "kinesis", "--put-test-record");

    assertThat(r.exitCode()).isZero();
    assertThat(line(r, "kinesis:PutRecords"))
        .contains("ok")
        .contains(
            "allowed: a test record (partition key " + "rowstream-check) was stored in shardId-");
    assertThat(r.out()).contains("result: every required permission is there");
    assertThat(EMULATORS.kinesalite().readAll(stream))
        .singleElement()
        .satisfies(
            rec -> {
              assertThat(rec.partitionKey()).isEqualTo("rowstream-check");
              assertThat(rec.data()).contains("\"rowstream_check\": true");
            });
  }

  @Test
  void aMissingStreamExitsOneWithHowToCreateIt() {
    Project p = project();

    Project.Result r = p.cli("check", "kinesis", "--stream", "no-such-stream");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(line(r, "stream"))
        .contains("missing")
        .contains("stream 'no-such-stream' does not exist in region " + "us-east-1")
        .contains("rowstream streams kinesis --create no-such-stream");
  }

  @Test
  void anUnreachableEndpointExitsOneNamingIt() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    stream = "unreachable";
    Project p = project("http://127.0.0.1:" + port, "access_key_id: a\nsecret_access_key: b\n");

    Project.Result r = p.cli("check", "kinesis");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(line(r, "endpoint"))
        .contains("failed")
        .contains("cannot reach the Kinesis endpoint");
  }

  @Test
  void anAssumedRoleIsReportedWithItsSessionKeyMasked() {
    KinesisEmulator emulator = EMULATORS.kinesalite();
    stream = "check-role";
    emulator.createStream(stream, 1);
    kinesis = RecordingForwarder.start(emulator.endpoint());
    sts = FakeSts.start(Duration.ofHours(1));
    Project p =
        project(
            kinesis.endpoint(),
            """
        access_key_id: AKIAEXAMPLESOURCE123
        secret_access_key: never-shown-secret
        role_arn: arn:aws:iam::210987654321:role/rowstream
        external_id: ext-never-shown-in-full
        sts_endpoint: %s
        """
                .formatted(sts.endpoint()));
    kinesis.deny("ListShards").deny("DescribeStreamSummary");

    Project.Result r = p.cli("check", "kinesis");
    Project.Result streams = p.cli("streams", "kinesis");

    assertThat(r.exitCode()).as(r.out()).isZero();
    assertThat(line(r, "credentials"))
        .contains(
            "role arn:aws:iam::210987654321:role/rowstream (session "
                + "rowstream-kinesis, 60m, external id ****full) assumed with static keys through STS at "
                + sts.endpoint()
                + "; access key ****0001 (temporary session)");
    assertThat(line(r, "kinesis:ListShards"))
        .contains("arn:aws:kinesis:us-east-1:123456789012:stream/check-role");
    assertThat(r.out())
        .doesNotContain("ext-never-shown-in-full")
        .doesNotContain("never-shown-secret");
    assertThat(streams.exitCode()).isZero();
    assertThat(streams.out()).contains("check-role");
    assertThat(kinesis.requests("ListStreams"))
        .allSatisfy(q -> assertThat(q.securityToken()).isPresent());
  }

  @Test
  void aConfigErrorExitsTwo() throws IOException {
    Project p = project("http://127.0.0.1:1", "role_arn: not-an-arn\n");
    Files.writeString(dir.resolve("unused"), "");

    Project.Result r = p.cli("check", "kinesis");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("credentials.role_arn: 'not-an-arn' is not an IAM role ARN");
  }

  @Test
  void aNamedProfileSignsStreamsAndCheck() throws IOException {
    Path credentials = dir.resolve("aws-credentials");
    Files.writeString(
        credentials,
        """
        [default]
        aws_access_key_id = AKIADEFAULTNOTUSED00
        aws_secret_access_key = default-secret
        [rowstream-test]
        aws_access_key_id = AKIAPROFILEKEY000042
        aws_secret_access_key = profile-secret-never-shown
        """);
    String before = System.setProperty("aws.sharedCredentialsFile", credentials.toString());
    try {
      Project p = project();
      project(kinesis.endpoint(), "profile: rowstream-test\n");

      Project.Result streams = p.cli("streams", "kinesis");
      Project.Result check = p.cli("check", "kinesis");

      assertThat(streams.exitCode()).as(streams.err()).isZero();
      assertThat(streams.out()).contains(stream);
      assertThat(check.exitCode()).as(check.out()).isZero();
      assertThat(line(check, "credentials"))
          .contains("profile 'rowstream-test'; access key ****0042");
      assertThat(check.out()).doesNotContain("profile-secret-never-shown");
      assertThat(kinesis.requests())
          .isNotEmpty()
          .allSatisfy(q -> assertThat(q.accessKeyId()).isEqualTo("AKIAPROFILEKEY000042"));
    } finally {
      restore("aws.sharedCredentialsFile", before);
    }
  }

  @Test
  void withoutACredentialsBlockTheDefaultChainIsUsed() {
    String id = System.setProperty("aws.accessKeyId", "AKIACHAINKEY00000077");
    String secret = System.setProperty("aws.secretAccessKey", "chain-secret-never-shown");
    try {
      Project p = project();
      project(kinesis.endpoint(), "");

      Project.Result streams = p.cli("streams", "kinesis");
      Project.Result check = p.cli("check", "kinesis");

      assertThat(streams.exitCode()).as(streams.err()).isZero();
      assertThat(line(check, "credentials")).contains("AWS default chain; access key ****0077");
      assertThat(kinesis.requests())
          .isNotEmpty()
          .allSatisfy(q -> assertThat(q.accessKeyId()).isEqualTo("AKIACHAINKEY00000077"));
    } finally {
      restore("aws.accessKeyId", id);
      restore("aws.secretAccessKey", secret);
    }
  }

  private static void restore(String property, String value) {
    if (value == null) {
      System.clearProperty(property);
    } else {
      System.setProperty(property, value);
    }
  }
}
