package io.busrpc.bench;

import io.vertx.core.Vertx;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;

/** {@code bench --serve KIND}: runs a {@link ReferenceServer} until the process is stopped. */
final class ServeRun {

  private ServeRun() {
  }

  /**
   * @param instances listener instances
   * @return 2 when the server cannot start; otherwise it runs until Ctrl-C
   */
  static int run(String kindName, String host, int port, int instances, PrintStream out, PrintStream err)
    throws InterruptedException {
    ReferenceServer.Kind kind;
    try {
      kind = ReferenceServer.Kind.fromName(kindName);
    } catch (IllegalArgumentException e) {
      err.println("bench: " + e.getMessage());
      return 2;
    }
    Vertx vertx = Vertx.vertx();
    ReferenceServer server;
    try {
      server = ReferenceServer.start(vertx, kind, host, port, instances).await();
    } catch (RuntimeException e) {
      err.println("bench: cannot start the " + kind.wireName() + " server on " + host + ":" + port + ": " + e.getMessage());
      vertx.close().await();
      return 2;
    }
    out.printf(Locale.ROOT, "bench: %s server listening on %s:%d (%d instances)%n", kind.wireName(), host,
      server.actualPort(), instances);
    out.flush();
    CountDownLatch forever = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> vertx.close().await()));
    forever.await();
    return 0;
  }
}
