package io.busrpc.discovery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.busrpc.protocol.JsonMapper;
import io.vertx.core.buffer.Buffer;

import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Puts the methods a caller may see into one OpenRPC 1.3 document: {@code openrpc}, {@code info}
 * (title {@code busrpc}, busrpc's version), the methods in the given order, and the schema
 * definitions they refer to under {@code components.schemas}.
 *
 * <p>Each method was described on its own node, so two handler classes may each have named a
 * different type {@code Point}; the second one is then renamed ({@code Point_2}) together with the
 * references to it, so that every reference in the document points at the type it meant.
 */
public final class DiscoveryDocument {

  /** The OpenRPC version the document follows. */
  public static final String OPENRPC_VERSION = "1.3.2";

  private static final ObjectMapper MAPPER = JsonMapper.mapper();
  private static final String REF_PREFIX = "#/" + JavaSchemas.DEFINITIONS_PATH + "/";

  private DiscoveryDocument() {
  }

  /**
   * @param methods each method's OpenRPC method object with the definitions it refers to; the
   *                objects are not changed
   * @return the document as JSON text
   */
  public static Buffer build(List<MethodCatalog.Entry> methods) {
    ObjectNode document = MAPPER.createObjectNode().put("openrpc", OPENRPC_VERSION);
    document.putObject("info").put("title", "busrpc").put("version", BusRpcVersion.get());
    ArrayNode list = document.putArray("methods");
    ObjectNode definitions = MAPPER.createObjectNode();
    for (MethodCatalog.Entry entry : methods) {
      Map<String, String> renames = renames(entry.schemas(), definitions);
      ObjectNode method = entry.method().deepCopy();
      ObjectNode schemas = entry.schemas().deepCopy();
      if (!renames.isEmpty()) {
        rewriteRefs(method, renames);
        rewriteRefs(schemas, renames);
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = schemas.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> definition = it.next();
        String key = renames.getOrDefault(definition.getKey(), definition.getKey());
        if (!definitions.has(key)) {
          definitions.set(key, definition.getValue());
        }
      }
      list.add(method);
    }
    if (!definitions.isEmpty()) {
      document.putObject("components").set("schemas", definitions);
    }
    try {
      return Buffer.buffer(MAPPER.writeValueAsBytes(document));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** @return new keys for the method's definitions whose name the document already uses for another schema */
  private static Map<String, String> renames(ObjectNode schemas, ObjectNode definitions) {
    Map<String, String> renames = new HashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = schemas.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> definition = it.next();
      JsonNode existing = definitions.get(definition.getKey());
      if (existing != null && !existing.equals(definition.getValue())) {
        String key;
        int n = 2;
        do {
          key = definition.getKey() + "_" + n++;
        } while (definitions.has(key) || schemas.has(key));
        renames.put(definition.getKey(), key);
      }
    }
    return renames;
  }

  private static void rewriteRefs(JsonNode node, Map<String, String> renames) {
    if (node.isObject()) {
      ObjectNode object = (ObjectNode) node;
      JsonNode ref = object.get("$ref");
      if (ref != null && ref.isTextual() && ref.asText().startsWith(REF_PREFIX)) {
        String renamed = renames.get(ref.asText().substring(REF_PREFIX.length()));
        if (renamed != null) {
          object.put("$ref", REF_PREFIX + renamed);
        }
      }
      object.forEach(child -> rewriteRefs(child, renames));
    } else if (node.isArray()) {
      node.forEach(child -> rewriteRefs(child, renames));
    }
  }
}
