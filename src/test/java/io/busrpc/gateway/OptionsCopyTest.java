package io.busrpc.gateway;

import io.busrpc.client.BusRpcClient;
import io.busrpc.client.ClientOptions;
import io.busrpc.protocol.codec.Framing;
import io.busrpc.testing.Rpc;
import io.busrpc.testing.TestClient;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static io.busrpc.testing.Rpc.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A gateway and a client keep a copy of their options: changing them after start changes nothing. */
@ExtendWith(VertxExtension.class)
class OptionsCopyTest {

  @Test
  void changingTheGatewaysOptionsAfterStartHasNoEffect(Vertx vertx) throws Exception {
    GatewayOptions options = new GatewayOptions().setHost("127.0.0.1").setPort(0).setMaxBatchSize(5);
    Gateway gateway = await(Gateway.create(vertx, options).listen());
    try {
      options.setMaxBatchSize(1).setMaxConnections(1);
      try (TestClient first = new TestClient(gateway.actualPort(), Framing.LINE);
           TestClient second = new TestClient(gateway.actualPort(), Framing.LINE)) {
        String batch = "[" + Rpc.PING + "," + Rpc.PING + "," + Rpc.PING + "]";
        String answer = first.call(batch);
        assertTrue(answer.startsWith("["), "the batch of 3 is refused: " + answer);
        assertEquals(3, new JsonArray(answer).size(), answer);
        assertEquals(Rpc.PONG, second.call(Rpc.PING), "a second connection is served");
      }
    } finally {
      await(gateway.close());
    }
  }

  @Test
  void changingTheClientsOptionsAfterCreationHasNoEffect(Vertx vertx) throws Exception {
    Gateway gateway = await(Gateway.create(vertx, new GatewayOptions().setHost("127.0.0.1").setPort(0)).listen());
    ClientOptions options = new ClientOptions().setPort(gateway.actualPort());
    BusRpcClient client = BusRpcClient.create(vertx, options);
    try {
      options.setPort(1).setFraming(Framing.LINE).setCallTimeout(1);
      await(client.connect());
      assertEquals("pong", await(client.call("rpc.ping", null)));
    } finally {
      await(client.close());
      await(gateway.close());
    }
  }
}
