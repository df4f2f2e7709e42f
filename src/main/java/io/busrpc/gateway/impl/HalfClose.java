package io.busrpc.gateway.impl;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;

/**
 * Lets a client half-close its socket and still get its answers.
 *
 * <p>{@code printf ... | nc} shuts down its sending side at the end of its input. Vert.x would then
 * close the whole connection and drop the answers still on their way; with half-closure allowed the
 * connection stays writable and the gateway closes it itself once every answer is out.
 *
 * <p>The end of input must reach the connection after the data before it. Netty reports it as a user
 * event, which bypasses the socket's inbound queue: while the socket is paused (calls in flight, full
 * write queue) data already read still waits in that queue. So the end is sent down the data path as
 * an empty buffer, which Netty never delivers for a real read.
 */
final class HalfClose {

  private HalfClose() {
  }

  /**
   * Sets the socket's data handler, allows half-closure and runs {@code onInputShutdown} when the client
   * stops sending, after {@code data} has seen every byte the client sent.
   */
  static void enable(NetSocket socket, Handler<Buffer> data, Runnable onInputShutdown) {
    socket.handler(chunk -> {
      if (chunk.length() == 0) {
        onInputShutdown.run();
      } else {
        data.handle(chunk);
      }
    });
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
          ctx.fireChannelRead(Unpooled.EMPTY_BUFFER);
        }
        ctx.fireUserEventTriggered(event);
      }
    });
  }
}
