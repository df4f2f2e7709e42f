package io.busrpc.bus;

import io.vertx.core.eventbus.MessageCodec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Each codec's name travels with every message between nodes and picks the codec on the receiving
 * node, so the names are pinned here as literals: a renamed codec would cut a mixed-version cluster
 * or a rolling restart off from itself.
 */
class CodecNamesTest {

  static Stream<Arguments> codecs() {
    return Stream.of(
      Arguments.of("busrpc.raw-json", new RawJsonCodec()),
      Arguments.of("busrpc.rpc-exception", new RpcExceptionCodec()),
      Arguments.of("busrpc.handler-call", new HandlerCallCodec()),
      Arguments.of("busrpc.handler-answer", new HandlerAnswerCodec()),
      Arguments.of("busrpc.call-batch", new CallBatchCodec()),
      Arguments.of("busrpc.reply-batch", new ReplyBatchCodec()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("codecs")
  void aCodecKeepsItsWireNameAndIsAUserCodec(String name, MessageCodec<?, ?> codec) {
    assertEquals(name, codec.name());
    assertEquals(-1, codec.systemCodecID(), "a user codec (Vert.x's own have ids from 0)");
  }
}
