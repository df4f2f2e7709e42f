package io.busrpc.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.busrpc.protocol.codec.Framing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Asks a gateway for its {@code rpc.discover} document, as a client would. */
public final class Discover {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Discover() {
  }

  /** @return the document's JSON text, checked to be a valid OpenRPC document, from a client that is not logged in */
  public static String text(int port) {
    return text(port, null);
  }

  /**
   * @param login rpc.login params as JSON text, or {@code null} to stay logged out
   * @return the document's JSON text, checked to be a valid OpenRPC document
   */
  public static String text(int port, String login) {
    try (TestClient client = new TestClient(port, Framing.LINE)) {
      if (login != null) {
        JsonNode answer = MAPPER.readTree(client.call("{\"jsonrpc\":\"2.0\",\"method\":\"rpc.login\",\"params\":" + login + ",\"id\":0}"));
        assertTrue(answer.has("result"), () -> "login failed: " + answer);
      }
      JsonNode answer = MAPPER.readTree(client.call("{\"jsonrpc\":\"2.0\",\"method\":\"rpc.discover\",\"id\":1}"));
      assertTrue(answer.path("result").isObject(), () -> "rpc.discover failed: " + answer);
      String document = MAPPER.writeValueAsString(answer.get("result"));
      OpenRpcSchema.assertValid(document);
      return document;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** @return the valid document, parsed */
  public static JsonNode document(int port, String login) {
    try {
      return MAPPER.readTree(text(port, login));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** @return the names of the methods the document lists, in its order */
  public static List<String> names(JsonNode document) {
    List<String> names = new ArrayList<>();
    document.path("methods").forEach(method -> names.add(method.path("name").asText()));
    return names;
  }

  /** @return the method object of that name, or {@code null} */
  public static JsonNode method(JsonNode document, String name) {
    for (JsonNode method : document.path("methods")) {
      if (name.equals(method.path("name").asText())) {
        return method;
      }
    }
    return null;
  }
}
