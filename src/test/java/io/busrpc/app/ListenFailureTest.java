package io.busrpc.app;

import io.busrpc.management.ManagementOptions;
import io.busrpc.testing.TestNode;
import io.busrpc.web.WebOptions;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.InetAddress;
import java.net.ServerSocket;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node whose address is taken fails to start with a message that names the server, the host and
 * the port, so the operator knows which listener to move (the README's two-node example once died
 * with a bare "Address already in use").
 */
@ExtendWith(VertxExtension.class)
class ListenFailureTest {

  @Test
  void aTakenGatewayPortIsNamed(Vertx vertx) throws Exception {
    // A plain socket holds the port: another Vert.x server in this Vert.x would share it instead.
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      BusRpcOptions options = TestNode.demoOptions();
      options.getGateway().setPort(taken.getLocalPort());
      Throwable failure = assertThrows(Throwable.class, () -> TestNode.start(vertx, options));
      assertTrue(String.valueOf(failure.getMessage()).contains("the gateway cannot listen on 127.0.0.1:" + taken.getLocalPort()),
        String.valueOf(failure));
    }
  }

  @Test
  void aTakenManagementPortIsNamed(Vertx vertx) throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      BusRpcOptions options = TestNode.demoOptions().setManagement(new ManagementOptions().setPort(taken.getLocalPort()));
      Throwable failure = assertThrows(Throwable.class, () -> TestNode.start(vertx, options));
      assertTrue(String.valueOf(failure.getMessage()).contains("the management server cannot listen on 127.0.0.1:" + taken.getLocalPort()),
        String.valueOf(failure));
    }
  }

  @Test
  void aTakenWebPortIsNamed(Vertx vertx) throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      BusRpcOptions options = TestNode.demoOptions().setWeb(new WebOptions().setPort(taken.getLocalPort()));
      Throwable failure = assertThrows(Throwable.class, () -> TestNode.start(vertx, options));
      assertTrue(String.valueOf(failure.getMessage()).contains("the web listener cannot listen on 127.0.0.1:" + taken.getLocalPort()),
        String.valueOf(failure));
    }
  }
}
