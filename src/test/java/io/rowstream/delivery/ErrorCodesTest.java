package io.rowstream.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ErrorCodesTest {
  @ParameterizedTest
  @ValueSource(strings = {"ProvisionedThroughputExceededException", "ThrottlingException", "LimitExceededException",
      "KMSThrottlingException", "InternalFailure", "ServiceUnavailable", "RequestTimeout", "NoResponse"})
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
  @ValueSource(strings = {"ResourceNotFoundException", "AccessDeniedException", "KMSDisabledException",
      "KMSInvalidStateException", "KMSAccessDeniedException", "KMSNotFoundException", "KMSOptInRequired",
      "UnrecognizedClientException", "InvalidSignatureException", "ExpiredTokenException", "IncompleteSignature"})
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
  @ValueSource(strings = {"ValidationException", "InvalidArgumentException", "SerializationException", "SomethingNew"})
  void aRequestRefusedForWhatItHoldsIsInvalidAndWorthSplitting(String code) {
    assertThat(ErrorCodes.isInvalidRequest(code, 400)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"ThrottlingException", "LimitExceededException", "UnrecognizedClientException",
      "AccessDeniedException", "ResourceNotFoundException", "ResourceInUseException", "KMSDisabledException",
      "ExpiredTokenException"})
  void throttlingCredentialsAccessKmsAndAMissingStreamAreNeverSplit(String code) {
    assertThat(ErrorCodes.isInvalidRequest(code, 400)).isFalse();
  }

  @Test
  void serverErrorsAndLostConnectionsAreNotInvalidRequests() {
    assertThat(ErrorCodes.isInvalidRequest("InternalFailure", 500)).isFalse();
    assertThat(ErrorCodes.isInvalidRequest(DestinationException.NO_RESPONSE, 0)).isFalse();
  }
}
