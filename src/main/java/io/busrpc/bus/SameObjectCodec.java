package io.busrpc.bus;

import io.vertx.core.eventbus.MessageCodec;

/**
 * What busrpc's message codecs have in common: on local delivery the body is passed as it is, since
 * busrpc's senders never touch a body after sending it; and each codec is a user codec known by its
 * name. Subclasses write and read the form that crosses between nodes.
 *
 * @param <T> the type of the message body
 */
abstract class SameObjectCodec<T> implements MessageCodec<T, T> {

  private final String name;

  /** @param name the codec's name; it travels with every message between nodes, so never change it */
  SameObjectCodec(String name) {
    this.name = name;
  }

  @Override
  public final T transform(T body) {
    return body;
  }

  @Override
  public final String name() {
    return name;
  }

  /** Always -1: a user codec, not one of Vert.x's own. */
  @Override
  public final byte systemCodecID() {
    return -1;
  }
}
