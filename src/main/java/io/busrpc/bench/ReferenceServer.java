package io.busrpc.bench;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A server to measure busrpc against, run in-process: the same methods
 * ({@code sum}, {@code subtract}, {@code echo}) served without busrpc.
 */
public final class ReferenceServer {

  /** The kinds of reference server. */
  public enum Kind {
    /** A NetServer answering by itself, no event bus: the upper bound. */
    DIRECT("direct"),
    /** NetServer → {@code eventBus.request} per call → consumer → {@code socket.write} per answer. */
    NAIVE_BUS("naive-bus"),
    /** The stock TcpEventBusBridge with consumers at the same addresses. */
    BRIDGE("bridge");

    private final String wireName;

    Kind(String wireName) {
      this.wireName = wireName;
    }

    /** @return the name used on the command line */
    public String wireName() {
      return wireName;
    }

    /** @throws IllegalArgumentException if the name is none of direct, naive-bus, bridge */
    public static Kind fromName(String name) {
      for (Kind k : values()) {
        if (k.wireName.equals(name == null ? null : name.trim().toLowerCase(Locale.ROOT))) {
          return k;
        }
      }
      throw new IllegalArgumentException("serve must be direct, naive-bus or bridge, was '" + name + "'");
    }
  }

  private final Vertx vertx;
  private final List<String> deployments;
  private final int port;

  private ReferenceServer(Vertx vertx, List<String> deployments, int port) {
    this.vertx = vertx;
    this.deployments = deployments;
    this.port = port;
  }

  /**
   * Starts a reference server: {@code instances} listener verticles sharing the port (one per event
   * loop), and for the bus kinds one instance of the consumers, as busrpc's demo deploys its handlers.
   *
   * @param port the port, or 0 for a free one (see {@link #actualPort()})
   * @return the started server; fails if the port cannot be bound
   */
  public static Future<ReferenceServer> start(Vertx vertx, Kind kind, String host, int port, int instances) {
    Objects.requireNonNull(kind, "kind");
    if (instances < 1) {
      return Future.failedFuture(new IllegalArgumentException("instances must be at least 1, was " + instances));
    }
    List<String> deployments = new ArrayList<>();
    Future<Void> consumers = kind == Kind.DIRECT ? Future.succeededFuture()
      : vertx.deployVerticle(new BusConsumersVerticle()).onSuccess(deployments::add).mapEmpty();
    // Listener instances share one port; with port 0 a free one is found first, since Vert.x shares
    // a listening socket only between servers asking for the same port.
    return consumers
      .compose(v -> listeners(vertx, kind, host, port, instances, deployments, 5))
      .onFailure(e -> deployments.forEach(vertx::undeploy));
  }

  private static Future<ReferenceServer> listeners(Vertx vertx, Kind kind, String host, int port, int instances,
                                                   List<String> deployments, int attempts) {
    Future<ReferenceServer> started = (port != 0 ? Future.succeededFuture(port) : freePort(vertx, host))
      .compose(p -> vertx.deployVerticle(() -> kind == Kind.BRIDGE ? new BridgeServerVerticle(host, p)
          : new JsonRpcServerVerticle(kind == Kind.NAIVE_BUS, host, p), new DeploymentOptions().setInstances(instances))
        .map(id -> {
          deployments.add(id);
          return new ReferenceServer(vertx, deployments, p);
        }));
    // A probed free port can be taken by someone else before the listeners bind it: probe again.
    return port != 0 || attempts <= 1 ? started
      : started.recover(e -> listeners(vertx, kind, host, 0, instances, deployments, attempts - 1));
  }

  private static Future<Integer> freePort(Vertx vertx, String host) {
    NetServer probe = vertx.createNetServer().connectHandler(NetSocket::close);
    return probe.listen(0, host).compose(s -> {
      int free = s.actualPort();
      return s.close().map(free);
    });
  }

  /** @return the port the server listens on */
  public int actualPort() {
    return port;
  }

  /** Undeploys the server. */
  public Future<Void> close() {
    List<Future<Void>> undeploys = new ArrayList<>();
    for (String id : deployments) {
      undeploys.add(vertx.undeploy(id));
    }
    return Future.all(undeploys).mapEmpty();
  }
}
