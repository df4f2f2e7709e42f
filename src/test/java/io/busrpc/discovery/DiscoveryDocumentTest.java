package io.busrpc.discovery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.busrpc.testing.OpenRpcSchema;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Putting methods described on different nodes into one document. */
class DiscoveryDocumentTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Test
  void twoDifferentTypesOfOneNameBothKeepTheirSchema() throws IOException {
    MethodCatalog.Entry first = entry("{\"name\":\"a.move\",\"params\":[{\"name\":\"p\",\"schema\":{\"$ref\":\"#/components/schemas/Point\"}}]}",
      "{\"Point\":{\"type\":\"object\",\"properties\":{\"x\":{\"type\":\"integer\"}}}}");
    MethodCatalog.Entry second = entry("{\"name\":\"b.move\",\"params\":[{\"name\":\"p\",\"schema\":{\"$ref\":\"#/components/schemas/Point\"}}],"
        + "\"result\":{\"name\":\"result\",\"schema\":{\"$ref\":\"#/components/schemas/Line\"}}}",
      "{\"Point\":{\"type\":\"object\",\"properties\":{\"lat\":{\"type\":\"number\"}}},"
        + "\"Line\":{\"type\":\"array\",\"items\":{\"$ref\":\"#/components/schemas/Point\"}}}");
    MethodCatalog.Entry same = entry("{\"name\":\"c.move\",\"params\":[{\"name\":\"p\",\"schema\":{\"$ref\":\"#/components/schemas/Point\"}}]}",
      "{\"Point\":{\"type\":\"object\",\"properties\":{\"x\":{\"type\":\"integer\"}}}}");

    String text = DiscoveryDocument.build(List.of(first, second, same)).toString();
    OpenRpcSchema.assertValid(text);
    JsonNode document = MAPPER.readTree(text);

    JsonNode schemas = document.path("components").path("schemas");
    assertEquals(MAPPER.readTree("{\"type\":\"object\",\"properties\":{\"x\":{\"type\":\"integer\"}}}"), schemas.get("Point"));
    assertEquals(MAPPER.readTree("{\"type\":\"object\",\"properties\":{\"lat\":{\"type\":\"number\"}}}"), schemas.get("Point_2"));
    assertEquals(MAPPER.readTree("{\"type\":\"array\",\"items\":{\"$ref\":\"#/components/schemas/Point_2\"}}"), schemas.get("Line"));
    assertEquals(3, schemas.size(), schemas::toString);
    assertEquals("#/components/schemas/Point", ref(document, 0));
    assertEquals("#/components/schemas/Point_2", ref(document, 1));
    assertEquals("#/components/schemas/Point", ref(document, 2));
    // The catalog's own objects are left as they were.
    assertEquals("#/components/schemas/Point", second.method().path("params").path(0).path("schema").path("$ref").asText());
  }

  @Test
  void noMethodsIsStillAValidDocument() {
    OpenRpcSchema.assertValid(DiscoveryDocument.build(List.of()).toString());
  }

  private static String ref(JsonNode document, int method) {
    return document.path("methods").path(method).path("params").path(0).path("schema").path("$ref").asText();
  }

  private static MethodCatalog.Entry entry(String method, String schemas) throws IOException {
    return new MethodCatalog.Entry((ObjectNode) MAPPER.readTree(method), (ObjectNode) MAPPER.readTree(schemas), List.of());
  }
}
