package io.rowstream.kinesis;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.config.DestinationConfig;
import io.rowstream.core.ErrorCode;
import io.rowstream.core.RowstreamException.Kind;
import io.rowstream.delivery.DestinationException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;

class KinesisErrorsTest {
  private static final DestinationConfig CONFIG =
      new DestinationConfig(
          "events",
          "eu-west-1",
          Optional.of(URI.create("http://127.0.0.1:4567")),
          Optional.empty());

  private static AwsServiceException service(String code, int status) {
    return AwsServiceException.builder()
        .statusCode(status)
        .requestId("req-42")
        .awsErrorDetails(
            AwsErrorDetails.builder().errorCode(code).errorMessage("details of " + code).build())
        .build();
  }

  private static KinesisErrors.Classified classify(Exception e) {
    return KinesisErrors.classify(
        (software.amazon.awssdk.core.exception.SdkException) e, "PutRecords", "orders", CONFIG);
  }

  @ParameterizedTest
  @CsvSource({
    "ThrottlingException, 400",
    "LimitExceededException, 400",
    "ProvisionedThroughputExceededException, 400",
    "KMSThrottlingException, 400",
    "InternalFailure, 500",
    "ServiceUnavailable, 503",
    ", 502",
    ", 429"
  })
  void throttlingAndServerErrorsAreRetryableAndKeepTheirStatusAndRequestId(
      String code, int status) {
    KinesisErrors.Classified e = classify(service(code, status));
    assertThat(e.kind()).isEqualTo(Kind.RETRYABLE);
    assertThat(e.httpStatus()).isEqualTo(status);
    assertThat(e.requestId()).contains("req-42");
    assertThat(e.getMessage())
        .startsWith("PutRecords failed in region eu-west-1 at http://127.0.0.1:4567: ");
  }

  @ParameterizedTest
  @CsvSource({
    "ResourceNotFoundException, stream 'orders' was not found in region eu-west-1",
    "AccessDeniedException, access denied: the credentials of destination events may not call kinesis:PutRecords on stream 'orders'",
    "KMSDisabledException, stream 'orders' is encrypted and its KMS key refused the request (KMSDisabledException",
    "KMSInvalidStateException, its KMS key refused the request (KMSInvalidStateException",
    "KMSAccessDeniedException, its KMS key refused the request (KMSAccessDeniedException",
    "KMSNotFoundException, its KMS key refused the request (KMSNotFoundException",
    "KMSOptInRequired, its KMS key refused the request (KMSOptInRequired",
    "UnrecognizedClientException, the credentials of destination events were refused (UnrecognizedClientException)",
    "InvalidSignatureException, were refused (InvalidSignatureException)",
    "ExpiredTokenException, were refused (ExpiredTokenException)",
    "IncompleteSignature, were refused (IncompleteSignature)"
  })
  void aMissingStreamDeniedAccessKmsAndCredentialErrorsAreFatalAndNameTheCause(
      String code, String message) {
    KinesisErrors.Classified e = classify(service(code, 400));
    assertThat(e.kind()).isEqualTo(Kind.FATAL);
    assertThat(e.errorCode()).isEqualTo(code);
    assertThat(e.getMessage()).contains(message);
  }

  @Test
  void aTimeoutIsRetryableWithoutAResponse() {
    KinesisErrors.Classified e = classify(ApiCallAttemptTimeoutException.create(1000));
    assertThat(e.kind()).isEqualTo(Kind.RETRYABLE);
    assertThat(e.errorCode()).isEqualTo("RequestTimeout");
    assertThat(e.httpStatus()).isZero();
    assertThat(e.answered()).isFalse();

    KinesisErrors.Classified read =
        classify(SdkClientException.create("read", new SocketTimeoutException("Read timed out")));
    assertThat(read.errorCode()).isEqualTo("RequestTimeout");
  }

  @Test
  void aRefusedOrLostConnectionIsRetryableWithoutAResponse() {
    KinesisErrors.Classified e =
        classify(
            SdkClientException.create(
                "Unable to execute HTTP request", new ConnectException("Connection refused")));
    assertThat(e.kind()).isEqualTo(Kind.RETRYABLE);
    assertThat(e.errorCode()).isEqualTo(DestinationException.NO_RESPONSE);
    assertThat(e.getMessage())
        .isEqualTo(
            "cannot reach the Kinesis endpoint in region eu-west-1 at http://127.0.0.1:4567: ConnectException: Connection refused");
  }

  @Test
  void anUnknownRequestErrorIsFatalNamingTheCode() {
    KinesisErrors.Classified e = classify(service("ValidationException", 400));
    assertThat(e.kind()).isEqualTo(Kind.FATAL);
    assertThat(e.getMessage())
        .isEqualTo(
            "PutRecords was refused in region eu-west-1 at http://127.0.0.1:4567: "
                + "ValidationException: details of ValidationException");
  }

  @Test
  void everyClassifiedErrorCarriesItsCodeFromTheOneTaxonomy() {
    assertThat(classify(service("ResourceNotFoundException", 400)).code())
        .isEqualTo(ErrorCode.STREAM_NOT_FOUND);
    assertThat(classify(service("KMSThrottlingException", 400)).code())
        .isEqualTo(ErrorCode.THROTTLED);
    assertThat(classify(service("ValidationException", 400)).code())
        .isEqualTo(ErrorCode.REQUEST_REFUSED);
    assertThat(classify(ApiCallAttemptTimeoutException.create(1000)).code())
        .isEqualTo(ErrorCode.ENDPOINT_UNREACHABLE);
  }

  @Test
  void anEndpointWhoseHostDoesNotResolveIsNotRetried() {
    KinesisErrors.Classified e =
        classify(
            SdkClientException.create(
                "Unable to execute HTTP request",
                new UnknownHostException("kinesis.nowhere.invalid")));

    assertThat(e.kind()).isEqualTo(Kind.FATAL);
    assertThat(e.code()).isEqualTo(ErrorCode.ENDPOINT_UNREACHABLE);
    assertThat(e.getMessage()).contains("UnknownHostException: kinesis.nowhere.invalid");
  }
}
