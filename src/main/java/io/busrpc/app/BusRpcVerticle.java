package io.busrpc.app;

import io.busrpc.gateway.Gateway;
import io.busrpc.gateway.GatewayVerticle;
import io.busrpc.management.ManagementVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * The node: deploys the configured handler verticles, then the gateway. It is the jar's main
 * verticle, so {@code java -jar busrpc.jar -conf busrpc.json} runs a node.
 */
public class BusRpcVerticle extends VerticleBase {

  private final List<GatewayVerticle> gateways = new CopyOnWriteArrayList<>();
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
    // One gateway instance per event loop wanted; they share the port and Vert.x spreads connections.
    Supplier<GatewayVerticle> instances = () -> {
      GatewayVerticle instance = new GatewayVerticle(options.getGateway());
      gateways.add(instance);
      return instance;
    };
    Future<?> started = Future.all(handlers)
      .compose(v -> vertx.deployVerticle(instances, new DeploymentOptions().setInstances(options.getGateway().getInstances())))
      .onSuccess(id -> gatewayDeployment = id);
    if (options.getManagement().isEnabled()) {
      started = started.compose(v -> {
        management = new ManagementVerticle(options.getManagement(), gateways.stream().map(GatewayVerticle::gateway).toList());
        return vertx.deployVerticle(management);
      });
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

  /** @return one of the gateway instances this node started, once started (they share one port) */
  public Gateway gateway() {
    return gateways.get(0).gateway();
  }
}
