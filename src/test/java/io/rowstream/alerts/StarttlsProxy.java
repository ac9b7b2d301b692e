package io.rowstream.alerts;

import com.icegreen.greenmail.util.DummySSLServerSocketFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * Adds STARTTLS in front of GreenMail's plain SMTP (GreenMail has no STARTTLS): it answers EHLO
 * with STARTTLS offered, upgrades the client's connection with GreenMail's test certificate, then
 * relays the encrypted session to GreenMail. It records what the client said before TLS.
 */
final class StarttlsProxy implements AutoCloseable {
  private final ServerSocket server;
  private final int upstreamPort;
  private final SSLContext tls;
  private final ExecutorService pool = Executors.newCachedThreadPool();
  private final List<String> plainCommands = new CopyOnWriteArrayList<>();
  private final AtomicInteger handshakes = new AtomicInteger();

  StarttlsProxy(int upstreamPort) {
    this.upstreamPort = upstreamPort;
    try {
      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(new DummySSLServerSocketFactory().getKeyStore(), "changeit".toCharArray());
      tls = SSLContext.getInstance("TLS");
      tls.init(kmf.getKeyManagers(), null, null);
      server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    pool.submit(this::accept);
  }

  int port() {
    return server.getLocalPort();
  }

  /** The commands the client sent before the TLS handshake (EHLO, STARTTLS). */
  List<String> plainCommands() {
    return List.copyOf(plainCommands);
  }

  int handshakes() {
    return handshakes.get();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        pool.submit(() -> session(client));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void session(Socket client) {
    try (client;
        Socket upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort)) {
      InputStream up = upstream.getInputStream();
      OutputStream upOut = upstream.getOutputStream();
      InputStream in = client.getInputStream();
      OutputStream out = client.getOutputStream();
      write(out, readReply(up)); // 220 greeting
      while (true) {
        String command = readLine(in);
        if (command == null) {
          return;
        }
        plainCommands.add(command);
        if (command.toUpperCase().startsWith("EHLO")) {
          write(upOut, command + "\r\n");
          List<String> lines = new java.util.ArrayList<>();
          for (String line : readReply(up).split("\r\n")) {
            lines.add(line.substring(4));
          }
          lines.add("STARTTLS");
          StringBuilder reply = new StringBuilder();
          for (int i = 0; i < lines.size(); i++) {
            reply
                .append(i < lines.size() - 1 ? "250-" : "250 ")
                .append(lines.get(i))
                .append("\r\n");
          }
          write(out, reply.toString());
        } else if (command.equalsIgnoreCase("STARTTLS")) {
          write(out, "220 2.0.0 Ready to start TLS\r\n");
          SSLSocket secure =
              (SSLSocket)
                  tls.getSocketFactory().createSocket(client, null, client.getPort(), false);
          secure.setUseClientMode(false);
          secure.startHandshake();
          handshakes.incrementAndGet();
          relay(secure, upstream);
          return;
        } else {
          write(out, "530 5.7.0 Must issue a STARTTLS command first\r\n");
        }
      }
    } catch (IOException e) {
      // the client went away
    }
  }

  private void relay(SSLSocket secure, Socket upstream) throws IOException {
    var toUpstream =
        pool.submit(
            () -> {
              try {
                secure.getInputStream().transferTo(upstream.getOutputStream());
              } catch (IOException e) {
                // closed
              }
              return null;
            });
    try {
      upstream.getInputStream().transferTo(secure.getOutputStream());
    } catch (IOException e) {
      // closed
    }
    toUpstream.cancel(true);
    secure.close();
  }

  private static void write(OutputStream out, String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  /** One line without its CRLF, read byte by byte so nothing after it is buffered away. */
  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != -1) {
      if (b == '\n') {
        String s = line.toString(StandardCharsets.US_ASCII);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
      }
      line.write(b);
    }
    return null;
  }

  /** A whole SMTP reply (lines {@code 250-...} up to {@code 250 ...}), with CRLFs. */
  private static String readReply(InputStream in) throws IOException {
    StringBuilder reply = new StringBuilder();
    String line;
    do {
      line = readLine(in);
      if (line == null) {
        throw new IOException("upstream closed");
      }
      reply.append(line).append("\r\n");
    } while (line.length() > 3 && line.charAt(3) == '-');
    return reply.toString();
  }

  @Override
  public void close() throws IOException {
    server.close();
    pool.shutdownNow();
  }
}
