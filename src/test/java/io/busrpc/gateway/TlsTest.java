package io.busrpc.gateway;

import io.busrpc.app.BusRpcOptions;
import io.busrpc.client.BusRpcClient;
import io.busrpc.client.ClientOptions;
import io.busrpc.protocol.codec.Framing;
import io.busrpc.testing.TestCertificates;
import io.busrpc.testing.TestNode;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static io.busrpc.testing.Rpc.MAPPER;
import static io.busrpc.testing.Rpc.PING;
import static io.busrpc.testing.TestDefaults.WAIT_SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * TLS on the listener with certificates made in Java once for the class ({@link TestCertificates}): the Java client
 * talks to it in every framing, a plain-TCP client gets nothing, and with {@code clientCaPath} only
 * clients with a certificate from that CA get in.
 */
@ExtendWith(VertxExtension.class)
class TlsTest {


  /** Made once for the class: key generation is the slow part of these tests. */
  static TestCertificates certificates;
  Vertx vertx;

  @BeforeAll
  static void makeCertificates(@TempDir Path dir) throws Exception {
    certificates = TestCertificates.create(dir);
  }

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
  }

  private static String path(String name) {
    return certificates.path(name);
  }

  private int node(Consumer<TlsOptions> tweak) {
    BusRpcOptions options = TestNode.demoOptions();
    TlsOptions tls = new TlsOptions().setCertificate(path("cert.pem"), path("key.pem"));
    tweak.accept(tls);
    options.getGateway().setTls(tls);
    return TestNode.start(vertx, options);
  }

  private BusRpcClient javaClient(int port, Framing framing) {
    return BusRpcClient.create(vertx, new ClientOptions().setPort(port).setFraming(framing).setCallTimeout(5_000)
      .setTls(true).setTrustCertPath(path("cert.pem")));
  }

  @ParameterizedTest
  @EnumSource(Framing.class)
  void theJavaClientTalksToATlsNodeInEveryFraming(Framing framing) {
    int port = node(tls -> { });
    BusRpcClient client = javaClient(port, framing);
    try {
      client.connect().await();
      assertEquals("over tls", client.call("echo", List.of("over tls")).await());
      assertEquals("pong", client.call("rpc.ping", null).await());
    } finally {
      client.close().await();
    }
  }

  @Test
  void aPlainTcpClientGetsNoAnswer() throws Exception {
    int port = node(tls -> { });
    try (Socket plain = new Socket("127.0.0.1", port)) {
      plain.setSoTimeout(5_000);
      plain.getOutputStream().write((PING + "\n").getBytes(StandardCharsets.UTF_8));
      String received = readUntilClosed(plain.getInputStream());
      assertFalse(received.contains("pong"), "a plain client was answered: " + received);
    }
  }

  @Test
  void theJavaClientRefusesACertificateItDoesNotTrust() throws Exception {
    int port = node(tls -> { });
    // Trusts the clients' CA only, not the server's self-signed certificate.
    BusRpcClient client = BusRpcClient.create(vertx, new ClientOptions().setPort(port).setCallTimeout(5_000)
      .setTls(true).setTrustCertPath(path("ca.pem")));
    try {
      Future<Object> answer = client.connect().compose(v -> client.call("rpc.ping", null));
      answer.await(WAIT_SECONDS, TimeUnit.SECONDS);
      fail("a TLS client without trust in the server certificate got " + answer.result());
    } catch (Exception expected) {
      // refused
    } finally {
      client.close();
    }
  }

  @Test
  void withClientCaOnlyClientsWithACertificateFromThatCaGetIn() throws Exception {
    int port = node(tls -> tls.setClientCaPath(path("ca.pem")));
    // The Java client has no option for a client certificate: it must be refused.
    BusRpcClient withoutCert = javaClient(port, Framing.LINE);
    try {
      Future<Object> answer = withoutCert.connect().compose(v -> withoutCert.call("rpc.ping", null));
      Object result = answer.await(WAIT_SECONDS, TimeUnit.SECONDS);
      fail("a client without a certificate got " + result);
    } catch (Exception expected) {
      // refused at the handshake (TLS 1.2) or right after it (TLS 1.3)
    } finally {
      withoutCert.close();
    }
    assertEquals("pong", pingOverTls(port, new PemKeyCertOptions().setCertPath(path("client.pem")).setKeyPath(path("client.key"))));
    // A certificate not signed by the clients' CA (the server's own self-signed one) is refused too.
    try {
      String answer = pingOverTls(port, new PemKeyCertOptions().setCertPath(path("cert.pem")).setKeyPath(path("key.pem")));
      fail("a client with a certificate from another CA got " + answer);
    } catch (Exception expected) {
      // refused
    }
  }

  /** Pings over a Vert.x NetClient that presents the given client certificate; the pong's result. */
  private String pingOverTls(int port, PemKeyCertOptions clientCert) throws Exception {
    NetClient client = vertx.createNetClient(new NetClientOptions().setSsl(true).setHostnameVerificationAlgorithm("HTTPS")
      .setTrustOptions(new PemTrustOptions().addCertPath(path("cert.pem"))).setKeyCertOptions(clientCert));
    try {
      NetSocket socket = client.connect(port, "127.0.0.1").await(WAIT_SECONDS, TimeUnit.SECONDS);
      Promise<String> line = Promise.promise();
      Buffer received = Buffer.buffer();
      socket.handler(chunk -> {
        received.appendBuffer(chunk);
        String text = received.toString(StandardCharsets.UTF_8);
        if (text.contains("\n")) {
          line.tryComplete(text.substring(0, text.indexOf('\n')));
        }
      });
      socket.closeHandler(v -> line.tryFail("closed by the server"));
      socket.write(PING + "\n");
      return MAPPER.readTree(line.future().await(WAIT_SECONDS, TimeUnit.SECONDS)).path("result").asText();
    } finally {
      client.close().await();
    }
  }

  private static String readUntilClosed(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[4096];
    try {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        out.write(buffer, 0, n);
      }
    } catch (SocketTimeoutException | java.net.SocketException e) {
      // not closed within the timeout, or reset: either way, what came is checked
    }
    return out.toString(StandardCharsets.ISO_8859_1);
  }
}
