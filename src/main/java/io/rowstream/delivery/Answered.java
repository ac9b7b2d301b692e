package io.rowstream.delivery;

import java.util.Optional;

/** The answer to a call that returns nothing but its acceptance, such as CreateStream. */
public record Answered(int httpStatus, Optional<String> requestId) implements Answer {
  public Answered {
    requestId = requestId == null ? Optional.empty() : requestId;
  }
}
