package io.busrpc.app;

import io.busrpc.bench.BenchCommand;
import io.busrpc.cli.CallCommand;
import io.busrpc.cli.HealthCommand;
import io.busrpc.cli.ListenCommand;
import io.busrpc.cli.MethodsCommand;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.launcher.application.VertxApplication;
import io.vertx.launcher.application.VertxApplicationHooks;
import picocli.CommandLine;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The jar's entry point. A first argument naming a tool runs it ({@code bench}, {@code call}, {@code methods}, {@code listen}, {@code health});
 * anything else goes to Vert.x's application launcher with {@link BusRpcVerticle} as the main
 * verticle (the jar manifest's {@code Main-Verticle}), so {@code -conf}, {@code -cluster} and
 * {@code -instances} work as Vert.x users know them.
 *
 * <p>With {@code -cluster}, Hazelcast is configured from {@code conf/cluster.xml} (TCP-IP join with
 * the hosts of {@code BUSRPC_CLUSTER_MEMBERS}, default {@code 127.0.0.1}) unless
 * {@code -Dvertx.hazelcast.config} names another file; see {@link ClusterSettings}.
 */
public class Main extends VertxApplication implements VertxApplicationHooks {

  private static final Map<String, Supplier<Object>> TOOLS = Map.of(
    "bench", BenchCommand::new,
    "call", CallCommand::new,
    "methods", MethodsCommand::new,
    "listen", ListenCommand::new,
    "health", HealthCommand::new);

  /** Creates the launcher for the given arguments. */
  public Main(String[] args) {
    super(args);
  }

  /**
   * Turns on Micrometer metrics with the Prometheus backend, which the management server's
   * {@code /metrics} serves, unless {@code -options} configures metrics itself.
   */
  @Override
  public JsonObject afterVertxOptionsParsed(JsonObject vertxOptions) {
    JsonObject options = vertxOptions == null ? new JsonObject() : vertxOptions;
    if (!options.containsKey("metricsOptions")) {
      // Vert.x's event-bus meters are looked up per message by address (about 15% of the
      // gateway's throughput in a profile); busrpc's own busrpc_calls covers the calls.
      options.put("metricsOptions", new JsonObject().put("enabled", true)
        .put("prometheusOptions", new JsonObject().put("enabled", true))
        .put("disabledMetricsCategories", new JsonArray().add("eventbus")));
    }
    return options;
  }

  /** Runs a tool or the launcher. */
  public static void main(String[] args) {
    if (args.length > 0 && TOOLS.containsKey(args[0])) {
      int status = new CommandLine(TOOLS.get(args[0]).get()).execute(Arrays.copyOfRange(args, 1, args.length));
      System.exit(status);
    }
    if (ClusterSettings.clustered(args)) {
      ClusterSettings.apply(System.getenv(), System.getProperties(), ClusterSettings.DEFAULT_CONFIG);
    }
    new Main(args).launch();
  }
}
