package io.busrpc.interop;

import com.googlecode.jsonrpc4j.JsonRpcClient;
import com.googlecode.jsonrpc4j.JsonRpcClientException;
import com.googlecode.jsonrpc4j.JsonRpcParam;
import com.googlecode.jsonrpc4j.ProxyUtil;
import io.busrpc.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.math.BigDecimal;
import java.net.Socket;
import java.util.List;

import static io.busrpc.testing.TestDefaults.WAIT_MS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * jsonrpc4j's socket client as shipped ({@code ProxyUtil.createClientProxy} over a {@link Socket}):
 * it writes each request as a bare JSON text, without a newline, and reads one JSON text back. The
 * gateway must find the end of each text itself (the {@code line} framing is a stream of texts).
 */
@ExtendWith(VertxExtension.class)
class Jsonrpc4jInteropTest {

  /** The demo's methods as a jsonrpc4j user declares them. */
  public interface SpecExamples {
    long subtract(long minuend, long subtrahend);

    @com.googlecode.jsonrpc4j.JsonRpcMethod("subtract")
    long subtractNamed(@JsonRpcParam("minuend") long minuend, @JsonRpcParam("subtrahend") long subtrahend);

    BigDecimal sum(int a, int b, int c); // positional params [a, b, c]

    @com.googlecode.jsonrpc4j.JsonRpcMethod("get_data")
    List<Object> getData();

    Object foobar();
  }

  static int port;

  @BeforeAll
  static void start(Vertx vertx) {
    port = TestNode.startDemo(vertx, gateway -> { });
  }

  @Test
  void callsOverOneSocketAreAnswered() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(WAIT_MS);
      SpecExamples demo = ProxyUtil.createClientProxy(getClass().getClassLoader(), SpecExamples.class,
        new JsonRpcClient(), socket);
      assertEquals(19, demo.subtract(42, 23));
      assertEquals(-19, demo.subtractNamed(23, 42));
      assertEquals(0, new BigDecimal("7").compareTo(demo.sum(1, 2, 4)));
      assertEquals(List.of("hello", 5), demo.getData());
      JsonRpcClientException error = assertThrows(JsonRpcClientException.class, demo::foobar);
      assertEquals(-32601, error.getCode());
      // The connection is still usable after an error answer.
      assertEquals(1, demo.subtract(2, 1));
    }
  }
}
