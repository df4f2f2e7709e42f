package io.busrpc.testing;

import io.busrpc.protocol.codec.Framing;
import io.vertx.core.Vertx;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;

import static io.busrpc.testing.TestDefaults.WAIT_MS;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * A blocking test client that speaks session resume (DESIGN §11) the way a real client must: it
 * counts the messages each side sends after the login answer, keeps its own until the gateway
 * acknowledges them, acknowledges the gateway's, and resumes on a new connection with
 * {@code rpc.resume}, resending what the gateway lacks. It answers the gateway's {@code rpc.ping}.
 * Not thread-safe: one test thread drives it.
 */
public final class ResumeClient implements AutoCloseable {

  /** One connection of the client, over TCP or a WebSocket. */
  public interface Wire extends AutoCloseable {

    /** Sends one JSON text. */
    void send(String json) throws IOException;

    /**
     * @return the next JSON text if one comes within {@code millis}, else null
     * @throws IOException when the connection is closed and nothing is left to read
     */
    String poll(int millis) throws IOException;

    /** Drops the connection as a lost network does (TCP: a reset, no goodbye). */
    void cut() throws IOException;

    /** @return this end's address as the gateway sees it, {@code host:port}, when the wire knows it */
    default String localAddress() {
      return null;
    }

    @Override
    void close();
  }

  /** Opens a new connection to the gateway. */
  @FunctionalInterface
  public interface Connector {
    Wire open() throws IOException;
  }

  /** @return a connector for line-framed TCP on loopback */
  public static Connector tcp(int port) {
    return () -> {
      TestClient client = new TestClient(port, Framing.LINE);
      return new Wire() {
        @Override
        public void send(String json) throws IOException {
          client.send(json);
        }

        @Override
        public String poll(int millis) throws IOException {
          return client.poll(millis);
        }

        @Override
        public void cut() throws IOException {
          client.abort();
        }

        @Override
        public String localAddress() {
          return client.localAddress();
        }

        @Override
        public void close() {
          try {
            client.close();
          } catch (IOException e) {
            // closing anyway
          }
        }
      };
    };
  }

  /** @return a connector for WebSockets at {@code /rpc} on loopback */
  public static Connector ws(Vertx vertx, int port) {
    return () -> {
      WsClient client = WsClient.connect(vertx, port);
      return new Wire() {
        @Override
        public void send(String json) {
          client.send(json);
        }

        @Override
        public String poll(int millis) throws IOException {
          try {
            String text = client.poll(millis);
            if (text == null && client.isClosed()) {
              text = client.poll(0);
              if (text == null) {
                throw new IOException("connection closed");
              }
            }
            return text;
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
          }
        }

        @Override
        public void cut() {
          client.close();
        }

        @Override
        public void close() {
          client.close();
        }
      };
    };
  }

  private static final String PING_ID = "resume-client-ping-";

  private Connector connector;
  private int pings;
  private int pongs;
  private int shutdownNotices;
  private Wire wire;
  private JsonObject loginResult;
  private String token;
  private long received;
  private long sent;
  // The client's own counted messages the gateway has not acknowledged, oldest first: number firstKept on.
  private final Deque<String> kept = new ArrayDeque<>();
  private long firstKept = 1;
  private long serverAcked;

  private ResumeClient(Connector connector, Wire wire) {
    this.connector = connector;
    this.wire = wire;
  }

  /** Connects and logs in as {@code uid} with {@code "resume": true}; fails unless a token comes back. */
  public static ResumeClient login(Connector connector, String uid) throws IOException {
    ResumeClient client = new ResumeClient(connector, connector.open());
    client.loginResult = client.loginRaw(uid);
    assertNotNull(client.loginResult.getJsonObject("resume"), () -> "no resume token in " + client.loginResult);
    client.token = client.loginResult.getJsonObject("resume").getString("token");
    return client;
  }

  /** @return the result of the login */
  private JsonObject loginRaw(String uid) throws IOException {
    wire.send(Rpc.request("login", "rpc.login", new JsonObject().put("uid", uid).put("resume", true)));
    while (true) {
      JsonObject message = new JsonObject(await());
      if ("login".equals(message.getValue("id"))) {
        assertNotNull(message.getJsonObject("result"), () -> "login failed: " + message);
        return message.getJsonObject("result");
      }
    }
  }

  private String await() throws IOException {
    String text = wire.poll(WAIT_MS);
    if (text == null) {
      throw new IOException("nothing arrived within " + WAIT_MS + " ms");
    }
    return text;
  }

  /** @return the login's result */
  public JsonObject loginResult() {
    return loginResult;
  }

  /** @return the token the next resume uses */
  public String token() {
    return token;
  }

  /** @return the next counted message of the gateway (a JsonObject, or a JsonArray for a batch answer); fails after 10 s */
  public Object next() throws IOException {
    Object message = poll(WAIT_MS);
    if (message == null) {
      throw new IOException("no counted message within " + WAIT_MS + " ms");
    }
    return message;
  }

