package io.busrpc.gateway.impl;

import io.busrpc.protocol.ErrorCode;
import io.busrpc.protocol.JsonRpcWriter;
import io.busrpc.protocol.RpcException;
import io.busrpc.protocol.codec.FrameDecoder;
import io.busrpc.protocol.codec.Framing;
import io.busrpc.protocol.codec.FramingException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;

/**
 * The TCP adapter of a session: socket bytes through the {@link FrameDecoder} into the core, JSON
 * texts out in the framing the client chose with its first byte. Also what only TCP has: framing
 * errors, half-closed sockets, closing without flushing.
 */
final class TcpTransport implements SessionTransport {

  private static final Logger log = LoggerFactory.getLogger(TcpTransport.class);
  /** The least a turn's gathered frames start with, in bytes. */
  private static final int GATHER_CAPACITY = 1024;

  private final NetSocket socket;
  private final GatewayMetrics metrics;
  private final GatewayMetrics.Transport bytes;
  private final int maxFrameSize;
  private FrameDecoder decoder;
  private Receiver receiver;
  // Frames written since the last flush, gathered into one socket write.
  private Buffer queued;

  TcpTransport(NetSocket socket, GatewayMetrics metrics, int maxFrameSize) {
    this.socket = socket;
    this.metrics = metrics;
    this.bytes = metrics.transport(name());
    this.maxFrameSize = maxFrameSize;
  }

  @Override
  public String name() {
    return "tcp";
  }

  @Override
  public SocketAddress peer() {
    return socket.remoteAddress();
  }

  @Override
  public void start(Receiver receiver) {
    this.receiver = receiver;
    this.decoder = new FrameDecoder(maxFrameSize, receiver::frame, this::onFramingError);
    socket.drainHandler(v -> receiver.writable());
    socket.exceptionHandler(e -> log.debug("Connection from {} failed: {}", remoteAddress(), e.getMessage()));
    socket.closeHandler(v -> receiver.closed());
    socket.shutdownHandler(v -> receiver.shuttingDown());
    HalfClose.enable(socket, this::onChunk, receiver::inputEnded);
  }

  private void onChunk(Buffer chunk) {
    bytes.bytesIn(chunk.length());
    decoder.handle(chunk);
    receiver.read(decoder.hasPartialFrame());
  }

  private void onFramingError(FramingException e) {
    metrics.rejected(e.kind().name().toLowerCase(Locale.ROOT));
    Buffer answer = switch (e.kind()) {
      case FRAME_TOO_LARGE -> error(ErrorCode.FRAME_TOO_LARGE, e.getMessage());
      case BAD_HEADER -> error(ErrorCode.PARSE_ERROR, e.getMessage());
      default -> {
        log.debug("Closing the connection from {}: {}", remoteAddress(), e.getMessage());
        yield null;
      }
    };
    // The stream cannot be resynchronised: the answer is flushed, then the socket closes.
    receiver.protocolError(answer);
  }

  private static Buffer error(ErrorCode code, String reason) {
    return JsonRpcWriter.error(null, new RpcException(code.code(), code.message(), reason));
  }

  @Override
  public int write(Buffer json) {
    Framing framing = decoder.framing();
    if (framing == null) {
      return 0;
    }
    if (queued == null) {
      // Room for a few answers like this one: those of one turn go out together.
      queued = Buffer.buffer(Math.max(GATHER_CAPACITY, 4 * (json.length() + 32)));
    }
    int before = queued.length();
    framing.appendTo(queued, json); // framed straight into the gathered bytes, grows as needed
    return queued.length() - before;
  }

  @Override
  public Future<Void> flush() {
    Buffer frames = queued;
    queued = null;
    return frames == null ? Future.succeededFuture() : socket.write(frames);
  }

  @Override
  public boolean writeQueueFull() {
    return socket.writeQueueFull();
  }

  @Override
  public void pause() {
    decoder.pause();
    socket.pause();
  }

  @Override
  public void resume() {
    decoder.resume(); // may pause again, with frames that were held back
    if (!decoder.isPaused()) {
      socket.resume();
    }
  }

  @Override
  public void end() {
    socket.end();
  }

  @Override
  public Future<Void> abort() {
    queued = null;
    if (!(socket instanceof NetSocketInternal internal)) {
      return socket.close();
    }
    // From the context of Vert.x's own handler the close skips that handler's flush-then-close.
    Promise<Void> closed = Promise.promise();
    internal.channelHandlerContext().close().addListener(f -> closed.complete());
    return closed.future();
  }
}
