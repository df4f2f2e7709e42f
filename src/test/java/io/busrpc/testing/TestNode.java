package io.busrpc.testing;

import io.busrpc.app.BusRpcOptions;
import io.busrpc.app.BusRpcVerticle;
import io.busrpc.app.HandlerDeployment;
import io.busrpc.examples.SpecExamplesVerticle;
import io.busrpc.gateway.GatewayOptions;
import io.busrpc.gateway.auth.AuthOptions;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.function.Consumer;

/** Starts a busrpc node (handlers + gateway on a free loopback port) in a test's Vert.x instance. */
public final class TestNode {

  private TestNode() {
  }

  /**
   * @return options like the demo's (anonymous login, every method callable before login) for a
   *     node on a free port serving the specification's example methods
   */
  public static BusRpcOptions demoOptions() {
    return new BusRpcOptions()
      .setGateway(new GatewayOptions().setPort(0).setPublicMethods(List.of("*"))
        .setAuth(new AuthOptions().setType(AuthOptions.Type.ANONYMOUS)))
      .addHandler(new HandlerDeployment(SpecExamplesVerticle.class.getName(), 1, new JsonObject()));
  }

  /** Deploys a demo node whose gateway options {@code tweak} changes; returns the gateway's port. */
  public static int startDemo(Vertx vertx, Consumer<GatewayOptions> tweak) {
    BusRpcOptions options = demoOptions();
    tweak.accept(options.getGateway());
    return start(vertx, options);
  }

  /** Deploys a node and waits for it; returns the gateway's port. */
  public static int start(Vertx vertx, BusRpcOptions options) {
    return deploy(vertx, options).gateway().actualPort();
  }

  /**
   * Deploys a node and waits for it; returns the node, whose {@code deploymentID()} undeploys it and
   * whose {@code gateway()} tells its port and open connections.
   */
  public static BusRpcVerticle deploy(Vertx vertx, BusRpcOptions options) {
    BusRpcVerticle node = new BusRpcVerticle();
    vertx.deployVerticle(node, new DeploymentOptions().setConfig(options.toJson())).await();
    return node;
  }
}
