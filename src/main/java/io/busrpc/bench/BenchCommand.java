package io.busrpc.bench;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code busrpc bench}: a load generator for JSON-RPC servers (busrpc or any other speaking one of
 * its framings), like redis-benchmark; with {@code --serve} it runs a reference server instead.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
  description = {"Offers JSON-RPC load to a server and reports throughput, latency percentiles and errors.",
    "With --serve, runs a reference server (direct, naive-bus or bridge) until Ctrl-C instead."},
  footer = {"", "Examples:",
    "  bench --port 7411 --connections 16 --in-flight 32 --duration 10",
    "  bench --port 7411 --rate 20000 --connections 16 --html report.html",
    "  bench --port 7411 --payload 4096 --json",
    "  bench --port 7070 --framing ws --connections 16 --in-flight 32 --method sum --params [1,2,3]",
    "  bench --port 7411 --mode server-to-client --connections 16 --in-flight 32 --warmup 4 --duration 5",
    "  bench --mode many --port 7000 --connections 20000 --server-pid 1234",
    "  bench --soak --port 7000 --connections 5000 --rate 10000 --logins-per-second 50 --duration 1800 --server-pid 1234 --html soak.html",
    "  bench --serve direct --port 7412"})
public final class BenchCommand implements Callable<Integer> {

  @Option(names = "--mode", defaultValue = "client-to-server", description = {
    "client-to-server: the tool calls the server (default).",
    "server-to-client: the tool logs --connections clients in (rpc.login {\"uid\": \"bench-<run id>-<i>\"}), answers the server's bench.echo calls, "
      + "and asks bench.drive (ClientCallDriverVerticle, deployed by conf/bench.json, not by the demo) to keep --in-flight calls per client going; "
      + "latencies are measured by the server. Warm-up plus duration must stay below the gateway's callTimeout. Ignores --rate, --method, --params, --payload, --threads, --html.",
    "many: logs --connections clients in from 127.0.0.2 and up (--per-source each), reads the server's memory (--server-pid), then calls sum at --rate "
      + "(default " + ManyOptions.DEFAULT_RATE + ") on --callers more connections and times --broadcasts calls of bench.broadcast (conf/many.json) until every client has it. "
      + "Run by bench/many-connections.sh."})
  String mode;

  @Mixin
  ManyMode many;

  @Option(names = "--host", defaultValue = BenchOptions.DEFAULT_HOST, description = "Server host (default: ${DEFAULT-VALUE}); with --serve, the address to bind.")
  String host;

  @Option(names = "--port", defaultValue = "" + BenchOptions.DEFAULT_PORT, description = "Server port (default: ${DEFAULT-VALUE}); with --serve, the port to listen on (0: any free one).")
  int port;

  @Option(names = "--framing", defaultValue = "len", description = "len, line, lsp, ws (JSON-RPC over a WebSocket at ws://host:port/rpc: give the web listener's port), or bridge (the TCP event-bus bridge's own frames) (default: ${DEFAULT-VALUE}).")
  String framing;

  @Option(names = {"-c", "--connections"}, defaultValue = "" + BenchOptions.DEFAULT_CONNECTIONS, description = "Connections (default: ${DEFAULT-VALUE}).")
  int connections;

  @Option(names = "--in-flight", defaultValue = "" + BenchOptions.DEFAULT_IN_FLIGHT, description = "Calls kept outstanding per connection in a closed loop (default: ${DEFAULT-VALUE}).")
  int inFlight;

  @Option(names = "--warmup", defaultValue = "" + BenchOptions.DEFAULT_WARMUP, description = "Seconds of load before measuring (default: ${DEFAULT-VALUE}).")
  int warmup;

  @Option(names = {"-d", "--duration"}, defaultValue = "" + BenchOptions.DEFAULT_DURATION, description = "Seconds measured (default: ${DEFAULT-VALUE}).")
  int duration;

  @Option(names = "--rate", defaultValue = "" + BenchOptions.DEFAULT_RATE, description = "Fixed offered rate in calls/s over all connections (open loop; latency from each call's intended send time). 0: closed loop (default: ${DEFAULT-VALUE}).")
  int rate;

  @Option(names = "--method", defaultValue = BenchOptions.DEFAULT_METHOD, description = "Method to call (default: ${DEFAULT-VALUE}).")
  String method;

  @Option(names = "--params", defaultValue = BenchOptions.DEFAULT_PARAMS, description = "Params as a JSON array or object (default: ${DEFAULT-VALUE}).")
  String params;

  @Option(names = "--payload", defaultValue = "0", description = "Call echo with a string of N bytes instead of --method/--params.")
  int payload;

  @Option(names = "--threads", defaultValue = "0", description = "Client event loops (default: one per connection, at most one per core); with --serve, listener instances (default: one per core).")
  int threads;

  @Option(names = "--login", description = "Log each connection in first (rpc.login {\"uid\": \"bench-<run>-<n>\"}); not with --framing bridge.")
  boolean login;

  @Option(names = "--resume", description = "Log each connection in with \"resume\": true and acknowledge the server's messages (rpc.ack every 200 ms), "
    + "as a resuming client does (PROTOCOL section 8); the tool keeps no copies of its own. TCP framings only (len, line, lsp).")
  boolean resume;

  @Option(names = "--timeout", defaultValue = "" + BenchOptions.DEFAULT_TIMEOUT, description = "Ms after which an unanswered call counts as a timeout (default: ${DEFAULT-VALUE}; with --soak, as lost, default " + SoakOptions.DEFAULT_TIMEOUT + ").")
  long timeout;

