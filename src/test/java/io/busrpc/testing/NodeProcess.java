package io.busrpc.testing;

import io.busrpc.app.BusRpcOptions;

import java.io.BufferedReader;
import java.io.IOException;
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

import static io.busrpc.testing.TestDefaults.WAIT_SECONDS;

/**
 * A busrpc node in a process of its own, joined to a test's cluster, so that a test can kill it,
 * freeze it (SIGSTOP) or stop it (SIGTERM) as an operator's node would be.
 */
public final class NodeProcess implements AutoCloseable {

  private static final Pattern LISTENING = Pattern.compile("Gateway listening on [^ ]*:(\\d+)");

  private final Process process;
  private final int port;
  private final String name;

  private NodeProcess(Process process, int port, String name) {
    this.process = process;
    this.port = port;
    this.name = name;
  }

  /** Starts a node with the given options (its gateway port is chosen here) and waits until it listens. */
  public static NodeProcess start(ClusterNodes cluster, BusRpcOptions options, Path dir, String name) throws Exception {
    Path conf = Files.writeString(dir.resolve(name + ".json"), options.toJson().encode());
    String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Path xml = Path.of(NodeProcess.class.getResource("/cluster-test.xml").toURI());
    List<String> command = new ArrayList<>(List.of(
      Path.of(System.getProperty("java.home"), "bin", "java").toString(),
      "-Xmx256m", "-XX:TieredStopAtLevel=1", "-Dvertx.disableDnsResolver=true",
      "-Dvertx.hazelcast.config=" + xml,
      "-Dbusrpc.cluster.name=" + cluster.name(),
      "-Dbusrpc.cluster.port=0",
      "-Dbusrpc.cluster.members=" + cluster.members(),
      "-cp", classpath, "io.busrpc.app.Main", "io.busrpc.app.BusRpcVerticle", "-conf", conf.toString(), "-cluster",
      "-cluster-host", "127.0.0.1"));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("BUSRPC_TCP_PORT", "0"); // the port it bound is read from its log line
    Process process = builder.start();
    CompletableFuture<Integer> listening = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = lines.readLine()) != null; ) {
          System.out.println("[" + name + "] " + line);
          Matcher bound = LISTENING.matcher(line);
          if (bound.find()) {
            listening.complete(Integer.parseInt(bound.group(1)));
          }
        }
        listening.completeExceptionally(new AssertionError(name + "'s process ended before it started"));
      } catch (IOException e) {
        listening.completeExceptionally(e);
      }
    }, name + "-output");
    reader.setDaemon(true);
    reader.start();
    try {
      return new NodeProcess(process, listening.get(60, TimeUnit.SECONDS), name);
    } catch (Exception e) {
      process.destroyForcibly();
      throw e;
    }
  }

  /** @return the node's gateway port */
  public int port() {
    return port;
  }

  /** Kills the process (SIGKILL): no clean stop, its sockets close. */
  public void kill() throws InterruptedException {
    process.destroyForcibly().waitFor(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  /** Freezes the process (SIGSTOP): its sockets stay open, it answers nothing, not even heartbeats. */
  public void freeze() throws Exception {
    signal("STOP");
  }

  /** Stops the process cleanly (SIGTERM), as an operator or an orchestrator does. */
  public void terminate() {
    process.destroy();
  }

  /** @return whether the process ended within the time */
  public boolean ended(long timeoutMs) throws InterruptedException {
    return process.waitFor(timeoutMs, TimeUnit.MILLISECONDS);
  }

  private void signal(String signal) throws Exception {
    int status = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start().waitFor();
    if (status != 0) {
      throw new AssertionError("kill -" + signal + " " + process.pid() + " failed with " + status);
    }
  }

  /** Kills the process, whatever state it is in (a frozen one included). */
  @Override
  public void close() {
    process.destroyForcibly();
    try {
      process.waitFor(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
