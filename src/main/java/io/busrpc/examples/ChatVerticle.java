package io.busrpc.examples;

import io.busrpc.handler.Caller;
import io.busrpc.handler.RpcMethod;
import io.busrpc.handler.RpcVerticle;
import io.busrpc.protocol.ErrorCode;
import io.busrpc.protocol.RpcException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * The chat demo: direct messages that the receiving client answers, and rooms.
 *
 * <ul>
 *   <li>{@code chat.send {"to": uid, "text": t}} calls {@code chat.receive {"from", "text"}} on the
 *   client {@code to} and returns that client's result (or its error, or "client offline").</li>
 *   <li>{@code chat.join {"room": r}} / {@code chat.leave {"room": r}}.</li>
 *   <li>{@code chat.say {"room": r, "text": t}} sends {@code chat.message {"room", "from", "text"}}
 *   to every member of the room.</li>
 * </ul>
 */
public class ChatVerticle extends RpcVerticle {

  /** Sends a direct message and returns the receiver's answer. */
  @RpcMethod(value = "chat.send", summary = "Sends a direct message; answers with the receiver's answer",
    description = "Calls `chat.receive {\"from\", \"text\"}` on the client logged in as `to` and answers with what it "
      + "answers (or its error, or -32003 when it is offline). Needs a login.")
  public Future<Object> send(Caller caller, String to, String text) {
    return clients().call(to, "chat.receive", new JsonObject().put("from", uid(caller)).put("text", text));
  }

  /** Joins a room. */
  @RpcMethod(value = "chat.join", summary = "Joins a room", description = "From then on `chat.say` in the room reaches you. Needs a login.")
  public Future<Boolean> join(Caller caller, String room) {
    return clients().join(uid(caller), room).map(true);
  }

  /** Leaves a room. */
  @RpcMethod(value = "chat.leave", summary = "Leaves a room", description = "Answers false when you were not in it. Needs a login.")
  public Future<Boolean> leave(Caller caller, String room) {
    return clients().leave(uid(caller), room);
  }

  /** Says something to everyone in a room. */
  @RpcMethod(value = "chat.say", summary = "Says something to everyone in a room",
    description = "Every member of the room gets the notification `chat.message {\"room\", \"from\", \"text\"}`. Needs a login.")
  public boolean say(Caller caller, String room, String text) {
    clients().publish(room, "chat.message", new JsonObject().put("room", room).put("from", uid(caller)).put("text", text));
    return true;
  }

  private static String uid(Caller caller) {
    if (!caller.loggedIn()) {
      throw new RpcException(ErrorCode.NOT_LOGGED_IN, "log in with rpc.login first");
    }
    return caller.uid();
  }
}
