package io.busrpc.bench;

import io.busrpc.bus.Addresses;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.net.NetServerOptions;
import io.vertx.ext.bridge.BridgeOptions;
import io.vertx.ext.bridge.PermittedOptions;
import io.vertx.ext.eventbus.bridge.tcp.TcpEventBusBridge;

/**
 * The stock vertx-tcp-eventbus-bridge, permitting inbound sends to the reference methods' addresses
 * only (answered by {@link BusConsumersVerticle}). Clients speak its own framing
 * ({@code bench --framing bridge}).
 */
final class BridgeServerVerticle extends VerticleBase {

  private final String host;
  private final int port;
  private TcpEventBusBridge bridge;

  BridgeServerVerticle(String host, int port) {
    this.host = host;
    this.port = port;
  }

  @Override
  public Future<?> start() {
    BridgeOptions options = new BridgeOptions();
    for (String method : MathFunctions.METHODS) {
      options.addInboundPermitted(new PermittedOptions().setAddress(Addresses.DEFAULT.method(method)));
    }
    bridge = TcpEventBusBridge.create(vertx, options, new NetServerOptions().setTcpNoDelay(true));
    return bridge.listen(port, host);
  }

  @Override
  public Future<?> stop() {
    return bridge.close();
  }
}
