package io.busrpc.interop;

import com.google.gson.JsonArray;
import com.google.gson.JsonParser;
import io.busrpc.app.BusRpcOptions;
import io.busrpc.app.HandlerDeployment;
import io.busrpc.examples.ChatVerticle;
import io.busrpc.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.eclipse.lsp4j.jsonrpc.Launcher;
import org.eclipse.lsp4j.jsonrpc.ResponseErrorException;
import org.eclipse.lsp4j.jsonrpc.services.JsonNotification;
import org.eclipse.lsp4j.jsonrpc.services.JsonRequest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.Socket;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.busrpc.testing.TestDefaults.WAIT_SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Eclipse LSP4J's JSON-RPC library ({@code org.eclipse.lsp4j.jsonrpc}, Content-Length framing) as its
 * users use it, a {@link Launcher} over a socket, in both directions: it calls the gateway's methods,
 * and serves the {@code chat.receive} calls and {@code chat.message} notifications the server sends.
 */
@ExtendWith(VertxExtension.class)
class Lsp4jInteropTest {

  /** What the client calls on the server. */
  public interface Gateway {
    @JsonRequest("subtract")
    CompletableFuture<Long> subtract(Map<String, Object> params);

    @JsonRequest("rpc.login")
    CompletableFuture<Map<String, Object>> login(Map<String, Object> params);

    @JsonRequest("chat.send")
    CompletableFuture<Object> send(Map<String, Object> params);

    @JsonRequest("chat.join")
    CompletableFuture<Boolean> join(Map<String, Object> params);

    @JsonRequest("chat.say")
    CompletableFuture<Boolean> say(Map<String, Object> params);

    // Without params: LSP4J sends "params":null, which the gateway takes as absent.
    @JsonRequest("get_data")
    CompletableFuture<JsonArray> getData();

    @JsonRequest("foobar")
    CompletableFuture<Object> foobar();
  }

  /** What the client serves to the server. */
  public static class ChatClient {
    final String name;
    final CompletableFuture<Map<String, Object>> roomMessage = new CompletableFuture<>();

    ChatClient(String name) {
      this.name = name;
    }

    @JsonRequest("chat.receive")
    public CompletableFuture<String> receive(Map<String, Object> message) {
      return CompletableFuture.completedFuture(name + " got '" + message.get("text") + "' from " + message.get("from"));
    }

    @JsonNotification("chat.message")
    public void message(Map<String, Object> message) {
      roomMessage.complete(message);
    }
  }

  /** One LSP4J connection to the gateway. */
  static final class Peer implements AutoCloseable {
    final Socket socket;
    final ChatClient local;
    final Gateway remote;
    final Future<Void> listening;

    Peer(int port, String name) throws Exception {
      socket = new Socket("127.0.0.1", port);
      local = new ChatClient(name);
      Launcher<Gateway> launcher = new Launcher.Builder<Gateway>()
        .setLocalService(local)
        .setRemoteInterface(Gateway.class)
        .setInput(socket.getInputStream())
        .setOutput(socket.getOutputStream())
        .create();
      listening = launcher.startListening();
      remote = launcher.getRemoteProxy();
    }

    @Override
    public void close() throws Exception {
      listening.cancel(true);
      socket.close();
    }
  }

  static int port;

  @BeforeAll
  static void start(Vertx vertx) {
    BusRpcOptions options = TestNode.demoOptions()
      .addHandler(new HandlerDeployment(ChatVerticle.class.getName(), 1, new JsonObject()));
    port = TestNode.start(vertx, options);
  }

  private static <T> T await(CompletableFuture<T> future) throws Exception {
    return future.get(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  @Test
  void callsTheServerAndServesTheServersCallsAndNotifications() throws Exception {
    try (Peer alice = new Peer(port, "alice"); Peer bob = new Peer(port, "bob")) {
      assertEquals(19L, await(alice.remote.subtract(Map.of("minuend", 42, "subtrahend", 23))));
      assertEquals("alice", await(alice.remote.login(Map.of("uid", "alice"))).get("uid"));
      assertEquals("bob", await(bob.remote.login(Map.of("uid", "bob"))).get("uid"));

      // bob's call makes the server call chat.receive on alice's connection; alice's answer comes back.
      assertEquals("alice got 'hi' from bob", await(bob.remote.send(Map.of("to", "alice", "text", "hi"))));
      assertEquals("bob got 'hello' from alice", await(alice.remote.send(Map.of("to", "bob", "text", "hello"))));

      // A room message reaches alice as a notification.
      assertEquals(true, await(alice.remote.join(Map.of("room", "lobby"))));
      assertEquals(true, await(bob.remote.say(Map.of("room", "lobby", "text", "anyone?"))));
      Map<String, Object> message = await(alice.local.roomMessage);
      assertEquals("anyone?", message.get("text"));
      assertEquals("bob", message.get("from"));

      assertEquals(JsonParser.parseString("[\"hello\",5]"), await(bob.remote.getData()));
      ExecutionException error = assertThrows(ExecutionException.class, () -> await(bob.remote.foobar()));
      assertEquals(-32601, assertInstanceOf(ResponseErrorException.class, error.getCause()).getResponseError().getCode());
      assertEquals(7L, await(bob.remote.subtract(Map.of("minuend", 9, "subtrahend", 2))));
    }
  }
}
