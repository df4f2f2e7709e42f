package io.busrpc.gateway;

import io.busrpc.bus.Addresses;
import io.busrpc.handler.Clients;
import io.busrpc.protocol.ErrorCode;
import io.busrpc.protocol.codec.Framing;
import io.busrpc.testing.Rpc;
import io.busrpc.testing.TestClient;
import io.busrpc.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.concurrent.CopyOnWriteArrayList;

import static io.busrpc.testing.Rpc.PING;
import static io.busrpc.testing.Rpc.PONG;
import static io.busrpc.testing.Rpc.errorCode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client reaches RPC methods only (DESIGN §2): method names that spell another client's address,
 * a group, the broadcast address or an internal service are just unknown methods, and nothing
 * reaches the target.
 */
@ExtendWith(VertxExtension.class)
class IsolationTest {


  static Vertx vertx;
  static int port;
  static final CopyOnWriteArrayList<Object> internalReceived = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start(Vertx vertx) {
    IsolationTest.vertx = vertx;
    port = TestNode.start(vertx, TestNode.demoOptions());
    vertx.eventBus().consumer(Addresses.DEFAULT.internal("secret"), m -> internalReceived.add(m.body())).completion().await();
    vertx.eventBus().consumer("myapp.auth", m -> internalReceived.add(m.body())).completion().await();
  }

  @ParameterizedTest
  @ValueSource(strings = {"busrpc.client.bob", "client.bob", "../client.bob", ".client.bob", "busrpc.client.bob ",
    "busrpc.group.room", "group.room", "busrpc.broadcast", "broadcast", "busrpc.internal.secret", "internal.secret",
    "myapp.auth", "busrpc.method.sum", "rpc.login.bob", "rpc.client.bob"})
  void methodsThatSpellOtherAddressesAreNotFoundAndReachNobody(String method) throws Exception {
    Clients clients = Clients.create(vertx);
    try (TestClient bob = new TestClient(port, Framing.LINE); TestClient mallory = new TestClient(port, Framing.LINE)) {
      Rpc.login(bob, "bob");
      Rpc.login(mallory, "mallory");
      Rpc.await(clients.join("bob", "room"));
      JsonObject params = new JsonObject().put("method", "steal").put("params", new JsonArray());

      JsonObject answer = Rpc.call(mallory, 1, method, params);
      assertEquals(ErrorCode.METHOD_NOT_FOUND.code(), errorCode(answer), answer::encode);
      // The same as a notification: no answer at all.
      mallory.send(Rpc.request(null, method, params));
      assertEquals(PONG, mallory.call(PING));

      // Bob saw nothing: his next frame is his own pong.
      assertEquals(PONG, bob.call(PING));
      assertTrue(internalReceived.isEmpty(), () -> "internal services received " + internalReceived);
    }
  }
}
