package io.busrpc.gateway;

import com.fasterxml.jackson.annotation.JsonValue;
import io.busrpc.bus.Addresses;
import io.busrpc.bus.ControlMessage;
import io.busrpc.bus.Headers;
import io.busrpc.handler.Clients;
import io.busrpc.protocol.ErrorCode;
import io.busrpc.protocol.codec.Framing;
import io.busrpc.testing.TestClient;
import io.busrpc.testing.TestNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static io.busrpc.testing.Rpc.PING;
import static io.busrpc.testing.Rpc.PONG;
import static io.busrpc.testing.Rpc.await;
import static io.busrpc.testing.Rpc.awaitFailure;
import static io.busrpc.testing.Rpc.login;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What server code's messages to clients cost and how they travel: {@link Clients} writes params to
 * JSON once and hands the same bytes to every member of a group; the plain bus form
 * {@code {"method", "params"}} keeps working next to it; a silent client is probed once per uid, not
 * once per waiting call.
 */
@ExtendWith(VertxExtension.class)
class ClientMessagesTest {

  static Vertx vertx;
  static int port;
  static Clients clients;

  /** Params that count how often Jackson writes them. */
  record Counted(String text, AtomicInteger writes) {
    @JsonValue
    Map<String, Object> json() {
      writes.incrementAndGet();
      return Map.of("text", text);
    }
  }

  @BeforeAll
  static void start(Vertx vertx) {
    ClientMessagesTest.vertx = vertx;
    port = TestNode.start(vertx, TestNode.demoOptions());
    clients = Clients.create(vertx);
  }

  private static TestClient loggedIn(String uid, Framing framing) throws Exception {
    TestClient client = new TestClient(port, framing);
    login(client, uid);
    return client;
  }

  /** Records the body each consumer at {@code address} receives. */
  private static List<Object> bodiesDeliveredTo(String address) {
    List<Object> bodies = Collections.synchronizedList(new ArrayList<>());
    vertx.eventBus().addInboundInterceptor(delivery -> {
      if (delivery.message().address().equals(address)) {
        bodies.add(delivery.body());
      }
      delivery.next();
    });
    return bodies;
  }

  @Test
  void aPublishToManyMembersWritesItsParamsOnceAndEveryMemberGetsTheSameBytes() throws Exception {
    List<Object> delivered = bodiesDeliveredTo(Addresses.DEFAULT.group("once-room"));
    List<TestClient> members = new ArrayList<>();
    try {
      for (Framing framing : List.of(Framing.LINE, Framing.LENGTH, Framing.LSP)) {
        TestClient member = loggedIn("once-" + framing, framing);
        members.add(member);
        await(clients.join("once-" + framing, "once-room"));
      }
      AtomicInteger writes = new AtomicInteger();
      clients.publish("once-room", "said", new Counted("hello", writes));
      for (TestClient member : members) {
        JsonObject note = (JsonObject) member.receiveJson();
        assertEquals("said", note.getString("method"));
        assertEquals(new JsonObject().put("text", "hello"), note.getJsonObject("params"));
        assertFalse(note.containsKey("id"), note.encode());
      }
      assertEquals(1, writes.get(), "params written to JSON once for 3 members");
      // The members of a gateway instance share one consumer of the group's address: one bus delivery
      // per instance that holds members, not one per member.
      int instances = TestNode.demoOptions().getGateway().getInstances();
      assertTrue(!delivered.isEmpty() && delivered.size() <= Math.min(members.size(), instances),
        delivered.size() + " deliveries for " + members.size() + " members on " + instances + " gateway instances");
      assertInstanceOf(Buffer.class, delivered.get(0));
      for (Object body : delivered) {
        assertSame(delivered.get(0), body, "no member gets a copy of its own");
      }
    } finally {
      for (TestClient member : members) {
        member.close();
      }
    }
  }

