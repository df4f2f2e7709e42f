package io.busrpc.cli;

import io.busrpc.client.ClientOptions;
import io.busrpc.protocol.codec.Framing;
import picocli.CommandLine.Option;

/** The options every command that connects to a gateway shares. */
final class ConnectionArgs {

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Gateway host (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--port", defaultValue = "7000", description = "Gateway port (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--framing", defaultValue = "len", description = "len, line or lsp (default: ${DEFAULT-VALUE}).")
  String framing;

  @Option(names = "--timeout", defaultValue = "30000", description = "Call timeout in ms (default: ${DEFAULT-VALUE}).")
  long timeout;

  @Option(names = "--tls", description = "Connect with TLS.")
  boolean tls;

  @Option(names = "--trust", description = "PEM certificate or CA to trust (with --tls), e.g. a self-signed server certificate.")
  String trust;

  ClientOptions clientOptions() {
    return new ClientOptions().setHost(host).setPort(port).setFraming(Framing.fromWireName(framing)).setCallTimeout(timeout)
      .setTls(tls || trust != null).setTrustCertPath(trust);
  }
}
