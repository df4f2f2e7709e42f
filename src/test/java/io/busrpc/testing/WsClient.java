package io.busrpc.testing;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.json.Json;

import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.busrpc.testing.Rpc.await;
import static io.busrpc.testing.TestDefaults.WAIT_SECONDS;

/**
 * A WebSocket test client on Vert.x's own {@link WebSocketClient}: sends text messages, and keeps
 * what it receives (whole text messages, ping frames seen, the close status) for the test thread to
 * take, as {@link TestClient} does for sockets.
 */
public final class WsClient implements AutoCloseable {

  private final WebSocketClient client;
  private final WebSocket socket;
  private final BlockingQueue<String> received = new LinkedBlockingQueue<>();
  private final CompletableFuture<Short> closed = new CompletableFuture<>();
  private final AtomicInteger pings = new AtomicInteger();

  private WsClient(WebSocketClient client, WebSocket socket) {
    this.client = client;
    this.socket = socket;
    socket.textMessageHandler(received::add);
    socket.frameHandler(frame -> {
      if (frame.type() == WebSocketFrameType.PING) {
        pings.incrementAndGet();
      }
    });
    socket.closeHandler(v -> closed.complete(socket.closeStatusCode()));
  }

  /** Connects to {@code ws://127.0.0.1:port/rpc} with no extra headers. */
  public static WsClient connect(Vertx vertx, int port) {
    return connect(vertx, port, "/rpc", Map.of());
  }

  /** Connects to {@code uri} (path and query) on loopback with these handshake headers. */
  public static WsClient connect(Vertx vertx, int port, String uri, Map<String, String> headers) {
    WebSocketClient client = vertx.createWebSocketClient();
    WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI(uri);
    headers.forEach(options::addHeader);
    try {
      // Handlers set on the event loop as the connection completes: nothing the server sends at once is missed.
      return await(client.connect(options).map(socket -> new WsClient(client, socket)));
    } catch (RuntimeException | AssertionError e) {
      client.close();
      throw e;
    }
  }

  /** @return the connected WebSocket, to pause it or write frames of one's own */
  public WebSocket socket() {
    return socket;
  }

  /** Sends one text message. */
  public void send(String text) {
    await(socket.writeTextMessage(text));
  }

  /** Sends one text message and returns the next text message received. */
  public String call(String text) throws InterruptedException {
    send(text);
    return receive();
  }

  /** @return the next text message, waiting at most 10 s */
  public String receive() throws InterruptedException {
    String message = received.poll(WAIT_SECONDS, TimeUnit.SECONDS);
    if (message == null) {
      throw new AssertionError("no message within 10 s");
    }
    return message;
  }

  /** @return the next text message as JSON */
  public Object receiveJson() throws InterruptedException {
    return Json.decodeValue(Buffer.buffer(receive()));
  }

  /** @return the next text message if one comes within {@code millis}, else null */
  public String poll(long millis) throws InterruptedException {
    return received.poll(millis, TimeUnit.MILLISECONDS);
  }

  /** @return the close status the server sent, waiting at most 10 s for the close */
  public Short closeStatus() throws Exception {
    return closed.get(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  /** @return whether the WebSocket is closed */
  public boolean isClosed() {
    return closed.isDone();
  }

  /** @return how many ping frames the server sent */
  public int pings() {
    return pings.get();
  }

  @Override
  public void close() {
    if (!closed.isDone()) {
      socket.close();
    }
    client.close();
  }
}
