package io.busrpc.protocol;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads one frame of JSON into {@link JsonRpcMessage}s with Jackson's streaming parser, without
 * building a tree: params, ids and results are cut out of the frame as raw JSON.
 *
 * <p>The whole frame is checked before anything is returned, so a batch with a syntax error anywhere
 * is one parse error, as the specification asks.
 */
public final class JsonRpcParser {

  private JsonRpcParser() {
  }

  /**
   * Parses a frame.
   *
   * @param frame the JSON text of one frame
   * @return the messages of the frame
   * @throws RpcException with {@link ErrorCode#PARSE_ERROR} when the frame is not exactly one
   *                      well-formed JSON text in UTF-8 (empty, truncated, trailing data, invalid
   *                      UTF-8, nesting deeper than 1000 levels)
   */
  public static ParsedFrame parse(Buffer frame) {
    byte[] bytes;
    int offset;
    ByteBuf buf = ((BufferInternal) frame).getByteBuf();
    if (buf.hasArray()) {
      bytes = buf.array();
      offset = buf.arrayOffset() + buf.readerIndex();
    } else {
      bytes = frame.getBytes();
      offset = 0;
    }
    int invalid = invalidUtf8(bytes, offset, offset + frame.length());
    if (invalid >= 0) {
      throw new RpcException(ErrorCode.PARSE_ERROR, "invalid UTF-8 at byte " + (invalid - offset));
    }
    try (JsonParser parser = JsonMapper.factory().createParser(bytes, offset, frame.length())) {
      Reader reader = new Reader(parser, bytes, offset);
      ParsedFrame parsed = reader.frame();
      if (parser.nextToken() != null) {
        throw new RpcException(ErrorCode.PARSE_ERROR, "unexpected data after the JSON text");
      }
      return parsed;
    } catch (IOException e) {
      throw new RpcException(ErrorCode.PARSE_ERROR, reason(e, frame.length()));
    }
  }

  /**
   * Says in plain words what is wrong with the JSON, and where: Jackson's own messages name its
   * classes and features ({@code StreamReadConstraints}, {@code JsonReadFeature...}), which mean
   * nothing to a client and tell an attacker which library reads its bytes.
   */
  static String reason(IOException e, int length) {
    if (e instanceof StreamConstraintsException) {
      return "the JSON text exceeds a limit (nesting deeper than 1000 levels, or a number or string too long)";
    }
    long at = e instanceof JsonProcessingException jpe && jpe.getLocation() != null ? jpe.getLocation().getByteOffset() : -1;
    if (e instanceof JsonEOFException || at >= length) {
      return "the JSON text ends before it is complete";
    }
    return at >= 0 ? "malformed JSON at byte " + at : "malformed JSON";
  }

  /**
   * Jackson rejects bad lead and continuation bytes but decodes overlong forms ({@code C0 AF} as
   * {@code '/'}), UTF-16 surrogates and code points above U+10FFFF, so the frame is checked against
   * RFC 3629 first.
   *
   * @return the index of the first byte of an ill-formed sequence, or -1 when all is well-formed
   */
  static int invalidUtf8(byte[] bytes, int from, int to) {
    int i = from;
    while (i < to) {
      int c = bytes[i] & 0xFF;
      if (c < 0x80) {
        i++;
        continue;
      }
      int more;
      if (c >= 0xC2 && c <= 0xDF) {
        more = 1;
      } else if (c >= 0xE0 && c <= 0xEF) {
        more = 2;
      } else if (c >= 0xF0 && c <= 0xF4) {
        more = 3;
      } else {
        return i;
      }
      if (i + more >= to) {
        return i;
      }
      int second = bytes[i + 1] & 0xFF;
      int low = c == 0xE0 ? 0xA0 : c == 0xF0 ? 0x90 : 0x80;
      int high = c == 0xED ? 0x9F : c == 0xF4 ? 0x8F : 0xBF;
      if (second < low || second > high) {
        return i;
      }
      for (int k = 2; k <= more; k++) {
        if ((bytes[i + k] & 0xC0) != 0x80) {
          return i;
        }
      }
      i += more + 1;
    }
    return -1;
  }