  @Test
  void aCallWritesItsParamsOnce() throws Exception {
    try (TestClient bob = loggedIn("once-bob", Framing.LINE)) {
      AtomicInteger writes = new AtomicInteger();
      Future<String> answer = clients.call("once-bob", "echo", new Counted("hi", writes), String.class);
      JsonObject request = (JsonObject) bob.receiveJson();
      assertEquals(new JsonObject().put("text", "hi"), request.getJsonObject("params"));
      bob.send(new JsonObject().put("jsonrpc", "2.0").put("id", request.getValue("id")).put("result", "hi back").encode());
      assertEquals("hi back", await(answer));
      assertEquals(1, writes.get());
    }
  }

  /** Runs {@code call} on an event loop of the test's Vert.x, as server code in a verticle does. */
  private static <T> Future<T> onEventLoop(java.util.function.Supplier<Future<T>> call) {
    io.vertx.core.Promise<T> promise = io.vertx.core.Promise.promise();
    vertx.getOrCreateContext().runOnContext(v -> call.get().onComplete(promise));
    return promise.future();
  }

  /**
   * Calls made on an event loop are answered at that event loop's reply address (the message has no
   * reply address of its own, so no reply consumer and timer were set up for it), with the same
   * outcomes as plain requests: the result, the client's error, offline at once, the caller's timeout,
   * a disconnect at once.
   */
  @Test
  void callsFromAnEventLoopAreAnsweredAtItsReplyAddress() throws Exception {
    List<Boolean> ownReplyAddress = Collections.synchronizedList(new ArrayList<>());
    vertx.eventBus().addOutboundInterceptor(delivery -> {
      if (delivery.message().address().equals(Addresses.DEFAULT.client("loop-bob"))) {
        ownReplyAddress.add(delivery.message().replyAddress() != null || !delivery.message().headers().contains(Headers.REPLY_TO));
      }
      delivery.next();
    });
    try (TestClient bob = loggedIn("loop-bob", Framing.LINE)) {
      Future<Point> point = onEventLoop(() -> clients.call("loop-bob", "where", List.of(1), Point.class));
      JsonObject request = (JsonObject) bob.receiveJson();
      bob.send(new JsonObject().put("jsonrpc", "2.0").put("id", request.getValue("id"))
        .put("result", new JsonObject().put("x", 1).put("y", 2)).encode());
      assertEquals(new Point(1, 2), await(point));

      Future<Object> refused = onEventLoop(() -> clients.call("loop-bob", "trade", null));
      JsonObject second = (JsonObject) bob.receiveJson();
      bob.send(new JsonObject().put("jsonrpc", "2.0").put("id", second.getValue("id"))
        .put("error", new JsonObject().put("code", 4001).put("message", "no wood")).encode());
      assertEquals(4001, awaitFailure(refused).code());

      assertEquals(ErrorCode.CLIENT_OFFLINE.code(), awaitFailure(onEventLoop(() -> clients.call("loop-nobody", "m", null))).code());

      Clients impatient = Clients.create(vertx, Addresses.DEFAULT, 300);
      Future<Object> slow = onEventLoop(() -> impatient.call("loop-bob", "think", null));
      bob.receive();
      assertEquals(ErrorCode.TIMEOUT.code(), awaitFailure(slow).code());

      Future<Object> cut = onEventLoop(() -> clients.call("loop-bob", "think", null));
      bob.receive();
      bob.abort();
      assertEquals(ErrorCode.CLIENT_OFFLINE.code(), awaitFailure(cut).code());
    }
    assertEquals(List.of(false, false, false, false), ownReplyAddress);
  }

  record Point(int x, int y) {
  }

