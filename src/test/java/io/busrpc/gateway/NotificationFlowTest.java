package io.busrpc.gateway;

import io.busrpc.app.BusRpcOptions;
import io.busrpc.app.HandlerDeployment;
import io.busrpc.handler.RpcMethod;
import io.busrpc.handler.RpcVerticle;
import io.busrpc.protocol.codec.Framing;
import io.busrpc.testing.Rpc;
import io.busrpc.testing.TestClient;
import io.busrpc.testing.TestNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static io.busrpc.testing.TestDefaults.WAIT_MS;
import static io.busrpc.testing.TestDefaults.WAIT_SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Notifications count against a connection's in-flight budget (DESIGN §2): a client that floods
 * notifications is no longer read once {@code maxInFlight} of them wait for their handler, so the
 * handler's queue stays short and its other callers are served.
 */
@ExtendWith(VertxExtension.class)
class NotificationFlowTest {

  private static final int MAX_IN_FLIGHT = 16;

  /** Works on one message at a time, a millisecond each, and records how many wait for it. */
  public static class SerialVerticle extends RpcVerticle {
    static final AtomicInteger received = new AtomicInteger();
    static final AtomicInteger done = new AtomicInteger();
    static final AtomicInteger maxWaiting = new AtomicInteger();
    /** Flagged for every message that arrives. */
    static volatile Checkpoint arrivals;
    private Future<Void> tail = Future.succeededFuture();

    @RpcMethod("serial.work")
    public Future<Integer> work(int n, String padding) {
      maxWaiting.accumulateAndGet(received.incrementAndGet() - done.get(), Math::max);
      Checkpoint checkpoint = arrivals;
      if (checkpoint != null) {
        checkpoint.flag();
      }
      Future<Integer> result = tail.compose(v -> vertx.timer(1)).map(t -> {
        done.incrementAndGet();
        return n;
      });
      tail = result.mapEmpty();
      return result;
    }
  }

  Vertx vertx;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    SerialVerticle.received.set(0);
    SerialVerticle.done.set(0);
    SerialVerticle.maxWaiting.set(0);
    SerialVerticle.arrivals = null;
  }

  @Test
  void aNotificationFloodIsHeldBackAndTheHandlersOtherCallersAreServed() throws Exception {
    BusRpcOptions options = TestNode.demoOptions()
      .addHandler(new HandlerDeployment(SerialVerticle.class.getName(), 1, new JsonObject()));
    options.getGateway().setMaxInFlight(MAX_IN_FLIGHT);
    int port = TestNode.start(vertx, options);

    int notifications = 50_000;
    String padding = "p".repeat(1000);
    long tried = 0;
    byte[][] frames = new byte[notifications][];
    for (int i = 0; i < notifications; i++) {
      frames[i] = (Rpc.request(null, "serial.work", new JsonArray().add(i).add(padding)) + "\n").getBytes(StandardCharsets.UTF_8);
      tried += frames[i].length;
    }
    AtomicLong written = new AtomicLong();
    // More than MAX_IN_FLIGHT arrive as the handler works through them: a lax checkpoint.
    VertxTestContext flood = new VertxTestContext();
    SerialVerticle.arrivals = flood.laxCheckpoint(MAX_IN_FLIGHT);
    // Not logged in: the demo lets anyone call (and notify) before login.
    Socket flooder = new Socket("127.0.0.1", port);
    Thread writer = new Thread(() -> {
      try {
        OutputStream out = flooder.getOutputStream();
        for (byte[] frame : frames) {
          out.write(frame);
          written.addAndGet(frame.length);
        }
      } catch (IOException e) {
        // closed by the test
      }
    }, "notification-flooder");
    writer.setDaemon(true);
    writer.start();
    try {
      assertTrue(flood.awaitCompletion(WAIT_SECONDS, TimeUnit.SECONDS), "the flood started");
      try (TestClient other = new TestClient(port, Framing.LINE)) {
        long t0 = System.nanoTime();
        JsonObject answer = Rpc.call(other, 1, "serial.work", new JsonArray().add(-1).add("other"));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(-1, answer.getInteger("result"), answer::encode);
        long accepted = written.get();
        System.out.printf("FIGURE notification flood: the client wrote %d of %d bytes (%d of %d notifications reached"
            + " the handler, at most %d waited for it); another caller of that handler answered in %d ms%n",
          accepted, tried, SerialVerticle.received.get(), notifications, SerialVerticle.maxWaiting.get(), ms);
        assertTrue(SerialVerticle.maxWaiting.get() <= MAX_IN_FLIGHT + 1,
          SerialVerticle.maxWaiting.get() + " messages waited for the handler at once");
        assertTrue(accepted < tried / 2, "the gateway took " + accepted + " of " + tried + " bytes");
        assertTrue(ms < 5_000, "the other caller waited " + ms + " ms");
      }
    } finally {
      flooder.close();
      writer.join(WAIT_MS);
    }
  }
}
