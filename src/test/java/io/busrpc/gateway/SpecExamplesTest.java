package io.busrpc.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.busrpc.protocol.codec.Framing;
import io.busrpc.testing.TestClient;
import io.busrpc.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static io.busrpc.testing.Rpc.MAPPER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Every example of the "Examples" section of the JSON-RPC 2.0 specification, kept as golden fixtures
 * in {@code src/test/resources/spec/NN-name.json}, sent over a real socket to a real node in each of
 * the three framings and compared with the expected answer as JSON trees.
 *
 * <p>Comparison rules:
 * <ul>
 *   <li>Objects compare as trees, so member order and whitespace do not matter.</li>
 *   <li>A batch answer may list its responses in any order: both arrays are sorted by the text of
 *       each response's {@code id} before comparing.</li>
 *   <li>An error's {@code code} and {@code message} must equal the fixture's. busrpc adds a
 *       human-readable reason as {@code error.data}; when the fixture's error has no {@code data}, the
 *       actual {@code data} is ignored. When the fixture has one, it must be equal.</li>
 *   <li>A fixture whose {@code response} is {@code null} expects no answer at all. That is checked
 *       without sleeping: an {@code rpc.ping} and an {@code echo} call (which goes through the event
 *       bus, like any answer the notifications could wrongly cause) are sent next, and the next two
 *       frames must be exactly their answers.</li>
 * </ul>
 */
@ExtendWith(VertxExtension.class)
class SpecExamplesTest {


  static Vertx vertx;
  static int port;

  record Fixture(String name, String description, String request, JsonNode response) {
    @Override
    public String toString() {
      return name;
    }
  }

  @BeforeAll
  static void start(Vertx vertx) {
    SpecExamplesTest.vertx = vertx;
    port = TestNode.start(vertx, TestNode.demoOptions());
  }

  static List<Fixture> fixtures() throws IOException, URISyntaxException {
    URL dir = SpecExamplesTest.class.getClassLoader().getResource("spec");
    assertNotNull(dir, "src/test/resources/spec is missing");
    File[] files = new File(dir.toURI()).listFiles((d, n) -> n.endsWith(".json"));
    assertNotNull(files);
    Arrays.sort(files, Comparator.comparing(File::getName));
    List<Fixture> fixtures = new ArrayList<>();
    for (File file : files) {
      JsonNode node = MAPPER.readTree(file);
      fixtures.add(new Fixture(file.getName().replace(".json", ""), node.get("description").asText(),
        node.get("request").asText(), node.get("response")));
    }
    return fixtures;
  }

  static Stream<Arguments> cases() throws Exception {
    List<Arguments> cases = new ArrayList<>();
    for (Fixture fixture : fixtures()) {
      for (Framing framing : Framing.values()) {
        cases.add(Arguments.of(fixture, framing));
      }
    }
    return cases.stream();
  }

  @Test
  void everyExampleOfTheSpecificationHasAFixture() throws Exception {
    List<Fixture> fixtures = fixtures();
    assertEquals(15, fixtures.size(), "the specification's Examples section has 15 examples");
    for (Fixture f : fixtures) {
      assertFalse(f.request().contains("\n"), f.name() + ": requests must be single lines (LINE framing)");
    }
  }

  @ParameterizedTest(name = "{0} over {1}")
  @MethodSource("cases")
  void answersAsTheSpecificationSays(Fixture fixture, Framing framing) throws Exception {
    try (TestClient client = new TestClient(port, framing)) {
      client.send(fixture.request());
      if (fixture.response() == null || fixture.response().isNull()) {
        assertNoAnswer(client, fixture);
        return;
      }
      String answer = client.receive();
      JsonNode expected = normalise(fixture.response().deepCopy(), null);
      JsonNode actual = normalise(MAPPER.readTree(answer), fixture.response());
      assertEquals(expected, actual, fixture.name() + " (" + fixture.description() + ") over " + framing
        + "\nrequest:  " + fixture.request() + "\nanswer:   " + answer);
      assertNoAnswer(client, fixture);
    }
  }

  /** The next answers must be those of a ping and of an echo sent now, so nothing else was queued. */
  private static void assertNoAnswer(TestClient client, Fixture fixture) throws IOException {
    client.send("{\"jsonrpc\":\"2.0\",\"method\":\"rpc.ping\",\"id\":\"after-ping\"}");
    assertEquals(MAPPER.readTree("{\"jsonrpc\":\"2.0\",\"result\":\"pong\",\"id\":\"after-ping\"}"),
      MAPPER.readTree(client.receive()), fixture.name() + ": unexpected answer");
    client.send("{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":[\"x\"],\"id\":\"after-echo\"}");
    assertEquals(MAPPER.readTree("{\"jsonrpc\":\"2.0\",\"result\":\"x\",\"id\":\"after-echo\"}"),
      MAPPER.readTree(client.receive()), fixture.name() + ": unexpected answer");
  }

  /**
   * Sorts batch answers by id text and drops {@code error.data} where the fixture has none.
   *
   * @param node     the answer (or the expected answer when {@code expected} is null)
   * @param expected the fixture's response, which decides whether {@code data} counts
   */
  static JsonNode normalise(JsonNode node, JsonNode expected) {
    if (node.isArray()) {
      boolean keepData = expected == null || (expected.isArray() && hasAnyData(expected));
      List<JsonNode> items = new ArrayList<>();
      node.forEach(item -> items.add(keepData ? item : dropData(item)));
      // Drop first, then sort: equal ids (null) must not be ordered by the data that is ignored.
      items.sort(Comparator.comparing(SpecExamplesTest::idText));
      ArrayNode sorted = MAPPER.createArrayNode();
      items.forEach(sorted::add);
      return sorted;
    }
    if (expected != null && !(expected.has("error") && expected.get("error").has("data"))) {
      return dropData(node);
    }
    return node;
  }

  private static boolean hasAnyData(JsonNode responses) {
    for (JsonNode r : responses) {
      if (r.has("error") && r.get("error").has("data")) {
        return true;
      }
    }
    return false;
  }

  private static JsonNode dropData(JsonNode response) {
    if (response.isObject() && response.get("error") instanceof ObjectNode error) {
      error.remove("data");
    }
    return response;
  }

  private static String idText(JsonNode response) {
    JsonNode id = response.get("id");
    return (id == null ? "<none>" : id.toString()) + " " + response;
  }
}
