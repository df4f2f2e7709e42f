package io.busrpc.app;

import io.vertx.launcher.application.VertxApplication;

/**
 * The jar's entry point. Without a subcommand it is Vert.x's application launcher with
 * {@link BusRpcVerticle} as the main verticle (the jar manifest's {@code Main-Verticle}), so
 * {@code -conf}, {@code -cluster} and {@code -instances} work as Vert.x users know them.
 */
public class Main extends VertxApplication {

  /** Creates the launcher for the given arguments. */
  public Main(String[] args) {
    super(args);
  }

  /** Runs the launcher. */
  public static void main(String[] args) {
    new Main(args).launch();
  }
}
