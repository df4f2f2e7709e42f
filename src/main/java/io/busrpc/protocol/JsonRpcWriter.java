package io.busrpc.protocol;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes JSON-RPC messages as JSON text. Raw parts (ids, params, results that are already JSON)
 * are copied in as they are, so nothing is parsed or encoded twice.
 */
public final class JsonRpcWriter {

  private static final Buffer NULL = Buffer.buffer("null");
  private static final byte[] VERSION = "{\"jsonrpc\":\"2.0\"".getBytes(StandardCharsets.UTF_8);

  private JsonRpcWriter() {
  }

  /**
   * A success response.
   *
   * @param id     the request's raw id
   * @param result the result as raw JSON, or {@code null} for a JSON {@code null} result
   */
  public static Buffer result(Buffer id, Buffer result) {
    Buffer out = Buffer.buffer(40 + (result == null ? 4 : result.length()) + (id == null ? 4 : id.length()));
    out.appendBytes(VERSION).appendString(",\"result\":").appendBuffer(result == null ? NULL : result);
    return out.appendString(",\"id\":").appendBuffer(id == null ? NULL : id).appendByte((byte) '}');
  }

  /**
   * An error response.
   *
   * @param id    the request's raw id, or {@code null} when it could not be read
   * @param error the error to report; its data is encoded as JSON when present
   */
  public static Buffer error(Buffer id, RpcException error) {
    Buffer out = Buffer.buffer(96);
    out.appendBytes(VERSION).appendString(",\"error\":{\"code\":").appendString(Integer.toString(error.code()));
    out.appendString(",\"message\":").appendBuffer(Json.encodeToBuffer(error.getMessage()));
    if (error.data() != null) {
      out.appendString(",\"data\":").appendBuffer(encodeValue(error.data()));
    }
    return out.appendString("},\"id\":").appendBuffer(id == null ? NULL : id).appendByte((byte) '}');
  }

  /**
   * A request or notification.
   *
   * @param id     the raw id, or {@code null} for a notification
   * @param method the method name
   * @param params the params as a raw JSON array or object, or {@code null} to omit them
   */
  public static Buffer request(Buffer id, String method, Buffer params) {
    Buffer out = Buffer.buffer(64 + (params == null ? 0 : params.length()));
    out.appendBytes(VERSION).appendString(",\"method\":").appendBuffer(Json.encodeToBuffer(method));
    if (params != null) {
      out.appendString(",\"params\":").appendBuffer(params);
    }
    if (id != null) {
      out.appendString(",\"id\":").appendBuffer(id);
    }
    return out.appendByte((byte) '}');
  }

  /** Joins the responses of a batch into one JSON array. */
  public static Buffer batch(List<Buffer> responses) {
    int size = 2;
    for (Buffer r : responses) {
      size += r.length() + 1;
    }
    Buffer out = Buffer.buffer(size).appendByte((byte) '[');
    for (int i = 0; i < responses.size(); i++) {
      if (i > 0) {
        out.appendByte((byte) ',');
      }
      out.appendBuffer(responses.get(i));
    }
    return out.appendByte((byte) ']');
  }

  /**
   * Encodes a JSON value in its Vert.x form (JsonObject, JsonArray, String, Number, Boolean, null).
   * A {@link Buffer} is taken to be JSON text already and is returned as it is.
   */
  public static Buffer encodeValue(Object value) {
    if (value == null) {
      return NULL;
    }
    if (value instanceof Buffer buffer) {
      return buffer;
    }
    return Json.encodeToBuffer(value);
  }
}
