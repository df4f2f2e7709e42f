package io.busrpc.client;

import io.busrpc.protocol.ErrorCode;
import io.busrpc.protocol.RpcException;
import io.busrpc.protocol.codec.Framing;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import io.vertx.core.parsetools.RecordParser;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static io.busrpc.testing.Rpc.await;
import static io.busrpc.testing.Rpc.awaitFailure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How the Java client takes the answers of a server that is not busrpc: a line-framed server on
 * loopback that answers {@code bad.error} with an error object of the wrong types, {@code sum} with
 * its result, and never answers {@code never}.
 */
@ExtendWith(VertxExtension.class)
class ClientAnswersTest {

  private NetServer server;
  private BusRpcClient client;

  @BeforeEach
  void start(Vertx vertx) {
    server = vertx.createNetServer().connectHandler(socket -> socket.handler(RecordParser.newDelimited("\n", line -> {
      JsonObject request = line.toJsonObject();
      Object id = request.getValue("id");
      switch (request.getString("method")) {
        case "bad.error" -> socket.write(new JsonObject().put("jsonrpc", "2.0").put("id", id)
          .put("error", new JsonObject().put("code", "4001").put("message", new JsonObject().put("text", "x"))).encode() + "\n");
        case "sum" -> socket.write(new JsonObject().put("jsonrpc", "2.0").put("id", id).put("result", 3).encode() + "\n");
        default -> { } // never answers
      }
    })));
    int port = server.listen(0, "127.0.0.1").await().actualPort();
    client = BusRpcClient.create(vertx, new ClientOptions().setPort(port).setFraming(Framing.LINE).setCallTimeout(300));
    client.connect().await();
  }

  @AfterEach
  void stop() {
    client.close().await();
    server.close().await();
  }

  @Test
  void anErrorObjectOfWrongTypesFailsTheCallAsInternalError() {
    RpcException error = awaitFailure(client.call("bad.error", List.of(1)));
    assertEquals(ErrorCode.INTERNAL_ERROR.code(), error.code());
    assertEquals("", error.getMessage());
    assertEquals(3, await(client.call("sum", List.of(1, 2))), "the client still answers after it");
  }

  @Test
  void aCallWithoutAnswerTimesOutAndTheOthersAreAnswered() {
    long start = System.nanoTime();
    Future<Object> never = client.call("never", null);
    assertEquals(3, await(client.call("sum", List.of(1, 2))));
    RpcException timeout = awaitFailure(never);
    assertEquals(ErrorCode.TIMEOUT.code(), timeout.code());
    assertTrue(System.nanoTime() - start >= 300_000_000L, "timed out before its 300 ms");
    assertEquals(3, await(client.call("sum", List.of(1, 2))), "the sweep keeps working after the table emptied");
    assertEquals(ErrorCode.TIMEOUT.code(), awaitFailure(client.call("never", null)).code());
  }
}
