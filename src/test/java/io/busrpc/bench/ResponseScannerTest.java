package io.busrpc.bench;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ResponseScannerTest {

  private final ResponseScanner jsonRpc = new ResponseScanner(false);
  private final ResponseScanner bridge = new ResponseScanner(true);

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "{\"jsonrpc\":\"2.0\",\"result\":3,\"id\":17}                                  | RESULT | 17",
    "{\"id\":17,\"jsonrpc\":\"2.0\",\"result\":3}                                  | RESULT | 17",
    " { \"id\" : 17 , \"result\" : null , \"jsonrpc\" : \"2.0\" }                 | RESULT | 17",
    "{\"jsonrpc\":\"2.0\",\"result\":{\"id\":99,\"x\":[1,{\"id\":5}]},\"id\":4}    | RESULT | 4",
    "{\"jsonrpc\":\"2.0\",\"result\":\"a \\\" \\\\\\\" id\\\":9 }\",\"id\":4}      | RESULT | 4",
    "{\"jsonrpc\":\"2.0\",\"result\":[\"}\",\"]\",\"{\"],\"id\":123456789012}      | RESULT | 123456789012",
    "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32601,\"message\":\"x\"},\"id\":8} | ERROR  | 8",
    "{\"id\":8,\"error\":{\"code\":-32000,\"message\":\"id\"},\"jsonrpc\":\"2.0\"} | ERROR  | 8",
    "{\"jsonrpc\":\"2.0\",\"method\":\"ping\",\"id\":8}                            | OTHER  | 8",
    "{\"jsonrpc\":\"2.0\",\"result\":1,\"id\":\"8\"}                               | OTHER  | -1",
    "{\"jsonrpc\":\"2.0\",\"result\":1,\"id\":null}                                | OTHER  | -1",
    "{\"jsonrpc\":\"2.0\",\"result\":1,\"id\":-3}                                  | OTHER  | -1",
    "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32700,\"message\":\"x\"},\"id\":null} | OTHER | -1",
    "[{\"jsonrpc\":\"2.0\",\"result\":1,\"id\":1}]                                 | OTHER  | -1",
    "{\"jsonrpc\":\"2.0\",\"result\":1,\"id\":1                                    | OTHER  | -1",
    "not json                                                                       | OTHER  | -1"})
  void jsonRpc(String json, ResponseScanner.Kind kind, long id) {
    assertEquals(kind, jsonRpc.scan(Buffer.buffer(json.strip())));
    assertEquals(id, jsonRpc.id());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "{\"type\":\"message\",\"address\":\"42\",\"headers\":{},\"body\":3,\"send\":true}               | RESULT | 42",
    "{\"type\":\"message\",\"address\":\"42\",\"body\":{\"address\":\"7\",\"type\":\"err\"}}            | RESULT | 42",
    "{\"body\":\"x\",\"address\":\"42\",\"type\":\"message\"}                                          | RESULT | 42",
    "{\"type\":\"err\",\"address\":\"5\",\"sourceAddress\":\"busrpc.method.x\",\"failureCode\":-1}     | ERROR  | 5",
    "{\"type\":\"err\",\"message\":\"access_denied\"}                                                  | OTHER  | -1",
    "{\"type\":\"pong\"}                                                                               | OTHER  | -1"})
  void bridgeFrames(String json, ResponseScanner.Kind kind, long id) {
    assertEquals(kind, bridge.scan(Buffer.buffer(json.strip())));
    assertEquals(id, bridge.id());
  }

  @Test
  void answersToTheToolsOwnRequestsAreRead() {
    for (Wire wire : Wire.values()) {
      RequestTemplate template = new RequestTemplate(wire, "echo", "[\"a\\\"id\\\":1\"]");
      Buffer framed = template.encode(1234567);
      assertEquals(true, framed.toString().contains("1234567"), wire + ": " + framed);
    }
  }
}
