package io.busrpc.bus;

import io.busrpc.protocol.JsonRpcWriter;
import io.busrpc.protocol.RpcException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;

import java.nio.charset.StandardCharsets;

/**
 * Sends {@link RpcException} across the event bus, also between cluster nodes, keeping its code,
 * message and data (as vertx-service-proxy does for its {@code ServiceException}).
 */
public final class RpcExceptionCodec extends SameObjectCodec<RpcException> {

  /** The codec's name. */
  public static final String NAME = "busrpc.rpc-exception";

  public RpcExceptionCodec() {
    super(NAME);
  }

  @Override
  public void encodeToWire(Buffer buffer, RpcException e) {
    buffer.appendInt(e.code());
    byte[] message = e.getMessage().getBytes(StandardCharsets.UTF_8);
    buffer.appendInt(message.length).appendBytes(message);
    Buffer data = e.data() == null ? Buffer.buffer() : JsonRpcWriter.encodeValue(e.data());
    buffer.appendInt(data.length()).appendBuffer(data);
  }

  @Override
  public RpcException decodeFromWire(int pos, Buffer buffer) {
    int code = buffer.getInt(pos);
    int messageLength = buffer.getInt(pos + 4);
    String message = buffer.getString(pos + 8, pos + 8 + messageLength, "UTF-8");
    int dataPos = pos + 8 + messageLength;
    int dataLength = buffer.getInt(dataPos);
    Object data = dataLength == 0 ? null : Json.decodeValue(buffer.getBuffer(dataPos + 4, dataPos + 4 + dataLength));
    return new RpcException(code, message, data);
  }
}
