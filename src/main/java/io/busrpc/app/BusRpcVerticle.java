package io.busrpc.app;

import io.busrpc.gateway.GatewayVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

import java.util.ArrayList;
import java.util.List;

/**
 * The node: deploys the configured handler verticles, then the gateway. It is the jar's main
 * verticle, so {@code java -jar busrpc.jar -conf busrpc.json} runs a node.
 */
public class BusRpcVerticle extends VerticleBase {

  private GatewayVerticle gateway;

  @Override
  public Future<?> start() {
    BusRpcOptions options;
    try {
      options = new BusRpcOptions(config()).applyEnvironment(System.getenv());
    } catch (RuntimeException e) {
      return Future.failedFuture(new IllegalArgumentException("invalid configuration: " + e.getMessage(), e));
    }
    String prefix = options.getGateway().getAddressPrefix();
    List<Future<String>> handlers = new ArrayList<>();
    for (HandlerDeployment handler : options.getHandlers()) {
      DeploymentOptions deployment = new DeploymentOptions()
        .setInstances(handler.instances())
        .setConfig(handler.config().copy().put("addressPrefix", prefix));
      handlers.add(vertx.deployVerticle(handler.className(), deployment));
    }
    gateway = new GatewayVerticle(options.getGateway());
    return Future.all(handlers).compose(v -> vertx.deployVerticle(gateway));
  }

  /** @return the gateway this node started, once started */
  public GatewayVerticle gateway() {
    return gateway;
  }
}
