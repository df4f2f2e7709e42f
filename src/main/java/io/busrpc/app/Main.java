package io.busrpc.app;

import io.busrpc.bench.BenchCommand;
import io.busrpc.cli.CallCommand;
import io.busrpc.cli.ListenCommand;
import io.vertx.launcher.application.VertxApplication;
import picocli.CommandLine;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The jar's entry point. A first argument naming a tool runs it ({@code bench}, {@code call}, {@code listen});
 * anything else goes to Vert.x's application launcher with {@link BusRpcVerticle} as the main
 * verticle (the jar manifest's {@code Main-Verticle}), so {@code -conf}, {@code -cluster} and
 * {@code -instances} work as Vert.x users know them.
 */
public class Main extends VertxApplication {

  private static final Map<String, Supplier<Object>> TOOLS = Map.of(
    "bench", BenchCommand::new,
    "call", CallCommand::new,
    "listen", ListenCommand::new);

  /** Creates the launcher for the given arguments. */
  public Main(String[] args) {
    super(args);
  }

  /** Runs a tool or the launcher. */
  public static void main(String[] args) {
    if (args.length > 0 && TOOLS.containsKey(args[0])) {
      int status = new CommandLine(TOOLS.get(args[0]).get()).execute(Arrays.copyOfRange(args, 1, args.length));
      System.exit(status);
    }
    new Main(args).launch();
  }
}