  /**
   * @return the next counted message if one comes within {@code millis}, else null; acks and pings
   *     are handled on the way
   */
  public Object poll(int millis) throws IOException {
    long deadline = System.nanoTime() + millis * 1_000_000L;
    while (true) {
      long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
      String text = wire.poll((int) left);
      if (text == null) {
        return null;
      }
      Object message = Json.decodeValue(text);
      if (message instanceof JsonObject json && json.getValue("id") instanceof String id && id.startsWith(PING_ID)) {
        pongs++;
        continue; // the answer to an rpc.ping is not counted
      }
      if (message instanceof JsonObject json && !json.containsKey("result") && !json.containsKey("error")) {
        String method = json.getString("method");
        if ("rpc.ack".equals(method)) {
          acked(json.getJsonObject("params").getLong("seq"));
          continue;
        }
        if ("rpc.shutdown".equals(method)) {
          shutdownNotices++;
          continue;
        }
        if ("rpc.ping".equals(method)) {
          wire.send(new JsonObject().put("jsonrpc", "2.0").put("result", "pong").put("id", json.getValue("id")).encode());
          continue;
        }
      }
      received++;
      return message;
    }
  }

  private void acked(long seq) {
    serverAcked = Math.max(serverAcked, seq);
    while (!kept.isEmpty() && firstKept <= seq) {
      kept.poll();
      firstKept++;
    }
  }

  /** Sends a counted message and keeps it until the gateway acknowledges it. */
  public void send(String json) throws IOException {
    keep(json);
    wire.send(json);
  }

  /** Counts and keeps a message as sent, but does not write it: as if the network lost it. */
  public void sendLost(String json) {
    keep(json);
  }

  private void keep(String json) {
    sent++;
    kept.add(json);
  }

  /** Sends a message that is not counted (an rpc.ack, an rpc.ping). */
  public void sendUncounted(String json) throws IOException {
    wire.send(json);
  }

  /** Sends an {@code rpc.ping}, which is not counted, nor is its answer. */
  public void ping() throws IOException {
    wire.send(Rpc.request(PING_ID + (++pings), "rpc.ping", null));
  }

  /** @return answers to {@link #ping()} received */
  public int pongs() {
    return pongs;
  }

  /** @return {@code rpc.shutdown} notices received (not counted) */
  public int shutdownNotices() {
    return shutdownNotices;
  }

  /** Acknowledges every counted message received so far. */
  public void ack() throws IOException {
    wire.send(Rpc.request(null, "rpc.ack", new JsonObject().put("seq", received)));
  }

  /**
   * Resumes on a new connection with the current token and the count received: on success the new
   * connection replaces the old one (which is closed unless {@code keepOld}, to leave it half-open)
   * and the messages the gateway lacks are resent.
   *
   * @return the answer to {@code rpc.resume}
   */
  public JsonObject resume(boolean keepOld) throws IOException {
    Wire fresh = connector.open();
    fresh.send(Rpc.request("resume", "rpc.resume", new JsonObject().put("token", token).put("seq", received)));
    String text = fresh.poll(WAIT_MS);
    if (text == null) {
      fresh.close();
      throw new IOException("no answer to rpc.resume within " + WAIT_MS + " ms");
    }
    JsonObject answer = new JsonObject(text);
    JsonObject result = answer.getJsonObject("result");
    if (result == null) {
      fresh.close();
      return answer;
    }
    if (!keepOld) {
      wire.close();
    }
    wire = fresh;
    token = result.getString("token");
    long serverReceived = result.getLong("seq");
    acked(serverReceived);
    for (String message : kept) {
      wire.send(message);
    }
    return answer;
  }

  /** @return the answer to {@code rpc.resume} with this token and seq on a new connection, which then closes */
  public JsonObject tryResume(String withToken, long seq) throws IOException {
    try (Wire fresh = connector.open()) {
      fresh.send(Rpc.request("resume", "rpc.resume", new JsonObject().put("token", withToken).put("seq", seq)));
      String text = fresh.poll(WAIT_MS);
      if (text == null) {
        throw new IOException("no answer to rpc.resume within " + WAIT_MS + " ms");
      }
      return new JsonObject(text);
    }
  }

  /** The next resume connects with {@code other} (another transport, another node). */
  public void connectWith(Connector other) {
    this.connector = other;
  }

  /** Drops the connection as a lost network does. */
  public void cut() throws IOException {
    wire.cut();
  }

  /** @return the current connection */
  public Wire wire() {
    return wire;
  }

  /** @return counted messages received from the gateway */
  public long received() {
    return received;
  }

  /** @return counted messages sent */
  public long sent() {
    return sent;
  }

  /** @return the highest seq the gateway acknowledged */
  public long serverAcked() {
    return serverAcked;
  }

  /** @return the client's messages kept because the gateway has not acknowledged them */
  public int kept() {
    return kept.size();
  }

  @Override
  public void close() {
    wire.close();
  }
}
