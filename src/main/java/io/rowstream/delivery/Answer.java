package io.rowstream.delivery;

import java.util.Optional;

/**
 * What every answer of the gateway carries for the call record, whatever the operation: the HTTP
 * status and the AWS request id, when the response had one.
 */
public interface Answer {
  int httpStatus();

  Optional<String> requestId();
}
