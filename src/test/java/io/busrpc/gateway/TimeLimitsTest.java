package io.busrpc.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.busrpc.protocol.codec.Framing;
import io.busrpc.testing.Rpc;
import io.busrpc.testing.TestClient;
import io.busrpc.testing.TestNode;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import static io.busrpc.testing.Rpc.MAPPER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gateway's time limits on real sockets: slow frames (slowloris), login timeout and pings. Each
 * limit is short (200-300 ms); assertions only say "closed within the test client's 10 s read
 * timeout" or "still answers after a while".
 */
@ExtendWith(VertxExtension.class)
class TimeLimitsTest {

  private static final String ECHO = "{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":[\"ok\"],\"id\":\"e\"}";

  Vertx vertx;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
  }

  private int node(Consumer<GatewayOptions> tweak) {
    return TestNode.startDemo(vertx, tweak);
  }

  private static void assertEchoes(TestClient client) throws IOException {
    assertEquals("ok", MAPPER.readTree(client.call(ECHO)).path("result").asText());
  }

  /** Like {@link #assertEchoes}, for a pinged client: a ping that comes before the answer is answered. */
  private static void assertEchoesAnsweringPings(TestClient client) throws IOException {
    client.send(ECHO);
    JsonNode frame = MAPPER.readTree(client.receive());
    while ("rpc.ping".equals(frame.path("method").asText())) {
      client.send("{\"jsonrpc\":\"2.0\",\"result\":\"pong\",\"id\":" + frame.get("id") + "}");
      frame = MAPPER.readTree(client.receive());
    }
    assertEquals("ok", frame.path("result").asText(), frame.toString());
  }

  /** Half of a frame in each framing: the gateway has started a frame it never completes. */
  private static byte[] halfFrame(Framing framing) {
    byte[] full = framing.encode(io.vertx.core.buffer.Buffer.buffer(ECHO)).getBytes();
    byte[] half = new byte[full.length / 2];
    System.arraycopy(full, 0, half, 0, half.length);
    return half;
  }

  @ParameterizedTest
  @EnumSource(Framing.class)
  void slowlorisIsClosedWhileOthersKeepWorking(Framing framing) throws Exception {
    int port = node(g -> g.setFrameTimeout(300));
    try (TestClient slow = new TestClient(port, framing); TestClient normal = new TestClient(port, framing)) {
      assertEchoes(normal);
      slow.sendRaw(halfFrame(framing));
      long t0 = System.nanoTime();
      assertTrue(slow.closedByServer(), "a half frame should be closed after frameTimeout");
      System.out.printf("FIGURE slowloris (%s, frameTimeout 300 ms) closed after %d ms%n", framing,
        (System.nanoTime() - t0) / 1_000_000);
      assertEchoes(normal);
    }
  }

  @Test
  void aStartedLengthPrefixAloneCountsAsAnIncompleteFrame() throws Exception {
    int port = node(g -> g.setFrameTimeout(300));
    try (TestClient slow = new TestClient(port, Framing.LENGTH)) {
      slow.sendRaw(new byte[] {0, 0}); // two bytes of the four-byte prefix
      assertTrue(slow.closedByServer());
    }
  }

  @Test
  void aConnectionThatNeverLogsInIsClosedALoggedInOneStays() throws Exception {
    // 3 s: the other client's login must come well within it even on a loaded machine (at 1 s a
    // first login under a parallel build once took longer and the logged-in client was closed).
    int port = node(g -> g.setLoginTimeout(3_000).setPublicMethods(List.of()));
    try (TestClient anonymous = new TestClient(port, Framing.LINE);
         TestClient loggedIn = new TestClient(port, Framing.LINE)) {
      // Pings are allowed before login but do not stop the clock.
      assertEquals("pong", MAPPER.readTree(anonymous.call(
        "{\"jsonrpc\":\"2.0\",\"method\":\"rpc.ping\",\"id\":1}")).path("result").asText());
      String login = loggedIn.call("{\"jsonrpc\":\"2.0\",\"method\":\"rpc.login\",\"params\":{\"uid\":\"ann\"},\"id\":1}");
      assertEquals("ann", MAPPER.readTree(login).path("result").path("uid").asText(), login);
      assertTrue(anonymous.closedByServer(), "no login within loginTimeout: closed");
      // The anonymous one was closed by the same login timeout; a wrong close of the logged-in one would
      // come at the same moment, so a further second of silence is ample.
      assertTrue(loggedIn.silentFor(1_000), "the logged-in connection is left alone");
      assertEchoes(loggedIn);
    }
  }

  @Test
  void aConnectionThatSendsNothingIsClosedByTheLoginTimeout() throws Exception {
    int port = node(g -> g.setLoginTimeout(300).setPublicMethods(List.of()));
    try (TestClient silent = new TestClient(port, Framing.LINE)) {
      assertTrue(silent.closedByServer());
    }
  }