  @Option(names = "--json", description = "Print the result as JSON on standard output (progress goes to standard error).")
  boolean json;

  @Option(names = "--html", paramLabel = "FILE", description = "Also write a self-contained HTML page with the parameters and a latency-percentile plot.")
  Path html;

  @Option(names = "--serve", paramLabel = "KIND", description = "Run a reference server instead: direct, naive-bus or bridge.")
  String serve;

  @Option(names = "--soak", description = {"Soak run against a node serving the demo's chat: every connection logs in and joins a room; "
    + "--rate calls/s offered (subtract, chat.send = a server->client call, chat.say = a room message), logouts/logins and reconnects "
    + "every second, a report line every --interval s (answers expected, received, lost, duplicated, errors by code, p50/p99, "
    + "server heap after GC and RSS with --server-pid). --html plots heap and p99 over time. Exit 1 when an answer was lost, "
    + "duplicated or wrong."})
  boolean soak;

  @Option(names = "--logins-per-second", defaultValue = "" + SoakOptions.DEFAULT_LOGINS_PER_SECOND, description = "Soak: logout + login pairs per second (default: ${DEFAULT-VALUE}).")
  int loginsPerSecond;

  @Option(names = "--reconnects-per-second", defaultValue = "" + SoakOptions.DEFAULT_RECONNECTS_PER_SECOND, description = "Soak: close + connect + login per second (default: ${DEFAULT-VALUE}).")
  int reconnectsPerSecond;

  @Option(names = "--server-call-percent", defaultValue = "" + SoakOptions.DEFAULT_SERVER_CALL_PERCENT, description = "Soak: share of calls that are chat.send, each a server->client call (default: ${DEFAULT-VALUE}).")
  int serverCallPercent;

  @Option(names = "--room-percent", defaultValue = "" + SoakOptions.DEFAULT_ROOM_PERCENT, description = "Soak: share of calls that are chat.say to the caller's room (default: ${DEFAULT-VALUE}).")
  int roomPercent;

  @Option(names = "--room-size", defaultValue = "" + SoakOptions.DEFAULT_ROOM_SIZE, description = "Soak: connections per room (default: ${DEFAULT-VALUE}).")
  int roomSize;

  @Option(names = "--interval", defaultValue = "" + SoakOptions.DEFAULT_INTERVAL, description = "Soak: seconds between report lines (default: ${DEFAULT-VALUE}).")
  int interval;

  @Option(names = "--server-pid", defaultValue = "0", description = "Soak: the server's process id (local), for its heap after a full GC (jcmd) and RSS in each line.")
  long serverPid;

  private final PrintStream out;
  private final PrintStream err;

  /** Prints to standard output and error. */
  public BenchCommand() {
    this(System.out, System.err);
  }

  BenchCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  @Override
  public Integer call() throws Exception {
    if (serve != null) {
      return ServeRun.run(serve, host, port, threads > 0 ? threads : Runtime.getRuntime().availableProcessors(), out, err);
    }
    BenchRun run = new BenchRun(out, err, json, html);
    if ((soak || !"client-to-server".equals(mode)) && Wire.WS.wireName().equalsIgnoreCase(framing.trim())) {
      return run.refuse("--framing ws is for the client-to-server mode only");
    }
    if (resume && (soak || "many".equals(mode) || Wire.WS.wireName().equalsIgnoreCase(framing.trim())
      || Wire.BRIDGE.wireName().equalsIgnoreCase(framing.trim()))) {
      return run.refuse("--resume is for the client-to-server and server-to-client modes over len, line or lsp");
    }
    if (soak) {
      return soak(run);
    }
    if ("many".equals(mode)) {
      return many.run(this, run);
    }
    BenchOptions options;
    try {
      options = options();
    } catch (IllegalArgumentException e) {
      return run.refuse(e.getMessage());
    }
    if ("server-to-client".equals(mode)) {
      if (rate > 0 || html != null) {
        return run.refuse("--rate and --html are not supported with --mode server-to-client");
      }
      return ServerToClientRun.run(options, run);
    }
    if (!"client-to-server".equals(mode)) {
      return run.refuse("mode must be client-to-server, server-to-client or many, was '" + mode + "'");
    }
    return ClientToServerRun.run(options, run);
  }

  private int soak(BenchRun run) {
    SoakOptions options;
    try {
      options = new SoakOptions().setHost(host).setPort(port).setFraming(Wire.fromName(framing)).setConnections(connections)
        .setRate(rate > 0 ? rate : SoakOptions.DEFAULT_RATE).setLoginsPerSecond(loginsPerSecond)
        .setReconnectsPerSecond(reconnectsPerSecond).setServerCallPercent(serverCallPercent).setRoomPercent(roomPercent)
        .setRoomSize(roomSize).setDuration(duration).setInterval(interval)
        .setTimeout(timeout == BenchOptions.DEFAULT_TIMEOUT ? SoakOptions.DEFAULT_TIMEOUT : timeout).setServerPid(serverPid)
        .setThreads(threads);
    } catch (IllegalArgumentException e) {
      return run.refuse(e.getMessage());
    }
    return SoakRun.run(options, run);
  }

  BenchOptions options() {
    return new BenchOptions().setHost(host).setPort(port).setFraming(Wire.fromName(framing))
      .setConnections(connections).setInFlight(inFlight).setWarmup(warmup).setDuration(duration).setRate(rate)
      .setMethod(method).setParams(params).setPayload(payload).setThreads(threads).setTimeout(timeout)
      .setLogin(login).setResume(resume);
  }
}
