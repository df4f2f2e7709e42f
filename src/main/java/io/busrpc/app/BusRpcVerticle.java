package io.busrpc.app;

import io.busrpc.gateway.GatewayVerticle;
import io.busrpc.management.ManagementVerticle;
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
  private ManagementVerticle management;
  private String gatewayDeployment;

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
    Future<?> started = Future.all(handlers).compose(v -> vertx.deployVerticle(gateway))
      .onSuccess(id -> gatewayDeployment = id);
    if (options.getManagement().isEnabled()) {
      management = new ManagementVerticle(options.getManagement(), gateway);
      started = started.compose(v -> vertx.deployVerticle(management));
    }
    return started;
  }

  /** @return the deployment id of the gateway, to undeploy it alone (its handlers keep running) */
  public String gatewayDeployment() {
    return gatewayDeployment;
  }

  /** @return the management server this node started, or {@code null} when it is off */
  public ManagementVerticle management() {
    return management;
  }

  /** @return the gateway this node started, once started */
  public GatewayVerticle gateway() {
    return gateway;
  }
}
