package io.busrpc.bench;

import io.busrpc.protocol.JsonRpcMessage;
import io.busrpc.protocol.JsonRpcParser;
import io.busrpc.protocol.RpcException;
import io.busrpc.protocol.codec.FrameDecoder;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;

import java.util.List;

/**
 * Reads what a busrpc server sends a bench tool's socket: frames in any framing, each parsed once
 * with the project's parser, and every message handed to a {@link Receiver} by kind. Used where the
 * tool plays a client that the server also calls (the soak, {@code --mode server-to-client}).
 */
final class MessageReader {

  /** Bytes accepted in one frame from the server: more than any server sends, less than a heap. */
  static final int MAX_FRAME = 16 * 1024 * 1024;

  /** What the socket's owner does with each message; called on the socket's event loop. */
  interface Receiver {

    /** An answer to one of the tool's calls. */
    void response(JsonRpcMessage message);

    /** A call from the server, to be answered. */
    void request(JsonRpcMessage message);

    /** A notification from the server. */
    void notification(JsonRpcMessage message);

    /** Something a busrpc server never sends; {@code what} says what it was. */
    void unexpected(String what);
  }

  private MessageReader() {
  }

  /** Reads the socket's frames into {@code receiver}; a broken frame is unexpected and closes the socket. */
  static void attach(NetSocket socket, Receiver receiver) {
    socket.handler(new FrameDecoder(MAX_FRAME, frame -> read(frame, receiver), e -> {
      receiver.unexpected("bad frame from the server: " + e.getMessage());
      socket.close();
    }));
  }

  private static void read(Buffer frame, Receiver receiver) {
    List<JsonRpcMessage> messages;
    try {
      messages = JsonRpcParser.parse(frame).messages();
    } catch (RpcException e) {
      receiver.unexpected("unreadable frame: " + e.getMessage());
      return;
    }
    for (JsonRpcMessage m : messages) {
      switch (m.kind()) {
        case RESPONSE -> receiver.response(m);
        case REQUEST -> receiver.request(m);
        case NOTIFICATION -> receiver.notification(m);
        default -> receiver.unexpected("invalid message: " + m.problem());
      }
    }
  }
}
