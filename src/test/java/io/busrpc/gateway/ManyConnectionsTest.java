package io.busrpc.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.busrpc.app.BusRpcOptions;
import io.busrpc.testing.Heap;
import io.busrpc.testing.Lines;
import io.busrpc.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

import static io.busrpc.testing.Rpc.MAPPER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 5,000 connections logging in at once, each answered; and what an idle logged-in connection costs in
 * heap. Clients and server share this JVM, so the heap figure includes the client sockets; a control
 * run with a bare Vert.x NetServer that only holds its sockets gives the part that is busrpc's.
 */
@ExtendWith(VertxExtension.class)
class ManyConnectionsTest {

  private static final int CONNECTIONS = 5_000;

  Vertx vertx;

  @BeforeEach
  void start(Vertx vertx) throws IOException {
    // HotSpot lifts this JVM's soft open-file limit to the hard one at start (-XX:+MaxFDLimit, on by
    // default); .ci/run raises the shell's limit as well. Below that the test fails instead of skipping.
    long limit = openFileLimit();
    assertTrue(limit >= 11_000, "the open-file limit is " + limit
      + "; 5,000 loopback connections need about 11,000 descriptors (client and server ends): raise ulimit -Hn");
    this.vertx = vertx;
  }

  /** The soft "Max open files" of this JVM, from /proc/self/limits (unlimited when it cannot tell). */
  private static long openFileLimit() throws IOException {
    Path limits = Path.of("/proc/self/limits");
    if (!Files.exists(limits)) {
      return Long.MAX_VALUE;
    }
    for (String line : Files.readAllLines(limits)) {
      if (line.startsWith("Max open files")) {
        String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
        return soft.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(soft);
      }
    }
    return Long.MAX_VALUE;
  }

  @Test
  void fiveThousandConnectionsLogInAtOnce() throws Exception {
    BusRpcOptions options = TestNode.demoOptions();
    options.getGateway().setMaxConnectionsPerAddress(10_000);
    int port = TestNode.start(vertx, options);

    long controlPerConnection = controlRun();

    long before = Heap.usedAfterGc();
    List<Socket> sockets = new ArrayList<>(CONNECTIONS);
    try {
      long t0 = System.nanoTime();
      for (int i = 0; i < CONNECTIONS; i++) {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(30_000);
        sockets.add(socket);
      }
      long connected = System.nanoTime();
      for (int i = 0; i < CONNECTIONS; i++) {
        sockets.get(i).getOutputStream().write(("{\"jsonrpc\":\"2.0\",\"method\":\"rpc.login\",\"params\":{\"uid\":\"u" + i
          + "\"},\"id\":" + i + "}\n").getBytes(StandardCharsets.UTF_8));
      }
      for (int i = 0; i < CONNECTIONS; i++) {
        JsonNode answer = MAPPER.readTree(Lines.read(sockets.get(i).getInputStream()));
        assertEquals(i, answer.path("id").asInt(), answer.toString());
        assertEquals("u" + i, answer.path("result").path("uid").asText(), answer.toString());
      }
      long done = System.nanoTime();
      long after = Heap.usedAfterGc();
      long perConnection = (after - before) / CONNECTIONS;
      System.out.printf("FIGURE %d connections: connected in %d ms, all logged in and answered %d ms later (%d ms total);"
          + " heap %s -> %s, %d bytes per idle logged-in connection incl. the client socket in this JVM;"
          + " control (bare Vert.x NetServer holding sockets + same clients) %d bytes, so about %d bytes are busrpc's%n",
        CONNECTIONS, (connected - t0) / 1_000_000, (done - connected) / 1_000_000, (done - t0) / 1_000_000,
        Heap.mib(before), Heap.mib(after), perConnection, controlPerConnection, perConnection - controlPerConnection);
      assertTrue(perConnection < 64 * 1024, "an idle connection costs " + perConnection + " bytes");
      // All still usable: a ping on the last one.
      Socket last = sockets.get(CONNECTIONS - 1);
      last.getOutputStream().write("{\"jsonrpc\":\"2.0\",\"method\":\"rpc.ping\",\"id\":\"p\"}\n".getBytes(StandardCharsets.UTF_8));
      assertEquals("pong", MAPPER.readTree(Lines.read(last.getInputStream())).path("result").asText());
    } finally {
      for (Socket socket : sockets) {
        socket.close();
      }
    }
  }

  /** Heap per connection for the same clients against a NetServer that only keeps its sockets. */
  private long controlRun() throws IOException {
    ConcurrentLinkedQueue<NetSocket> held = new ConcurrentLinkedQueue<>();
    NetServer server = vertx.createNetServer().connectHandler(socket -> {
      held.add(socket);
      socket.closeHandler(v -> held.remove(socket));
    });
    int port = server.listen(0, "127.0.0.1").await().actualPort();
    long before = Heap.usedAfterGc();
    List<Socket> sockets = new ArrayList<>(CONNECTIONS);
    try {
      for (int i = 0; i < CONNECTIONS; i++) {
        Socket socket = new Socket("127.0.0.1", port);
        sockets.add(socket);
      }
      assertTrue(io.busrpc.testing.Poll.until(vertx, 30_000, () -> held.size() == CONNECTIONS));
      return (Heap.usedAfterGc() - before) / CONNECTIONS;
    } finally {
      for (Socket socket : sockets) {
        socket.close();
      }
      // Wait until the server has let go of every socket, so the next measurement starts clean.
      assertTrue(io.busrpc.testing.Poll.until(vertx, 30_000, held::isEmpty));
      server.close().await();
    }
  }

}
