package io.rowstream.alerts.channel;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/** One POST with the JDK client; failures become {@link DeliveryException}s that name no URL. */
final class Http {
  private static final int MAX_ERROR_BODY = 300;

  private final HttpClient client;
  private final Duration timeout;

  Http(HttpClient client, Duration timeout) {
    this.client = client;
    this.timeout = timeout;
  }

  /** Posts {@code body}; returns the response of a 2xx answer, throws for anything else. */
  HttpResponse<String> post(
      String service, URI uri, String contentType, String body, Map<String, String> headers)
      throws DeliveryException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .timeout(timeout)
            .header("Content-Type", contentType)
            .header("User-Agent", "rowstream-alerts/0.1")
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    headers.forEach(request::header);
    HttpResponse<String> response;
    try {
      response =
          client.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (HttpConnectTimeoutException e) {
      throw new DeliveryException(
          service + ": connecting timed out after " + timeout.toMillis() + " ms", true);
    } catch (HttpTimeoutException e) {
      throw new DeliveryException(
          service + ": no answer within " + timeout.toMillis() + " ms", true);
    } catch (ConnectException e) {
      throw new DeliveryException(
          service + ": cannot connect (connection refused or unreachable)", true);
    } catch (IOException e) {
      throw new DeliveryException(
          service + ": connection failed (" + e.getClass().getSimpleName() + ")", true);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DeliveryException(service + ": interrupted", false);
    }
    int status = response.statusCode();
    if (status / 100 == 2) {
      return response;
    }
    boolean retryable = status == 408 || status == 429 || status >= 500;
    String answer = response.body() == null ? "" : response.body().strip();
    if (answer.length() > MAX_ERROR_BODY) {
      answer = answer.substring(0, MAX_ERROR_BODY) + "...";
    }
    throw new DeliveryException(
        service + " answered HTTP " + status + (answer.isEmpty() ? "" : ": " + answer), retryable);
  }
}
