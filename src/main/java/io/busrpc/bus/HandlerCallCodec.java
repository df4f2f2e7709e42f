package io.busrpc.bus;

import io.busrpc.handler.Caller;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Carries a {@link HandlerCall}: as it is on one node (it is immutable and the gateway does not
 * touch its params after sending), in a compact binary form between nodes: method, reply address,
 * correlation id, the caller's connection, remote address, uid and roles, then the params.
 */
public final class HandlerCallCodec implements MessageCodec<HandlerCall, HandlerCall> {

  /** The codec's name; it is the default codec of its type ({@link Codecs}). */
  public static final String NAME = "busrpc.handler-call";

  @Override
  public void encodeToWire(Buffer buffer, HandlerCall call) {
    write(buffer, call);
  }

  @Override
  public HandlerCall decodeFromWire(int pos, Buffer buffer) {
    return read(new WireStrings.Reader(buffer, pos));
  }

  /** Appends the wire form of a call (also one call of a {@link CallBatch}). */
  static void write(Buffer buffer, HandlerCall call) {
    WireStrings.write(buffer, call.method());
    WireStrings.write(buffer, call.replyTo());
    buffer.appendLong(call.correlation());
    Caller caller = call.caller();
    WireStrings.write(buffer, caller.connectionId());
    WireStrings.write(buffer, caller.remoteAddress());
    WireStrings.write(buffer, caller.uid());
    buffer.appendInt(caller.roles().size());
    caller.roles().forEach(role -> WireStrings.write(buffer, role));
    WireStrings.write(buffer, call.params());
  }

  /** Reads what {@link #write} wrote. */
  static HandlerCall read(WireStrings.Reader in) {
    String method = in.readString();
    String replyTo = in.readString();
    long correlation = in.readLong();
    String connection = in.readString();
    String remote = in.readString();
    String uid = in.readString();
    int roleCount = in.readInt();
    Set<String> roles = new LinkedHashSet<>();
    for (int i = 0; i < roleCount; i++) {
      roles.add(in.readString());
    }
    Buffer params = in.readBuffer();
    return new HandlerCall(method, new Caller(connection, remote, uid, roles), replyTo, correlation, params);
  }

  @Override
  public HandlerCall transform(HandlerCall call) {
    return call;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
