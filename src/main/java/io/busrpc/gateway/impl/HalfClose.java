package io.busrpc.gateway.impl;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;

/**
 * Lets a client half-close its socket and still get its answers.
 *
 * <p>{@code printf ... | nc} shuts down its sending side at the end of its input. Vert.x would then
 * close the whole connection and drop the answers still on their way; with half-closure allowed the
 * connection stays writable and the gateway closes it itself once every answer is out.
 */
final class HalfClose {

  private HalfClose() {
  }

  /** Allows half-closure on the socket and runs {@code onInputShutdown} when the client stops sending. */
  static void enable(NetSocket socket, Runnable onInputShutdown) {
    if (!(socket instanceof NetSocketInternal internal)) {
      return;
    }
    ChannelHandlerContext context = internal.channelHandlerContext();
    context.channel().config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
    ChannelPipeline pipeline = context.pipeline();
    pipeline.addBefore("handler", "busrpc-half-close", new ChannelInboundHandlerAdapter() {
      @Override
      public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event == ChannelInputShutdownEvent.INSTANCE) {
          onInputShutdown.run();
        }
        ctx.fireUserEventTriggered(event);
      }
    });
  }
}
