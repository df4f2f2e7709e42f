package io.busrpc.testing;

import io.busrpc.protocol.codec.FrameDecoder;
import io.busrpc.protocol.codec.Framing;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

import static io.busrpc.testing.TestDefaults.WAIT_MS;

/**
 * A blocking JSON-RPC test client on a real socket: it writes frames in one of the three framings
 * and reads the gateway's answers with busrpc's own decoder.
 */
public final class TestClient implements AutoCloseable {

  private final Socket socket;
  private final OutputStream out;
  private final InputStream in;
  private final Framing framing;
  private final Deque<String> frames = new ArrayDeque<>();
  private final FrameDecoder decoder;
  private boolean eof;

  public TestClient(int port, Framing framing) throws IOException {
    this.socket = new Socket("127.0.0.1", port);
    this.socket.setSoTimeout(WAIT_MS);
    this.socket.setTcpNoDelay(true);
    this.out = socket.getOutputStream();
    this.in = socket.getInputStream();
    this.framing = framing;
    this.decoder = new FrameDecoder(64 * 1024 * 1024, f -> frames.add(f.toString(StandardCharsets.UTF_8)), e -> {
      throw new IllegalStateException("gateway sent a bad frame: " + e.getMessage());
    });
  }

  public Framing framing() {
    return framing;
  }

  /** @return this end's address as the gateway sees it, {@code 127.0.0.1:port} */
  public String localAddress() {
    return "127.0.0.1:" + socket.getLocalPort();
  }

  /** Sends one JSON text in this client's framing. */
  public TestClient send(String json) throws IOException {
    return sendRaw(framing.encode(Buffer.buffer(json)).getBytes());
  }

  /** Sends bytes as they are. */
  public TestClient sendRaw(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
    return this;
  }

  /** @return the next frame the gateway sent; fails after 10 s or when the socket closes first */
  public String receive() throws IOException {
    while (frames.isEmpty()) {
      if (!readSome()) {
        throw new IOException("connection closed before an answer came");
      }
    }
    return frames.poll();
  }

  /** @return the next frame parsed as a Vert.x JSON value */
  public Object receiveJson() throws IOException {
    return Json.decodeValue(receive());
  }

  /** Sends a request and returns the answer. */
  public String call(String json) throws IOException {
    send(json);
    return receive();
  }

  /** @return true when the gateway closes the connection within 10 s without sending more frames */
  public boolean closedByServer() throws IOException {
    try {
      while (frames.isEmpty()) {
        if (!readSome()) {
          return true;
        }
      }
      return false;
    } catch (SocketTimeoutException e) {
      return false;
    }
  }

  /**
   * @return the next frame if one arrives within {@code millis}, else null
   * @throws IOException when the connection closes before a frame arrives
   */
  public String poll(int millis) throws IOException {
    socket.setSoTimeout(millis);
    try {
      while (frames.isEmpty()) {
        if (!readSome()) {
          throw new IOException("connection closed");
        }
      }
      return frames.poll();
    } catch (SocketTimeoutException e) {
      return null;
    } finally {
      socket.setSoTimeout(WAIT_MS);
    }
  }

  /** @return true when nothing arrives within the given time (for checking that nothing is sent) */
  public boolean silentFor(int millis) throws IOException {
    socket.setSoTimeout(millis);
    try {
      while (frames.isEmpty()) {
        if (!readSome()) {
          return true;
        }
      }
      return false;
    } catch (SocketTimeoutException e) {
      return true;
    } finally {
      socket.setSoTimeout(WAIT_MS);
    }
  }

  private boolean readSome() throws IOException {
    if (eof) {
      return false;
    }
    byte[] chunk = new byte[65536];
    int n = in.read(chunk);
    if (n < 0) {
      eof = true;
      return false;
    }
    decoder.handle(Buffer.buffer().appendBytes(chunk, 0, n));
    return true;
  }

  /** Half-closes the connection: the gateway sees the end of the client's input, answers can still arrive. */
  public void shutdownOutput() throws IOException {
    socket.shutdownOutput();
  }

  /** Drops the connection with a TCP reset, as a crashed peer or a lost network does: no half-close. */
  public void abort() throws IOException {
    socket.setSoLinger(true, 0);
    socket.close();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
