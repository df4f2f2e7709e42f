package io.busrpc.gateway;

import io.busrpc.protocol.ErrorCode;
import io.busrpc.protocol.codec.Framing;
import io.busrpc.testing.TestClient;
import io.busrpc.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The reason in a -32700 answer's {@code data} is plain words, with no name of the JSON library's internals. */
class ParseErrorReasonTest {

  static Vertx vertx;
  static int port;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    port = TestNode.startDemo(vertx, g -> { });
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
  }

  @Test
  void parseErrorsSayWhatIsWrongInPlainWords() throws Exception {
    String[] frames = {
      "{\"jsonrpc\":\"2.0\",\"method\":\"foobar, \"params\":\"bar\", \"baz]",
      "{\"jsonrpc\":\"2.0\",\"method\":\"sum\",\"params\":[NaN],\"id\":1}",
      "{\"jsonrpc\":\"2.0\",\"method\":\"sum\",\"params\":[01],\"id\":1}",
      "[" + "[".repeat(1500) + "]".repeat(1500) + "]",
      "{\"jsonrpc\":\"2.0\",\"method\":\"sum\",\"params\":[1,",
    };
    try (TestClient client = new TestClient(port, Framing.LENGTH)) {
      for (String frame : frames) {
        JsonObject answer = new JsonObject(client.call(frame));
        JsonObject error = answer.getJsonObject("error");
        assertEquals(ErrorCode.PARSE_ERROR.code(), error.getInteger("code"), answer.encode());
        String data = error.getString("data");
        System.out.println("FIGURE parse error data: " + data);
        for (String internal : new String[]{"jackson", "fasterxml", "constraints", "feature", "`", "(code ", "token", "marker", "source:"}) {
          assertFalse(data.toLowerCase(Locale.ROOT).contains(internal), "'" + data + "' names a library internal");
        }
      }
      // The connection stays usable.
      assertEquals(3, new JsonObject(client.call("{\"jsonrpc\":\"2.0\",\"method\":\"sum\",\"params\":[1,2],\"id\":9}")).getInteger("result"));
    }
  }
}
