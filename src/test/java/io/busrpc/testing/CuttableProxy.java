package io.busrpc.testing;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy on loopback port 0 in front of a gateway, whose connections a test can cut at any
 * moment: both sides see the connection drop, as when a phone loses its network.
 */
public final class CuttableProxy {

  private final NetServer server;
  private final NetClient client;
  private final Set<NetSocket> open = ConcurrentHashMap.newKeySet();
  private volatile boolean refusing;

  private CuttableProxy(Vertx vertx, int targetPort) {
    this.client = vertx.createNetClient();
    this.server = vertx.createNetServer().connectHandler(in -> {
      if (refusing) {
        in.close();
        return;
      }
      in.pause();
      open.add(in);
      in.closeHandler(v -> open.remove(in));
      client.connect(targetPort, "127.0.0.1").onComplete(ar -> {
        if (ar.failed()) {
          in.close();
          return;
        }
        NetSocket out = ar.result();
        open.add(out);
        out.closeHandler(v -> {
          open.remove(out);
          in.close();
        });
        in.closeHandler(v -> {
          open.remove(in);
          out.close();
        });
        in.pipeTo(out);
        out.pipeTo(in);
        in.resume();
      });
    });
  }

  /** @return a proxy listening, to the gateway on {@code targetPort} */
  public static CuttableProxy start(Vertx vertx, int targetPort) {
    CuttableProxy proxy = new CuttableProxy(vertx, targetPort);
    proxy.server.listen(0, "127.0.0.1").await();
    return proxy;
  }

  /** @return the port clients connect to */
  public int port() {
    return server.actualPort();
  }

  /** Cuts every connection through the proxy, in both directions, at once. */
  public void cut() {
    for (NetSocket socket : open) {
      socket.close();
    }
  }

  /** Makes the proxy close every new connection at once (a network that stays down), or not. */
  public void refuse(boolean refuse) {
    this.refusing = refuse;
  }

  /** Stops the proxy. */
  public void close() {
    cut();
    server.close().await();
    client.close().await();
  }
}
