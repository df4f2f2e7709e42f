package io.busrpc.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Turns the params object of a Java API call into JSON-RPC params: a {@code JsonArray}, a
 * {@code List} or an array become positional params; a {@code JsonObject}, a {@code Map} or any
 * other object Jackson writes as an object become named params.
 */
public final class Params {

  private Params() {
  }

  /**
   * @return the params as JSON text, or {@code null} for {@code null} params
   * @throws IllegalArgumentException when the params are not written as a JSON array or object
   */
  public static Buffer encode(Object params) {
    if (params == null) {
      return null;
    }
    if (params instanceof JsonArray || params instanceof JsonObject) {
      return JsonRpcWriter.encodeValue(params);
    }
    byte[] bytes;
    try {
      bytes = JsonMapper.mapper().writeValueAsBytes(params);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("params cannot be written as JSON: " + e.getOriginalMessage());
    }
    if (bytes.length == 0 || (bytes[0] != '[' && bytes[0] != '{')) {
      throw new IllegalArgumentException("params must be written as a JSON array or object, not " + new String(bytes, 0,
        Math.min(bytes.length, 40), java.nio.charset.StandardCharsets.UTF_8));
    }
    return Buffer.buffer(bytes);
  }
}
