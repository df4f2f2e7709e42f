package io.busrpc.bench;

import io.busrpc.protocol.codec.Framing;

import java.util.Locale;

/**
 * What the load generator speaks on its sockets: JSON-RPC in one of busrpc's three framings, JSON-RPC
 * over a WebSocket (busrpc's web listener, {@code ws://host:port/rpc}), or the stock
 * vertx-tcp-eventbus-bridge protocol (4-byte length + {@code {"type":"send",...}}).
 */
public enum Wire {

  /** JSON-RPC, 4-byte big-endian length prefix. */
  LEN("len", Framing.LENGTH),
  /** JSON-RPC, one JSON text per line. */
  LINE("line", Framing.LINE),
  /** JSON-RPC, {@code Content-Length} headers. */
  LSP("lsp", Framing.LSP),
  /** The TCP event-bus bridge's own frames: length prefix + a {@code send} message with a reply address. */
  BRIDGE("bridge", Framing.LENGTH),
  /** JSON-RPC over a WebSocket at {@code /rpc}: one JSON text per text message, no byte framing. */
  WS("ws", null);

  private final String wireName;
  private final Framing framing;

  Wire(String wireName, Framing framing) {
    this.wireName = wireName;
    this.framing = framing;
  }

  /** @return the name used on the command line */
  public String wireName() {
    return wireName;
  }

  /**
   * @return the byte framing of this wire (the bridge uses a length prefix like {@link Framing#LENGTH});
   *     null for {@link #WS}, whose messages frame themselves
   */
  public Framing framing() {
    return framing;
  }

  /**
   * Looks a wire up by name, ignoring case.
   *
   * @throws IllegalArgumentException if the name is none of len, line, lsp, ws, bridge
   */
  public static Wire fromName(String name) {
    if (name != null) {
      String lower = name.trim().toLowerCase(Locale.ROOT);
      for (Wire w : values()) {
        if (w.wireName.equals(lower)) {
          return w;
        }
      }
    }
    throw new IllegalArgumentException("framing must be len, line, lsp, ws or bridge, was '" + name + "'");
  }
}
