package io.busrpc.protocol;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class JsonRpcErrorsTest {

  private static RpcException read(String json) {
    return JsonRpcErrors.read(Buffer.buffer(json));
  }

  @Test
  void codeMessageAndDataAreKept() {
    RpcException error = read("{\"code\":4001,\"message\":\"too far\",\"data\":{\"max\":100}}");
    assertEquals(4001, error.code());
    assertEquals("too far", error.getMessage());
    assertEquals(new JsonObject().put("max", 100), error.data());
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"4001\"", "1.5", "1e30", "12345678901234567890", "null", "true", "[1]", "{}"})
  void aCodeThatIsNotAnIntIsInternalError(String code) {
    RpcException error = read("{\"code\":" + code + ",\"message\":\"m\"}");
    assertEquals(ErrorCode.INTERNAL_ERROR.code(), error.code());
    assertEquals("m", error.getMessage());
  }

  @Test
  void aMessageThatIsNotAStringIsEmpty() {
    assertEquals("", read("{\"code\":1,\"message\":{\"text\":\"x\"}}").getMessage());
    assertEquals("", read("{\"code\":1}").getMessage());
    assertEquals(-32000, read("{\"code\":-32000.0,\"message\":7}").code());
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"boom\"", "[1,2]", "42", "null", "{not json"})
  void anErrorThatIsNotAnObjectIsReadableAsInternalError(String error) {
    RpcException read = read(error);
    assertEquals(ErrorCode.INTERNAL_ERROR.code(), read.code());
    assertTrue(read.getMessage().contains("unreadable"));
  }
}
