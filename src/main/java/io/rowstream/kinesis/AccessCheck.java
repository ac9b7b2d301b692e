package io.rowstream.kinesis;

import static java.util.Objects.requireNonNull;

import io.rowstream.config.DestinationConfig;
import io.rowstream.core.Redactor;
import io.rowstream.delivery.Destination;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * What a destination's credentials can do: which credentials are used, whether the endpoint
 * answers, and for each stream whether it exists and which of ListStreams, ListShards and
 * PutRecords are allowed, with what to change when one is not. Returns a {@link Report} value that
 * {@code rowstream check} prints and a web UI can show.
 *
 * <p>The credentials are resolved here; every probe of the Kinesis API is a call through the
 * gateway ({@link Destination}), made and worded by {@link AccessProbes}, so a decorator around the
 * gateway sees them like any other call.
 *
 * <p>PutRecords is probed with an empty request, which stores nothing: a refusal proves the
 * permission is missing, but an acceptance for validation does not prove it is there, since AWS may
 * validate a request before it authorizes it. Only {@code putTestRecord} proves it, by putting one
 * labelled record.
 */
public final class AccessCheck {
  /** The partition key of the record {@code --put-test-record} puts. */
  public static final String TEST_RECORD_PARTITION_KEY = "rowstream-check";

  /** How a check came out. */
  public enum Status {
    OK("ok"),
    DENIED("denied"),
    NOT_VERIFIED("unverified"),
    MISSING("missing"),
    FAILED("failed"),
    SKIPPED("skipped");

    private final String label;

    Status(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  /**
   * One check.
   *
   * @param check {@code credentials}, {@code endpoint}, {@code stream} or a permission such as
   *     {@code kinesis:PutRecords}
   * @param stream the stream it is about, if any
   * @param required whether Rowstream cannot send without it
   * @param detail what was found, and what to change if it is not OK; holds no secret
   */
  public record Finding(
      String check, Optional<String> stream, Status status, boolean required, String detail) {
    public Finding {
      requireNonNull(check, "check is null");
      requireNonNull(stream, "stream is null");
      requireNonNull(status, "status is null");
      requireNonNull(detail, "detail is null");
    }

    /** A required check that did not pass. */
    public boolean blocks() {
      return required
          && (status == Status.DENIED || status == Status.MISSING || status == Status.FAILED);
    }
  }

  /**
   * The outcome of a check of one destination.
   *
   * @param credentials how credentials were found, e.g. {@code role ... assumed with static keys}
   * @param accessKeyId the access key id used, masked to its last 4 characters, once resolved
   */
  public record Report(
      String destination,
      String region,
      String endpoint,
      String credentials,
      Optional<String> accessKeyId,
      List<Finding> findings) {
    public Report {
      findings = List.copyOf(findings);
    }

    /** Whether every required check passed: Rowstream can send with these credentials. */
    public boolean ok() {
      return findings.stream().noneMatch(Finding::blocks);
    }
  }

  private final DestinationConfig config;
  private final KinesisDestination destination;
  private final Findings findings = new Findings();

  private AccessCheck(DestinationConfig config, KinesisDestination destination) {
    this.config = config;
    this.destination = destination;
  }

  /**
   * Checks {@code config} against each of {@code streams}; with {@code putTestRecord}, puts one
   * record labelled as a test on each to prove PutRecords.
   */
  public static Report run(DestinationConfig config, List<String> streams, boolean putTestRecord) {
    return run(config, streams, putTestRecord, UnaryOperator.identity());
  }

  /** As above, the probes made through {@code around} the gateway (to record or measure them). */
  public static Report run(
      DestinationConfig config,
      List<String> streams,
      boolean putTestRecord,
      UnaryOperator<Destination> around) {
    try (KinesisDestination destination = KinesisDestination.connect(config)) {
      return run(destination, streams, putTestRecord, around);
    }
  }

  /**
   * As above, with a destination already connected (one client and one assumed-role session for a
   * page that also lists the streams); it stays open.
   */
  public static Report run(
      KinesisDestination destination,
      List<String> streams,
      boolean putTestRecord,
      UnaryOperator<Destination> around) {
    return new AccessCheck(destination.config(), destination)
        .check(around.apply(destination), streams, putTestRecord);
  }

  private Report check(Destination gateway, List<String> streams, boolean putTestRecord) {
    CredentialSource source = destination.credentials();
    String endpoint =
        config
            .endpoint()
            .map(Object::toString)
            .orElse("https://kinesis." + config.region() + ".amazonaws.com");
    Optional<String> keyId = Optional.empty();
    try {
      AwsCredentials resolved = source.provider().resolveCredentials();
      keyId = Optional.of(DestinationConfig.mask(resolved.accessKeyId()));
      findings.add(
          "credentials",
          null,
          Status.OK,
          true,
          source.description()
              + "; access key "
              + keyId.get()
              + (resolved instanceof AwsSessionCredentials ? " (temporary session)" : ""));
    } catch (SdkException e) {
      findings.add(
          "credentials",
          null,
          Status.FAILED,
          true,
          KinesisErrors.classify(e, "credentials", null, config).getMessage());
      return report(endpoint, keyId, streams);
    }
    AccessProbes probes = new AccessProbes(config, gateway, findings);
    if (!probes.listStreams()) {
      return report(endpoint, keyId, streams);
    }
    for (String stream : streams) {
      Optional<String> arn = probes.describe(stream);
      if (arn.isPresent() && arn.get().isEmpty()) {
        continue; // the stream does not exist: nothing else to check on it
      }
      probes.listShards(stream, arn);
      probes.putRecords(stream, arn, putTestRecord);
    }
    return report(endpoint, keyId, List.of());
  }

  private Report report(String endpoint, Optional<String> keyId, List<String> skippedStreams) {
    if (findings.all().stream().noneMatch(f -> f.check().equals("kinesis:ListStreams"))) {
      findings.add("kinesis:ListStreams", null, Status.SKIPPED, true, "not checked: see above");
    }
    for (String stream : skippedStreams) {
      findings.add("kinesis:PutRecords", stream, Status.SKIPPED, true, "not checked: see above");
    }
    // what servers answered may quote a secret: the report is safe to print, store or serve
    Redactor redactor = Redactor.of(config.secretValues());
    List<Finding> scrubbed =
        findings.all().stream()
            .map(
                f ->
                    new Finding(
                        f.check(),
                        f.stream(),
                        f.status(),
                        f.required(),
                        redactor.scrub(f.detail())))
            .toList();
    return new Report(
        config.name(),
        config.region(),
        redactor.scrub(endpoint),
        redactor.scrub(destination.credentials().description()),
        keyId,
        scrubbed);
  }

  /** The findings so far, in the order found. */
  static final class Findings {
    private final List<Finding> all = new ArrayList<>();

    void add(String check, String stream, Status status, boolean required, String detail) {
      all.add(new Finding(check, Optional.ofNullable(stream), status, required, detail));
    }

    List<Finding> all() {
      return all;
    }
  }
}
