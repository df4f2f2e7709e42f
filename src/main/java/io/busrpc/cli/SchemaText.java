package io.busrpc.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * A JSON Schema of an {@code rpc.discover} document in a few words, for a table a person reads:
 * {@code integer}, {@code string[]}, {@code Point} (a {@code $ref}), {@code {string: integer}} (a map),
 * {@code "RED"|"GREEN"} (an enum), {@code any}, {@code null}.
 */
final class SchemaText {

  private static final String REF_PREFIX = "#/components/schemas/";

  private SchemaText() {
  }

  static String of(Object schema) {
    if (!(schema instanceof JsonObject object) || object.isEmpty()) {
      return "any";
    }
    String ref = object.getString("$ref");
    if (ref != null) {
      return ref.startsWith(REF_PREFIX) ? ref.substring(REF_PREFIX.length()) : ref;
    }
    JsonArray values = object.getJsonArray("enum");
    if (values != null) {
      List<String> names = new ArrayList<>();
      values.forEach(value -> names.add(value instanceof String text ? "\"" + text + "\"" : String.valueOf(value)));
      return String.join("|", names);
    }
    Object type = object.getValue("type");
    if (type instanceof JsonArray types) {
      List<String> names = new ArrayList<>();
      types.forEach(name -> names.add(String.valueOf(name)));
      return String.join("|", names);
    }
    if ("array".equals(type)) {
      Object items = object.getValue("items");
      return items == null ? "array" : wrap(of(items)) + "[]";
    }
    if ("object".equals(type)) {
      Object values2 = object.getValue("additionalProperties");
      if (values2 instanceof JsonObject valueSchema && !object.containsKey("properties")) {
        return "{string: " + of(valueSchema) + "}";
      }
      JsonObject properties = object.getJsonObject("properties");
      if (properties != null && !properties.isEmpty()) {
        List<String> fields = new ArrayList<>();
        JsonArray required = object.getJsonArray("required", new JsonArray());
        properties.forEach(p -> fields.add(p.getKey() + (required.contains(p.getKey()) ? "" : "?") + ": " + of(p.getValue())));
        return "{" + String.join(", ", fields) + "}";
      }
      return "object";
    }
    return type == null ? "any" : String.valueOf(type);
  }

  /** {@code "A"|"B"[]} would read as an array of B only. */
  private static String wrap(String text) {
    return text.contains("|") ? "(" + text + ")" : text;
  }
}
