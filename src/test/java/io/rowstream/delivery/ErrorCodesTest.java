package io.rowstream.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.core.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ErrorCodesTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "ProvisionedThroughputExceededException",
        "ThrottlingException",
        "LimitExceededException",
        "KMSThrottlingException",
        "InternalFailure",
        "ServiceUnavailable",
        "RequestTimeout",
        "NoResponse"
      })
  void throttlingInternalFailuresTimeoutsAndLostConnectionsAreRetryable(String code) {
    assertThat(ErrorCodes.isRetryable(code, 400)).isTrue();
    assertThat(ErrorCodes.isFatal(code, 400)).isFalse();
  }

  @Test
  void serverErrorsAndTooManyRequestsAreRetryableWhateverTheirCode() {
    assertThat(ErrorCodes.isRetryable(null, 500)).isTrue();
    assertThat(ErrorCodes.isRetryable("Whatever", 503)).isTrue();
    assertThat(ErrorCodes.isThrottling(null, 429)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "ResourceNotFoundException",
        "AccessDeniedException",
        "KMSDisabledException",
        "KMSInvalidStateException",
        "KMSAccessDeniedException",
        "KMSNotFoundException",
        "KMSOptInRequired",
        "UnrecognizedClientException",
        "InvalidSignatureException",
        "ExpiredTokenException",
        "IncompleteSignature"
      })
  void aMissingStreamDeniedAccessAnUnusableKmsKeyAndBadCredentialsAreFatal(String code) {
    assertThat(ErrorCodes.isFatal(code, 400)).isTrue();
    assertThat(ErrorCodes.isRetryable(code, 400)).isFalse();
  }

  @Test
  void onlyKmsThrottlingAmongKmsCodesIsRetryable() {
    assertThat(ErrorCodes.isKms("KMSThrottlingException")).isFalse();
    assertThat(ErrorCodes.isThrottling("KMSThrottlingException", 400)).isTrue();
  }

  @Test
  void aRecordLevelValidationErrorIsNeitherRetryableNorFatal() {
    assertThat(ErrorCodes.isRetryable("InvalidArgumentException", 400)).isFalse();
    assertThat(ErrorCodes.isFatal("InvalidArgumentException", 400)).isFalse();
  }

  @ParameterizedTest
  @CsvSource({
    "ProvisionedThroughputExceededException, 400, THROTTLED, THROTTLED",
    "KMSThrottlingException, 400, THROTTLED, THROTTLED",
    ", 429, THROTTLED, THROTTLED",
    "InternalFailure, 500, SERVICE_ERROR, RETRY",
    ", 503, SERVICE_ERROR, RETRY",
    "NoResponse, 0, ENDPOINT_UNREACHABLE, RETRY",
    "RequestTimeout, 0, ENDPOINT_UNREACHABLE, RETRY",
    "ExpiredTokenException, 400, CREDENTIALS_REFUSED, FATAL",
    "InvalidClientTokenId, 403, CREDENTIALS_REFUSED, FATAL",
    "ResourceNotFoundException, 400, STREAM_NOT_FOUND, FATAL",
    "KMSAccessDeniedException, 400, KMS_REFUSED, FATAL",
    "KMSAccessDeniedException, 403, KMS_REFUSED, FATAL",
    "AccessDeniedException, 400, ACCESS_DENIED, FATAL",
    "AccessDenied, 403, ACCESS_DENIED, FATAL",
    ", 403, ACCESS_DENIED, FATAL",
    "ValidationException, 400, REQUEST_REFUSED, REFUSED",
    "InvalidArgumentException, 400, REQUEST_REFUSED, REFUSED"
  })
  void oneChainGivesEveryAwsErrorItsCodeAndHandling(
      String code, int status, ErrorCode expected, ErrorCodes.Handling handling) {
    ErrorCodes.Classification c = ErrorCodes.classify(code, status);

    assertThat(c.code()).isEqualTo(expected);
    assertThat(c.handling()).isEqualTo(handling);
  }

  @Test
  void kmsThrottlingIsThrottlingEverywhereNeverADenialOrAKmsRefusal() {
    assertThat(ErrorCodes.isAccessDenied("KMSThrottlingException", 400)).isFalse();
    assertThat(ErrorCodes.isFatal("KMSThrottlingException", 400)).isFalse();
    assertThat(ErrorCodes.classify("KMSThrottlingException", 400).code())
        .isEqualTo(ErrorCode.THROTTLED);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "ValidationException",
        "InvalidArgumentException",
        "SerializationException",
        "SomethingNew"
      })
  void aRequestRefusedForWhatItHoldsIsInvalidAndWorthSplitting(String code) {
    assertThat(ErrorCodes.isInvalidRequest(code, 400)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "ThrottlingException",
        "LimitExceededException",
        "UnrecognizedClientException",
        "AccessDeniedException",
        "ResourceNotFoundException",
        "ResourceInUseException",
        "KMSDisabledException",
        "ExpiredTokenException"
      })
  void throttlingCredentialsAccessKmsAndAMissingStreamAreNeverSplit(String code) {
    assertThat(ErrorCodes.isInvalidRequest(code, 400)).isFalse();
  }

  @Test
  void serverErrorsAndLostConnectionsAreNotInvalidRequests() {
    assertThat(ErrorCodes.isInvalidRequest("InternalFailure", 500)).isFalse();
    assertThat(ErrorCodes.isInvalidRequest(DestinationException.NO_RESPONSE, 0)).isFalse();
  }
}