  @Test
  void aClientThatAnswersPingsStaysOpenOneThatDoesNotIsClosed() throws Exception {
    int port = node(g -> g.setPingInterval(200).setPingTimeout(200));
    try (TestClient answering = new TestClient(port, Framing.LINE);
         TestClient deaf = new TestClient(port, Framing.LINE)) {
      assertEchoes(answering);
      assertEchoes(deaf);
      // Only logged-in sessions are pinged (they speak busrpc).
      Rpc.login(answering, "answering");
      Rpc.login(deaf, "deaf");
      long t0 = System.nanoTime();
      int pings = 0;
      while (System.nanoTime() - t0 < 1_500_000_000L) {
        JsonNode request = MAPPER.readTree(answering.receive());
        assertEquals("rpc.ping", request.path("method").asText(), request.toString());
        assertTrue(request.has("id"), "a ping is a request: " + request);
        answering.send("{\"jsonrpc\":\"2.0\",\"result\":\"pong\",\"id\":" + request.get("id") + "}");
        pings++;
      }
      assertTrue(pings >= 2, "pings in 1.5 s: " + pings);
      assertEchoesAnsweringPings(answering);
      // The deaf client got pings too, never answered them: closed.
      JsonNode ping = MAPPER.readTree(deaf.receive());
      assertEquals("rpc.ping", ping.path("method").asText());
      assertTrue(deaf.closedByServer(), "unanswered ping: closed");
      assertEchoesAnsweringPings(answering);
      System.out.printf("FIGURE pings answered in 1.5 s with pingInterval 200 ms: %d%n", pings);
    }
  }

  @Test
  void aConnectionThatSendsNoByteIsClosedByTheIdleTimeoutEvenWhenLoginIsNotRequired() throws Exception {
    // publicMethods ["*"]: no login timeout, and pings off: a socket that never sends a byte must
    // still not be held open for ever.
    int port = node(g -> g.setPingInterval(0).setIdleTimeout(300));
    try (TestClient silent = new TestClient(port, Framing.LINE)) {
      assertTrue(silent.closedByServer(), "a connection that never sent a byte is held open");
    }
  }

  /**
   * Slowloris: a client that keeps a frame open by sending one byte every 50 ms. The frame timeout
   * counts from the frame's first byte, so the close must come while the trickle is still going
   * (the frame below takes at least 13 s to trickle, and its last byte is never sent). Each byte is
   * sent 50 ms after the one before it was written, not on a fixed-rate timer: a fixed-rate timer
   * catches up after a stall of a loaded machine with a burst of bytes, which could finish the
   * trickle before the gateway's sweep ran.
   */
  @Test
  void trickledFrameIsClosedEvenThoughBytesKeepComing() throws Exception {
    int port = node(g -> g.setFrameTimeout(300));
    byte[] frame = ("{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":[\"" + "y".repeat(200) + "\"],\"id\":1}\n")
      .getBytes(StandardCharsets.UTF_8);
    NetSocket slow = vertx.createNetClient(new NetClientOptions().setTcpNoDelay(true))
      .connect(port, "127.0.0.1").await();
    AtomicInteger sent = new AtomicInteger();
    Promise<Integer> closed = Promise.promise();
    long t0 = System.nanoTime();
    slow.handler(data -> closed.tryFail("the gateway answered a frame that was never finished: " + data));
    slow.closeHandler(v -> closed.tryComplete(sent.get()));
    trickle(slow, frame, sent, closed.future());
    try {
      // Longer than the whole trickle, so a close that waits for its end is reported as such.
      int sentAtClose = closed.future().await(60, TimeUnit.SECONDS);
      System.out.printf("FIGURE trickle (1 byte / 50 ms, frameTimeout 300 ms) closed after %d ms and %d of %d bytes%n",
        (System.nanoTime() - t0) / 1_000_000, sentAtClose, frame.length);
      assertTrue(sentAtClose < frame.length - 1,
        "closed only after the trickle stopped (" + sentAtClose + " bytes): each byte kept the frame open");
    } finally {
      slow.close();
    }
  }

  /** Writes the frame but its last byte, one byte at a time, each 50 ms after the one before, until {@code closed} completes. */
  private void trickle(NetSocket slow, byte[] frame, AtomicInteger sent, io.vertx.core.Future<Integer> closed) {
    int next = sent.get();
    if (next >= frame.length - 1 || closed.isComplete()) {
      return;
    }
    slow.write(Buffer.buffer(new byte[] {frame[next]})).onComplete(ar -> {
      sent.incrementAndGet();
      vertx.setTimer(50, id -> trickle(slow, frame, sent, closed));
    });
  }
}
