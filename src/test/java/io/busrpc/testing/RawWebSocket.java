package io.busrpc.testing;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

import static io.busrpc.testing.TestDefaults.WAIT_MS;

/**
 * A WebSocket client written on a plain socket (RFC 6455 by hand), for what a well-behaved client
 * library will not do: never read, never answer a ping. It reads only when the test asks.
 */
public final class RawWebSocket implements AutoCloseable {

  /** Opcodes of RFC 6455. */
  public static final int TEXT = 1;
  public static final int CLOSE = 8;
  public static final int PING = 9;
  public static final int PONG = 10;

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;

  /** One frame received: its opcode and payload. */
  public record Frame(int opcode, byte[] payload) {
    /** @return the payload as UTF-8 text */
    public String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }
  }

  /**
   * Opens {@code ws://127.0.0.1:port/rpc} with a small receive buffer, so that what the server sends
   * and the client does not read fills the server's queue soon.
   */
  public RawWebSocket(int port, int receiveBufferSize) throws IOException {
    socket = new Socket();
    socket.setReceiveBufferSize(receiveBufferSize);
    socket.setSoTimeout(WAIT_MS);
    socket.connect(new InetSocketAddress("127.0.0.1", port));
    in = new DataInputStream(socket.getInputStream());
    out = socket.getOutputStream();
    out.write(("GET /rpc HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
      + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    out.flush();
    String status = readLine();
    if (!status.startsWith("HTTP/1.1 101")) {
      throw new IOException("handshake refused: " + status);
    }
    while (!readLine().isEmpty()) {
      // the response headers
    }
  }

  private String readLine() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != '\n') {
      if (b < 0) {
        throw new IOException("closed during the handshake");
      }
      if (b != '\r') {
        line.write(b);
      }
    }
    return line.toString(StandardCharsets.US_ASCII);
  }

  /** Sends one masked text message in one frame. */
  public void sendText(String text) throws IOException {
    send(TEXT, text.getBytes(StandardCharsets.UTF_8));
  }

  /** Sends one masked frame, final. */
  public void send(int opcode, byte[] payload) throws IOException {
    ByteArrayOutputStream frame = new ByteArrayOutputStream();
    frame.write(0x80 | opcode);
    if (payload.length < 126) {
      frame.write(0x80 | payload.length);
    } else if (payload.length < 65536) {
      frame.write(0x80 | 126);
      frame.write(payload.length >>> 8);
      frame.write(payload.length & 0xff);
    } else {
      frame.write(0x80 | 127);
      for (int shift = 56; shift >= 0; shift -= 8) {
        frame.write((int) ((long) payload.length >>> shift) & 0xff);
      }
    }
    byte[] mask = new byte[4];
    ThreadLocalRandom.current().nextBytes(mask);
    frame.write(mask);
    for (int i = 0; i < payload.length; i++) {
      frame.write(payload[i] ^ mask[i % 4]);
    }
    out.write(frame.toByteArray());
    out.flush();
  }

  /** @return the next frame from the server (waits at most 10 s), or null when the socket closed */
  public Frame receive() throws IOException {
    int first = in.read();
    if (first < 0) {
      return null;
    }
    int length = in.readUnsignedByte() & 0x7f;
    long size = length == 126 ? in.readUnsignedShort() : length == 127 ? in.readLong() : length;
    byte[] payload = new byte[(int) size];
    in.readFully(payload);
    return new Frame(first & 0x0f, payload);
  }

  /** @return the next text message, skipping ping frames */
  public String receiveText() throws IOException {
    Frame frame;
    do {
      frame = receive();
      if (frame == null) {
        throw new IOException("closed");
      }
    } while (frame.opcode() == PING);
    return frame.text();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
