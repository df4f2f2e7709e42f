package io.busrpc.app;

import io.busrpc.gateway.Gateway;
import io.busrpc.gateway.GatewayVerticle;
import io.busrpc.management.ManagementVerticle;
import io.busrpc.web.WebListener;
import io.busrpc.handler.RpcVerticle;
import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Closeable;
import io.vertx.core.Completable;
import io.vertx.core.Promise;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * The node: deploys the configured handler verticles, then the gateway. It is the jar's main
 * verticle, so {@code java -jar busrpc.jar -conf busrpc.json} runs a node.
 *
 * <p>A node stops in order: the gateway first (it tells its clients, answers the calls in flight
 * within the grace period, then closes), the handlers only after it has drained, so that no call in
 * flight loses its handler. Vert.x undeploys a verticle's children all at once, before the verticle
 * itself stops, so the handlers are not children: they are deployed on their own and undeployed by
 * {@link #stop()}; and when Vert.x closes (SIGTERM), a close hook, which runs before any
 * deployment is undeployed, drains the gateway first.
 */
public class BusRpcVerticle extends VerticleBase {

  private final List<GatewayVerticle> gateways = new CopyOnWriteArrayList<>();
  private final List<String> handlerDeployments = new CopyOnWriteArrayList<>();
  private final Closeable drainFirst = this::drainGateway;
  private ManagementVerticle management;
  private String gatewayDeployment;
  private volatile boolean vertxClosing;

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
    // Deployed from a context of no deployment: top-level deployments, not this verticle's children.
    ContextInternal outside = ((VertxInternal) vertx).createEventLoopContext();
    for (HandlerDeployment handler : options.getHandlers()) {
      JsonObject config = handler.config().copy().put("addressPrefix", prefix);
      int instances = handler.instances();
      if (handler.perEventLoop()) {
        // Vert.x gives each new context the next event loop in turn: as many instances as loops
        // (times instances) put one on every loop, the gateway instances' loops included.
        instances *= eventLoops();
        config.put(RpcVerticle.PER_EVENT_LOOP, true);
      }
      DeploymentOptions deployment = new DeploymentOptions().setInstances(instances).setConfig(config);
      // Completed back on this verticle's context: what follows (the gateway) is again a child.
      Promise<String> deployed = ((ContextInternal) context).promise();
      outside.runOnContext(v -> vertx.deployVerticle(handler.className(), deployment).onComplete(deployed));
      handlers.add(deployed.future().onSuccess(handlerDeployments::add));
    }
    ((VertxInternal) vertx).addCloseHook(drainFirst);
    // One gateway instance per event loop wanted; they share the port and Vert.x spreads connections.
    // With port 0 too: SharedRandomPort gives the deployment's instances one free port per listener.
    Supplier<GatewayVerticle> instances = () -> {
      GatewayVerticle instance = new GatewayVerticle(options.getGateway(), options.getWeb());
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
    return started.recover(e -> stop().transform(ar -> Future.failedFuture(e)));
  }

  /** @return the number of event loops of this Vert.x instance */
  private int eventLoops() {
    int count = 0;
    for (EventExecutor ignored : ((VertxInternal) vertx).nettyEventLoopGroup()) {
      count++;
    }
    return count;
  }

  @Override
  public Future<?> stop() {
    ((VertxInternal) vertx).removeCloseHook(drainFirst);
    if (vertxClosing) {
      return Future.succeededFuture(); // Vert.x undeploys the handlers itself, after the gateway
    }
    // The gateway, a child, has drained by now: the handlers may go.
    List<Future<Void>> undeployed = new ArrayList<>();
    for (String id : handlerDeployments) {
      undeployed.add(vertx.undeploy(id).otherwiseEmpty());
    }
    handlerDeployments.clear();
    return Future.join(undeployed);
  }

  /** Vert.x is closing: stop the gateway before Vert.x undeploys the handlers. */
  private void drainGateway(Completable<Void> done) {
    vertxClosing = true;
    String gateway = gatewayDeployment;
    if (gateway == null || vertx.deploymentIDs().stream().noneMatch(gateway::equals)) {
      done.succeed();
      return;
    }
    vertx.undeploy(gateway).onComplete(ar -> done.succeed());
  }

  /** @return the deployment id of the gateway, to undeploy it alone (its handlers keep running) */
  public String gatewayDeployment() {
    return gatewayDeployment;
  }

  /** @return the management server this node started, or {@code null} when it is off */
  public ManagementVerticle management() {
    return management;
  }

  /** @return the web listener of one gateway instance (they share one port), or {@code null} when it is off */
  public WebListener webListener() {
    return gateways.isEmpty() ? null : gateways.get(0).webListener();
  }

  /** @return one of the gateway instances this node started, once started (they share one port) */
  public Gateway gateway() {
    return gateways.get(0).gateway();
  }

  /** @return every gateway instance this node started, once started */
  public List<Gateway> gateways() {
    return gateways.stream().map(GatewayVerticle::gateway).toList();
  }

  /** @return the open client connections of all the node's gateway instances */
  public int connectionCount() {
    return gateways.stream().mapToInt(GatewayVerticle::connectionCount).sum();
  }
}
