package io.rowstream.alerts.channel;

import io.rowstream.config.AlertsConfig;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Date;
import java.util.Properties;

/**
 * Email by SMTP (Jakarta Mail): STARTTLS (required when {@code starttls: true}) and login when a
 * username is given; a multipart/alternative message with a plain-text and an HTML part.
 */
final class EmailChannel implements Channel {
  private final AlertsConfig.Email config;
  private final Session session;

  EmailChannel(AlertsConfig.Email config, Duration timeout) {
    this(config, timeout, new Properties());
  }

  /** {@code extra} adds Jakarta Mail properties, e.g. {@code mail.smtp.ssl.trust} in tests. */
  EmailChannel(AlertsConfig.Email config, Duration timeout, Properties extra) {
    this.config = config;
    Properties p = new Properties();
    p.put("mail.transport.protocol", "smtp");
    p.put("mail.smtp.host", config.smtpHost());
    p.put("mail.smtp.port", Integer.toString(config.smtpPort()));
    p.put("mail.smtp.auth", Boolean.toString(config.username().isPresent()));
    p.put("mail.smtp.starttls.enable", Boolean.toString(config.starttls()));
    p.put("mail.smtp.starttls.required", Boolean.toString(config.starttls()));
    p.put("mail.smtp.ssl.checkserveridentity", "true");
    String millis = Long.toString(timeout.toMillis());
    p.put("mail.smtp.connectiontimeout", millis);
    p.put("mail.smtp.timeout", millis);
    p.put("mail.smtp.writetimeout", millis);
    p.putAll(extra);
    this.session = Session.getInstance(p);
  }

  @Override
  public String name() {
    return config.name();
  }

  @Override
  public void send(Notification n) throws DeliveryException {
    try {
      MimeMessage message = new MimeMessage(session);
      message.setFrom(new InternetAddress(config.from()));
      for (String to : config.to()) {
        message.addRecipient(Message.RecipientType.TO, new InternetAddress(to));
      }
      message.setSubject(n.title(), "UTF-8");
      message.setSentDate(Date.from(n.at()));
      message.setHeader("X-Rowstream-Notification", n.id());
      MimeBodyPart text = new MimeBodyPart();
      text.setText(NotificationText.plain(n), "UTF-8");
      MimeBodyPart html = new MimeBodyPart();
      html.setContent(NotificationText.html(n), "text/html; charset=UTF-8");
      MimeMultipart alternative = new MimeMultipart("alternative");
      alternative.addBodyPart(text);
      alternative.addBodyPart(html);
      message.setContent(alternative);
      message.saveChanges();
      if (config.username().isPresent()) {
        Transport.send(message, config.username().get(), config.password().orElseThrow().reveal());
      } else {
        Transport.send(message);
      }
    } catch (AuthenticationFailedException e) {
      throw new DeliveryException(
          "SMTP "
              + config.smtpHost()
              + ":"
              + config.smtpPort()
              + " refused the login of the configured username",
          false);
    } catch (SendFailedException e) {
      throw new DeliveryException(
          "SMTP "
              + config.smtpHost()
              + ":"
              + config.smtpPort()
              + " refused the message: "
              + firstLine(e.getMessage()),
          false);
    } catch (MessagingException e) {
      String cause = cause(e);
      // a server without STARTTLS will not grow it on a retry; never fall back to plain text
      throw new DeliveryException(
          "SMTP " + config.smtpHost() + ":" + config.smtpPort() + ": " + cause,
          !cause.contains("STARTTLS"));
    }
  }

  private static String cause(MessagingException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ConnectException) {
        return "cannot connect (connection refused or unreachable)";
      }
      if (t instanceof SocketTimeoutException) {
        return "no answer in time";
      }
    }
    return firstLine(e.getMessage());
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "failed";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s.strip() : s.substring(0, nl).strip();
  }
}