  /** Keeps the parser and the bytes it reads together, so raw values can be cut out. */
  private static final class Reader {
    private final JsonParser parser;
    private final byte[] bytes;
    private final int offset;

    Reader(JsonParser parser, byte[] bytes, int offset) {
      this.parser = parser;
      this.bytes = bytes;
      this.offset = offset;
    }

    ParsedFrame frame() throws IOException {
      JsonToken token = parser.nextToken();
      if (token == null) {
        throw new RpcException(ErrorCode.PARSE_ERROR, "empty frame");
      }
      if (token == JsonToken.START_ARRAY) {
        List<JsonRpcMessage> messages = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          messages.add(element());
        }
        if (messages.isEmpty()) {
          return new ParsedFrame(false, List.of(JsonRpcMessage.invalid(null, "empty batch")));
        }
        return new ParsedFrame(true, messages);
      }
      return new ParsedFrame(false, List.of(element()));
    }

    private JsonRpcMessage element() throws IOException {
      if (parser.currentToken() != JsonToken.START_OBJECT) {
        parser.skipChildren();
        return JsonRpcMessage.invalid(null, "a message must be a JSON object");
      }
      String version = null;
      String method = null;
      Buffer id = null;
      Buffer params = null;
      Buffer result = null;
      Buffer error = null;
      boolean hasMethod = false;
      String problem = null;
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        switch (field) {
          case "jsonrpc" -> {
            version = value == JsonToken.VALUE_STRING ? parser.getText() : null;
            parser.skipChildren();
          }
          case "method" -> {
            hasMethod = true;
            if (value == JsonToken.VALUE_STRING) {
              method = parser.getText();
            } else {
              problem = "method must be a string";
              parser.skipChildren();
            }
          }
          case "params" -> {
            if (value == JsonToken.START_ARRAY || value == JsonToken.START_OBJECT) {
              params = raw();
            } else if (value == JsonToken.VALUE_NULL) {
              // "params": null is taken as absent, as most servers do: LSP4J sends it for a method
              // without params, though the specification wants params structured when present.
              params = null;
            } else {
              problem = "params must be an array or an object";
              parser.skipChildren();
            }
          }
          case "id" -> {
            if (value == JsonToken.VALUE_STRING || value == JsonToken.VALUE_NUMBER_INT
              || value == JsonToken.VALUE_NUMBER_FLOAT || value == JsonToken.VALUE_NULL) {
              id = raw();
            } else {
              problem = "id must be a string, a number or null";
              parser.skipChildren();
            }
          }
          case "result" -> result = raw();
          case "error" -> {
            if (value == JsonToken.START_OBJECT) {
              error = raw();
            } else {
              problem = "error must be an object";
              parser.skipChildren();
            }
          }
          default -> parser.skipChildren();
        }
      }
      if (problem == null && !"2.0".equals(version)) {
        problem = "jsonrpc must be \"2.0\"";
      }
      if (problem == null && !hasMethod && result == null && error == null) {
        problem = "a request needs a method";
      }
      if (problem == null && !hasMethod && (result != null) == (error != null)) {
        problem = "a response has either a result or an error";
      }
      if (problem != null) {
        return JsonRpcMessage.invalid(id, problem);
      }
      return hasMethod ? JsonRpcMessage.request(id, method, params) : JsonRpcMessage.response(id, result, error);
    }

    /** Cuts the current value (scalar or structure) out of the frame as its own buffer. */
    private Buffer raw() throws IOException {
      int start = (int) parser.currentTokenLocation().getByteOffset();
      if (parser.currentToken().isStructStart()) {
        parser.skipChildren();
      } else {
        parser.finishToken();
      }
      int end = (int) parser.currentLocation().getByteOffset();
      return Buffer.buffer().appendBytes(bytes, offset + start, end - start);
    }
  }
}
