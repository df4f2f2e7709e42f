package io.busrpc.bus;

import io.busrpc.handler.Caller;
import io.vertx.core.buffer.Buffer;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Carries a {@link HandlerCall}: as it is on one node (it is immutable and the gateway does not
 * touch its params after sending), in a compact binary form between nodes: method, reply address,
 * correlation id, the caller's connection, remote address, uid and roles, then the params.
 */
public final class HandlerCallCodec extends SameObjectCodec<HandlerCall> {

  /** The codec's name; it is the default codec of its type ({@link Codecs}). */
  public static final String NAME = "busrpc.handler-call";

  public HandlerCallCodec() {
    super(NAME);
  }

  @Override
  public void encodeToWire(Buffer buffer, HandlerCall call) {
    write(buffer, call);
  }

  @Override
  public HandlerCall decodeFromWire(int pos, Buffer buffer) {
    return read(new WireStrings.Reader(buffer, pos));
  }

  /** Appends the wire form of a call. */
  static void write(Buffer buffer, HandlerCall call) {
    write(buffer, call, null);
  }

  /**
   * Appends the wire form of a call of a {@link CallBatch}: what equals the {@code previous} call's
   * (method, reply address, the caller's connection, remote address, uid, roles) is written as
   * "the same" ({@link WireStrings#SAME}).
   */
  static void write(Buffer buffer, HandlerCall call, HandlerCall previous) {
    Caller caller = call.caller();
    Caller before = previous == null ? null : previous.caller();
    WireStrings.write(buffer, call.method(), previous == null ? null : previous.method());
    WireStrings.write(buffer, call.replyTo(), previous == null ? null : previous.replyTo());
    buffer.appendLong(call.correlation());
    WireStrings.write(buffer, caller.connectionId(), before == null ? null : before.connectionId());
    WireStrings.write(buffer, caller.remoteAddress(), before == null ? null : before.remoteAddress());
    WireStrings.write(buffer, caller.uid(), before == null ? null : before.uid());
    if (before != null && !caller.roles().isEmpty() && caller.roles().equals(before.roles())) {
      buffer.appendInt(WireStrings.SAME);
    } else {
      buffer.appendInt(caller.roles().size());
      caller.roles().forEach(role -> WireStrings.write(buffer, role));
    }
    WireStrings.write(buffer, call.params());
  }

  /** Reads what {@link #write(Buffer, HandlerCall)} wrote. */
  static HandlerCall read(WireStrings.Reader in) {
    return read(in, null);
  }

  /** Reads what {@link #write(Buffer, HandlerCall, HandlerCall)} wrote after {@code previous}. */
  static HandlerCall read(WireStrings.Reader in, HandlerCall previous) {
    Caller before = previous == null ? null : previous.caller();
    String method = in.readString(previous == null ? null : previous.method());
    String replyTo = in.readString(previous == null ? null : previous.replyTo());
    long correlation = in.readLong();
    String connection = in.readString(before == null ? null : before.connectionId());
    String remote = in.readString(before == null ? null : before.remoteAddress());
    String uid = in.readString(before == null ? null : before.uid());
    int roleCount = in.readInt();
    Set<String> roles;
    if (roleCount == WireStrings.SAME) {
      roles = before.roles();
    } else {
      roles = new LinkedHashSet<>();
      for (int i = 0; i < roleCount; i++) {
        roles.add(in.readString());
      }
    }
    Buffer params = in.readBuffer();
    return new HandlerCall(method, new Caller(connection, remote, uid, roles), replyTo, correlation, params);
  }
}
