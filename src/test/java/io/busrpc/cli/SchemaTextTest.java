package io.busrpc.cli;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** How the {@code methods} table writes the schemas of an {@code rpc.discover} document. */
class SchemaTextTest {

  private static String text(String schema) {
    return SchemaText.of(new JsonObject(schema));
  }

  @Test
  void shapes() {
    assertEquals("integer", text("{\"type\":\"integer\",\"format\":\"int64\"}"));
    assertEquals("string[]", text("{\"type\":\"array\",\"items\":{\"type\":\"string\"}}"));
    assertEquals("Point", text("{\"$ref\":\"#/components/schemas/Point\"}"));
    assertEquals("{string: Point[]}", text("{\"type\":\"object\",\"additionalProperties\":{\"type\":\"array\",\"items\":{\"$ref\":\"#/components/schemas/Point\"}}}"));
    assertEquals("(\"RED\"|\"GREEN\")[]", text("{\"type\":\"array\",\"items\":{\"type\":\"string\",\"enum\":[\"RED\",\"GREEN\"]}}"));
    assertEquals("{name: string, age?: integer}",
      text("{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\"},\"age\":{\"type\":\"integer\"}},\"required\":[\"name\"]}"));
    assertEquals("object", text("{\"type\":\"object\"}"));
    assertEquals("any", text("{}"));
    assertEquals("any[]", text("{\"type\":\"array\",\"items\":{}}"));
    assertEquals("null", text("{\"type\":\"null\"}"));
  }
}
