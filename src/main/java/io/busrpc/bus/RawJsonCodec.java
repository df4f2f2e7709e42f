package io.busrpc.bus;

import io.vertx.core.buffer.Buffer;

/**
 * Carries JSON text as a {@link Buffer} without copying it on local delivery.
 *
 * <p>The stock Buffer codec copies every body on local delivery; busrpc's senders never touch a
 * buffer after sending it, so the copy buys nothing.
 */
public final class RawJsonCodec extends SameObjectCodec<Buffer> {

  /** The name to pass to {@code DeliveryOptions.setCodecName}. */
  public static final String NAME = "busrpc.raw-json";

  public RawJsonCodec() {
    super(NAME);
  }

  @Override
  public void encodeToWire(Buffer buffer, Buffer body) {
    buffer.appendInt(body.length()).appendBuffer(body);
  }

  @Override
  public Buffer decodeFromWire(int pos, Buffer buffer) {
    int length = buffer.getInt(pos);
    return buffer.getBuffer(pos + 4, pos + 4 + length);
  }
}
