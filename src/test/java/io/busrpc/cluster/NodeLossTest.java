package io.busrpc.cluster;

import io.busrpc.handler.Clients;
import io.busrpc.protocol.ErrorCode;
import io.busrpc.protocol.codec.Framing;
import io.busrpc.testing.ClusterNodes;
import io.busrpc.testing.Rpc;
import io.busrpc.testing.TestClient;
import io.busrpc.testing.TestNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.busrpc.testing.Rpc.await;
import static io.busrpc.testing.Rpc.awaitFailure;
import static io.busrpc.testing.Rpc.login;
import static io.busrpc.testing.TestDefaults.WAIT_SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node that dies (its process killed, no clean stop): calls to the uids that were connected there
 * fail with "client offline" within 10 s, the ones already waiting as well as new ones, and the
 * node that is left keeps serving its own clients.
 */
class NodeLossTest {

  private static final Pattern LISTENING = Pattern.compile("Gateway listening on [^ ]+:(\\d+)");

  private ClusterNodes cluster;
  private Process process;

  @AfterEach
  void stop() {
    if (process != null) {
      process.destroyForcibly();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void callsToTheDeadNodesClientsFailWithClientOfflineWithin10s(@TempDir Path dir) throws Exception {
    long started = System.nanoTime();
    cluster = new ClusterNodes();
    Vertx a = cluster.start();
    int portA = TestNode.start(a, TestNode.demoOptions());
    int portB = startNodeProcess(dir);
    System.out.printf("node A up and node B's process joined in %d ms%n", (System.nanoTime() - started) / 1_000_000);

    Clients clients = Clients.create(a);
    try (TestClient lost = new TestClient(portB, Framing.LINE); TestClient alive = new TestClient(portA, Framing.LINE)) {
      login(lost, "lost-1");
      login(alive, "alive-1");
      assertTrue(await(clients.isOnline("lost-1")));

      Future<Object> pending = clients.call("lost-1", "think", null);
      assertEquals("think", ((JsonObject) lost.receiveJson()).getString("method"));

      long killed = System.nanoTime();
      process.destroyForcibly().waitFor(WAIT_SECONDS, TimeUnit.SECONDS);
      assertEquals(ErrorCode.CLIENT_OFFLINE.code(), awaitFailure(pending).code());
      long pendingFailedAfter = (System.nanoTime() - killed) / 1_000_000;

      long sent = System.nanoTime();
      assertEquals(ErrorCode.CLIENT_OFFLINE.code(), awaitFailure(clients.call("lost-1", "again", null)).code());
      long newFailedAfter = (System.nanoTime() - sent) / 1_000_000;
      System.out.printf("after the kill: pending call failed in %d ms, a new call in %d ms%n", pendingFailedAfter, newFailedAfter);
      assertTrue(pendingFailedAfter < 10_000, "pending call failed after " + pendingFailedAfter + " ms");

      // The node that is left serves its own clients.
      Future<Object> answer = clients.call("alive-1", "ping", null);
      Rpc.reply(alive, (JsonObject) alive.receiveJson(), "still here");
      assertEquals("still here", await(answer));
      assertEquals(1, Rpc.call(alive, 1, "subtract", new JsonArray().add(3).add(2)).getInteger("result"));
    }
  }

  /** Starts a busrpc node in a process of its own, joined to the cluster; returns its gateway port. */
  private int startNodeProcess(Path dir) throws Exception {
    Path conf = Files.writeString(dir.resolve("node.json"), TestNode.demoOptions().toJson().encode());
    String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Path xml = Path.of(NodeLossTest.class.getResource("/cluster-test.xml").toURI());
    List<String> command = new ArrayList<>(List.of(
      Path.of(System.getProperty("java.home"), "bin", "java").toString(),
      "-Xmx256m", "-XX:TieredStopAtLevel=1", "-Dvertx.disableDnsResolver=true",
      "-Dvertx.hazelcast.config=" + xml,
      "-Dbusrpc.cluster.name=" + cluster.name(),
      "-Dbusrpc.cluster.port=0",
      "-Dbusrpc.cluster.members=" + cluster.members(),
      "-cp", classpath, "io.busrpc.app.Main", "io.busrpc.app.BusRpcVerticle", "-conf", conf.toString(), "-cluster", "-cluster-host", "127.0.0.1"));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("BUSRPC_TCP_PORT", "0"); // the port it bound is read from its log line
    process = builder.start();
    CompletableFuture<Integer> listening = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = lines.readLine()) != null; ) {
          System.out.println("[node B] " + line);
          Matcher bound = LISTENING.matcher(line);
          if (bound.find()) {
            listening.complete(Integer.parseInt(bound.group(1)));
          }
        }
        listening.completeExceptionally(new AssertionError("node B's process ended before it started"));
      } catch (Exception e) {
        listening.completeExceptionally(e);
      }
    }, "node-b-output");
    reader.setDaemon(true);
    reader.start();
    return listening.get(60, TimeUnit.SECONDS);
  }
}
