#!/usr/bin/env bash
# N logged-in connections on one node (docs/BENCHMARKS.md, "Many logged-in connections on one node").
#
# Usage: bench/many-connections.sh [N]   (N: 100000 by default)
#
# Expects target/busrpc.jar (build it first: mvn -DskipTests package). Starts a node with
# conf/many.json (the demo's methods, bench.broadcast, maxConnections 200,000; the default
# maxConnectionsPerAddress of 1,000 holds because the tool spreads its connections over source
# addresses 127.0.0.2 and up, 900 each) on a free port, raises the open-file limit of both
# processes to what N needs, and runs `bench --mode many`: the time to open and log in N
# connections, the server's heap after GC and RSS before and with all N (per connection), BROADCASTS
# broadcasts each timed until the last connection had it, and RATE calls/s of `sum` on CALLERS more
# connections, p50/p99/max during the broadcasts and outside them. Stops the node on exit.
#
# Environment: JAR (target/busrpc.jar), JAVA (java), PORT (first free from 7611), RATE (10000),
# CALLERS (4), BROADCASTS (3), QUIET (5 s of calls before the first broadcast and after each),
# SERVER_HEAP / CLIENT_HEAP (JVM -Xmx, default: the JVM's), KEEP (a dir that keeps the node's log).
# Last, how long the node takes to close the connections once the tool has closed them, and the
# longest event-loop block its log reports meanwhile.
# Free ports, the wait for the node and its stop come from bench/lib.sh.
set -euo pipefail

cd "$(dirname "$0")/.."
N=${1:-100000}
JAR=${JAR:-target/busrpc.jar}
JAVA=${JAVA:-java}
PORT=${PORT:-7611}
[[ -f "$JAR" ]] || { echo "many-connections.sh: $JAR not found; build it first (mvn -DskipTests package)" >&2; exit 2; }

# Each process holds N sockets (the node one per client, the tool one per connection) plus the
# callers' and its own files (about 30 for a node at rest).
need=$((N + 200))
hard=$(ulimit -Hn)
if [[ $hard != unlimited ]] && (( hard < need )); then
  echo "many-connections.sh: $N connections need an open-file limit of $need per process, and the hard limit here is $hard" >&2
  echo "  (raising it needs root with CAP_SYS_RESOURCE: ulimit -Hn $need, or LimitNOFILE= / limits.conf)." >&2
  echo "  At most $((hard - 200)) connections fit under this limit: bench/many-connections.sh $((hard - 200))" >&2
  exit 2
fi
ulimit -n "$need"

SCRIPT=many-connections.sh
FIRST_PORT=$PORT
source bench/lib.sh
free_port
PORT=$FREE_PORT
LOG=$OUT/node.log
BUSRPC_TCP_PORT=$PORT BUSRPC_MANAGEMENT_PORT=0 "$JAVA" ${SERVER_HEAP:+-Xmx$SERVER_HEAP} -jar "$JAR" -conf conf/many.json >"$LOG" 2>&1 &
NODE=$!
PIDS+=("$NODE")
wait_port "$PORT" "$LOG"

echo "many-connections.sh: node pid $NODE on port $PORT, open-file limit $(ulimit -n), $(uptime)"
status=0
"$JAVA" ${CLIENT_HEAP:+-Xmx$CLIENT_HEAP} -jar "$JAR" bench --mode many --port "$PORT" --connections "$N" \
  --rate "${RATE:-10000}" --callers "${CALLERS:-4}" --broadcasts "${BROADCASTS:-3}" --quiet "${QUIET:-5}" --server-pid "$NODE" \
  || status=$?

# The tool has closed its connections and exited. Each of the node's ends stays in CLOSE-WAIT until
# the node's event loop handles its close: the time until none is left is the node's time to close
# them all, and Vert.x's BlockedThreadChecker says in the node's log whether that held an event loop.
left() { ss -tnH state established state close-wait "( sport = :$PORT )" | wc -l; }
logged=$(wc -l < "$LOG")
start=$(date +%s%N)
for _ in $(seq 1 1200); do (( $(left) > 0 )) || break; sleep 0.1; done
echo "many-connections.sh: the node closed its connections $(( ($(date +%s%N) - start) / 1000000 )) ms after the tool exited ($(left) left)"
# Only what was logged since the tool exited: its memory probe's full GCs block every thread too.
blocked=$(tail -n +"$((logged + 1))" "$LOG" | grep -o "has been blocked for [0-9]* ms" | awk '{print $5}' | sort -n | tail -1 || true)
echo "many-connections.sh: longest event-loop block the node's log reports while closing: ${blocked:-none} ms, $(uptime)"
exit $status
