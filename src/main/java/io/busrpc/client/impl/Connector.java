package io.busrpc.client.impl;

import io.busrpc.client.ClientOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.PemTrustOptions;

/**
 * Opens the client's connections (TLS as the options say) and spaces reconnection attempts: from
 * the initial delay, doubling up to the longest.
 */
final class Connector {

  private final Vertx vertx;
  private final ClientOptions options;
  private final NetClient netClient;
  private long delay;

  Connector(Vertx vertx, ClientOptions options) {
    this.vertx = vertx;
    this.options = options;
    this.delay = options.getReconnectInitialDelay();
    NetClientOptions netOptions = new NetClientOptions().setTcpNoDelay(true).setSsl(options.isTls());
    if (options.isTls()) {
      // Vert.x 5 refuses TLS without it; HTTPS checks the certificate names the host (DNS or IP SAN).
      netOptions.setHostnameVerificationAlgorithm("HTTPS");
    }
    if (options.getTrustCertPath() != null) {
      netOptions.setTrustOptions(new PemTrustOptions().addCertPath(options.getTrustCertPath()));
    }
    this.netClient = vertx.createNetClient(netOptions);
  }

  Future<NetSocket> connect() {
    return netClient.connect(options.getPort(), options.getHost());
  }

  /** A connection is up: the next attempt, after it drops, comes after the initial delay again. */
  void connected() {
    delay = options.getReconnectInitialDelay();
  }

  /** Runs {@code attempt} after the current delay, and doubles it for the next. */
  void later(Runnable attempt) {
    long wait = delay;
    delay = Math.min(delay * 2, options.getReconnectMaxDelay());
    vertx.setTimer(wait, t -> attempt.run());
  }

  Future<Void> close() {
    return netClient.close();
  }
}