  /** The plain bus form documented in the README, next to the bytes {@code Clients} sends. */
  @Test
  void thePlainBusFormStillReachesClientsAndGroups() throws Exception {
    try (TestClient ann = loggedIn("plain-ann", Framing.LINE); TestClient ben = loggedIn("plain-ben", Framing.LENGTH)) {
      await(clients.join("plain-ann", "plain-room"));
      await(clients.join("plain-ben", "plain-room"));

      Future<Message<Object>> reply = vertx.eventBus().request(Addresses.DEFAULT.client("plain-ann"),
        new JsonObject().put("method", "add").put("params", new JsonArray().add(1).add(2)));
      JsonObject request = (JsonObject) ann.receiveJson();
      assertEquals(new JsonArray().add(1).add(2), request.getJsonArray("params"));
      ann.send(new JsonObject().put("jsonrpc", "2.0").put("id", request.getValue("id"))
        .put("result", new JsonObject().put("sum", 3)).encode());
      // The plain form is answered in its own form: a Vert.x JSON value, not bytes.
      assertEquals(new JsonObject().put("sum", 3), await(reply).body());

      vertx.eventBus().publish(Addresses.DEFAULT.group("plain-room"),
        new JsonObject().put("method", "said").put("params", new JsonArray().add("plain")));
      vertx.eventBus().publish(Addresses.DEFAULT.broadcast(), new JsonObject().put("method", "news"));
      for (TestClient member : List.of(ann, ben)) {
        JsonObject said = (JsonObject) member.receiveJson();
        assertEquals("said", said.getString("method"));
        assertEquals(new JsonArray().add("plain"), said.getJsonArray("params"));
        JsonObject news = (JsonObject) member.receiveJson();
        assertEquals("news", news.getString("method"));
        assertFalse(news.containsKey("params"), news.encode());
      }
    }
  }

  /** Bytes without the method header are refused; the client sees nothing. */
  @Test
  void bytesWithoutAMethodAreRefused() throws Exception {
    try (TestClient bob = loggedIn("bytes-bob", Framing.LINE)) {
      var options = new io.vertx.core.eventbus.DeliveryOptions().setCodecName(io.busrpc.bus.RawJsonCodec.NAME);
      assertEquals(ErrorCode.INVALID_REQUEST.code(), awaitFailure(vertx.eventBus()
        .request(Addresses.DEFAULT.client("bytes-bob"), Buffer.buffer("[1]"), options)).code());
      options.addHeader(Headers.METHOD, "m");
      assertEquals(ErrorCode.INVALID_PARAMS.code(), awaitFailure(vertx.eventBus()
        .request(Addresses.DEFAULT.client("bytes-bob"), Buffer.buffer("42"), options)).code());
      assertEquals(PONG, bob.call(PING));
    }
  }

  /**
   * Ten calls wait on each of two clients that never answer: each uid is probed once per sweep, not
   * once per call.
   */
  @Test
  void aSilentClientIsProbedOncePerUidNotOncePerWaitingCall() throws Exception {
    Map<String, AtomicInteger> probes = new ConcurrentHashMap<>();
    vertx.eventBus().addInboundInterceptor(delivery -> {
      if (ControlMessage.ONLINE.value().equals(delivery.message().headers().get(Headers.CONTROL))) {
        probes.computeIfAbsent(delivery.message().address(), a -> new AtomicInteger()).incrementAndGet();
      }
      delivery.next();
    });
    // The calls wait 5 s; their uids are probed from 2 s on (ClientsImpl's PROBE_AFTER), once a second.
    Clients patient = Clients.create(vertx, Addresses.DEFAULT, 5_000);
    List<String> uids = List.of("silent-1", "silent-2");
    List<TestClient> silent = new ArrayList<>();
    List<Future<Object>> calls = new ArrayList<>();
    try {
      for (String uid : uids) {
        silent.add(loggedIn(uid, Framing.LINE));
        for (int i = 0; i < 10; i++) {
          calls.add(patient.call(uid, "think", List.of(i)));
        }
      }
      for (Future<Object> call : calls) {
        assertEquals(ErrorCode.TIMEOUT.code(), awaitFailure(call).code());
      }
    } finally {
      for (TestClient client : silent) {
        client.close();
      }
    }
    for (String uid : uids) {
      int count = probes.getOrDefault(Addresses.DEFAULT.client(uid), new AtomicInteger()).get();
      // The sweeps between 2 s and the timeout at 5 s are about 3; 5 leaves room for a late one.
      // Probing each waiting call would send 10 at every sweep.
      assertTrue(count >= 1 && count <= 5, uid + " was probed " + count + " times");
    }
  }
}
