package io.busrpc.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Validates documents against the OpenRPC 1.3 meta-schema kept under {@code src/test/resources/openrpc}
 * (networknt json-schema-validator; the schemas' URIs map to those files, nothing is downloaded).
 */
public final class OpenRpcSchema {

  private static final String TOOLS = "classpath:openrpc/json-schema-tools-meta-schema.json";
  private static final JsonSchema SCHEMA = load();

  private OpenRpcSchema() {
  }

  /** @return the problems found; empty when the document is a valid OpenRPC 1.3 document */
  public static Set<String> problems(JsonNode document) {
    return SCHEMA.validate(document).stream().map(ValidationMessage::toString).collect(Collectors.toCollection(java.util.TreeSet::new));
  }

  /** Fails the test, listing the problems, unless the document is valid. */
  public static void assertValid(String documentText) {
    try {
      JsonNode document = new ObjectMapper().readTree(documentText);
      Set<String> problems = problems(document);
      assertTrue(problems.isEmpty(), () -> "not a valid OpenRPC 1.3 document: " + problems + "\n" + documentText);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonSchema load() {
    // The OpenRPC meta-schema is written against this draft-07 dialect of json-schema-tools.
    JsonMetaSchema tools = JsonMetaSchema.builder("https://meta.json-schema.tools/", JsonMetaSchema.getV7()).build();
    JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7, builder -> builder
      .metaSchema(tools)
      .schemaMappers(mappers -> mappers.mappings(Map.of(
        "https://meta.json-schema.tools/", TOOLS,
        "https://meta.json-schema.tools", TOOLS,
        "https://meta.open-rpc.org/", "classpath:openrpc/openrpc-1.3-schema.json"))));
    return factory.getSchema(SchemaLocation.of("https://meta.open-rpc.org/"));
  }
}
