package io.busrpc.gateway;

import io.busrpc.protocol.codec.Framing;
import io.busrpc.testing.TestClient;
import io.busrpc.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The JSON-text stream framing over a real socket (DESIGN §1): texts without any delimiter, glued,
 * several on one line, split across writes, and garbage that the stream recovers from at the next
 * newline. Answers always end with a newline.
 */
@ExtendWith(VertxExtension.class)
class JsonTextStreamTest {

  static int port;

  @BeforeAll
  static void start(Vertx vertx) {
    port = TestNode.startDemo(vertx, gateway -> { });
  }

  private static String subtract(int id, int a, int b) {
    return "{\"jsonrpc\":\"2.0\",\"method\":\"subtract\",\"params\":[" + a + "," + b + "],\"id\":" + id + "}";
  }

  private static void assertResult(String answer, int id, int result) {
    JsonObject json = new JsonObject(answer);
    assertEquals(id, json.getInteger("id"), answer);
    assertEquals(result, json.getInteger("result"), answer);
  }

  private static void assertError(String answer, int code) {
    JsonObject json = new JsonObject(answer);
    assertEquals(code, json.getJsonObject("error").getInteger("code"), answer);
    assertTrue(json.containsKey("id") && json.getValue("id") == null, answer);
  }

  /** Answers may come in any order (calls go through the bus, errors do not): the next {@code n}, by id. */
  private static Map<Object, JsonObject> receive(TestClient client, int n) throws IOException {
    Map<Object, JsonObject> byId = new HashMap<>();
    List<JsonObject> nullIds = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      JsonObject answer = new JsonObject(client.receive());
      if (answer.getValue("id") == null) {
        nullIds.add(answer);
      } else {
        byId.put(answer.getValue("id"), answer);
      }
    }
    for (int i = 0; i < nullIds.size(); i++) {
      byId.put("null-" + i, nullIds.get(i));
    }
    return byId;
  }

  private static void sendRaw(TestClient client, String text) throws IOException {
    client.sendRaw(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void bareTextsWithoutNewlineAreAnswered() throws IOException {
    try (TestClient client = new TestClient(port, Framing.LINE)) {
      sendRaw(client, subtract(1, 42, 23));
      assertResult(client.receive(), 1, 19);
      sendRaw(client, subtract(2, 23, 42));
      assertResult(client.receive(), 2, -19);
    }
  }

  @Test
  void textsGluedInOneWriteAreAllAnswered() throws IOException {
    try (TestClient client = new TestClient(port, Framing.LINE)) {
      sendRaw(client, subtract(1, 5, 1) + subtract(2, 5, 2) + subtract(3, 5, 3) + subtract(4, 5, 4));
      Map<Object, JsonObject> answers = receive(client, 4);
      for (int id = 1; id <= 4; id++) {
        assertResult(answers.get(id).encode(), id, 5 - id);
      }
      sendRaw(client, "[" + subtract(5, 5, 5) + "]" + subtract(6, 6, 1));
      answers = new HashMap<>();
      for (int i = 0; i < 2; i++) {
        String answer = client.receive();
        JsonObject json = answer.startsWith("[") ? new JsonArray(answer).getJsonObject(0) : new JsonObject(answer);
        answers.put(json.getValue("id"), json);
      }
      assertResult(answers.get(5).encode(), 5, 0);
      assertResult(answers.get(6).encode(), 6, 5);
    }
  }

  @Test
  void textSplitAcrossWritesIsAnsweredOnce() throws IOException {
    try (TestClient client = new TestClient(port, Framing.LINE)) {
      String text = subtract(7, 10, 3);
      for (int i = 0; i < text.length(); i += 5) {
        sendRaw(client, text.substring(i, Math.min(text.length(), i + 5)));
      }
      assertResult(client.receive(), 7, 7);
      assertTrue(client.silentFor(200), "one text, one answer");
    }
  }

  @Test
  void severalTextsOnOneLineAreEachAnswered() throws IOException {
    try (TestClient client = new TestClient(port, Framing.LINE)) {
      sendRaw(client, subtract(1, 3, 1) + " " + subtract(2, 3, 2) + "\t{\"a\":1}\n");
      Map<Object, JsonObject> answers = receive(client, 3);
      assertResult(answers.get(1).encode(), 1, 2);
      assertResult(answers.get(2).encode(), 2, 1);
      assertError(answers.get("null-0").encode(), -32600);
    }
  }

  @Test
  void garbageIsAParseErrorAndTheNextLineIsRead() throws IOException {
    try (TestClient client = new TestClient(port, Framing.LINE)) {
      // The first byte picks the framing, so the stream opens with a text.
      sendRaw(client, subtract(1, 1, 1) + "\nnope " + subtract(9, 1, 1) + "\n" + "{\"jsonrpc\":\"2.0\",\"method\":[1,\n" + subtract(2, 9, 1) + "\n");
      Map<Object, JsonObject> answers = receive(client, 4);
      assertResult(answers.get(1).encode(), 1, 0);
      assertError(answers.get("null-0").encode(), -32700);
      assertError(answers.get("null-1").encode(), -32700);
      assertResult(answers.get(2).encode(), 2, 8);
      assertTrue(client.silentFor(200), "the garbage line is one answer, not one per text inside it");
    }
  }

  @Test
  void scalarOnALineIsAnsweredAsAnInvalidRequest() throws IOException {
    try (TestClient client = new TestClient(port, Framing.LINE)) {
      sendRaw(client, " 1\n\"x\"\n" + subtract(3, 2, 1) + "\n");
      Map<Object, JsonObject> answers = receive(client, 3);
      assertError(answers.get("null-0").encode(), -32600);
      assertError(answers.get("null-1").encode(), -32600);
      assertResult(answers.get(3).encode(), 3, 1);
    }
  }
}
