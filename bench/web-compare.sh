#!/usr/bin/env bash
# WebSocket against TCP on one busrpc node: `sum` with 16 connections x 32 calls in flight, over the
# length-prefix framing on the TCP port and over WebSocket on the web listener, alternating which goes
# first round by round (round 0 is a warm-up that is not counted). Prints every run, then the medians
# of the counted rounds with their spread and the median of the per-round ratios WebSocket / TCP.
#
# Environment: JAR (target/busrpc.jar; copy it elsewhere if you rebuild meanwhile), ROUNDS (5 counted
# rounds), WARMUP (3) and DURATION (5) seconds per run, CONNECTIONS (16), IN_FLIGHT (32), KEEP (dir
# for the node's log and the runs' figures).
set -euo pipefail

cd "$(dirname "$0")/.."
JAR=${JAR:-target/busrpc.jar}
ROUNDS=${ROUNDS:-5}
WARMUP=${WARMUP:-3}
DURATION=${DURATION:-5}
CONNECTIONS=${CONNECTIONS:-16}
IN_FLIGHT=${IN_FLIGHT:-32}
[[ -f "$JAR" ]] || { echo "web-compare.sh: $JAR not found; build it first (mvn -DskipTests package)" >&2; exit 2; }
command -v jq >/dev/null || { echo "web-compare.sh: jq is required" >&2; exit 2; }

SCRIPT=web-compare.sh
source bench/lib.sh
LOG=$OUT/node.log
BUSRPC_TCP_PORT=0 BUSRPC_WEB_PORT=0 BUSRPC_MANAGEMENT_PORT=-1 java -jar "$JAR" -conf conf/busrpc.json >"$LOG" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 150); do grep -q 'Succeeded in deploying verticle' "$LOG" && break; sleep 0.2; done
grep -q 'Succeeded in deploying verticle' "$LOG" || { cat "$LOG" >&2; exit 1; }
TCP=$(sed -n 's/.*Gateway listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$LOG" | head -1)
WEB=$(sed -n 's|.*Web listener on http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$LOG" | head -1)

run() {
  java -jar "$JAR" bench --port "$1" --framing "$2" --connections "$CONNECTIONS" --in-flight "$IN_FLIGHT" \
    --warmup "$WARMUP" --duration "$DURATION" --method sum --params '[1,2,3]' --json 2>/dev/null \
    | jq -r '"\(.callsPerSecond)\t\(.latencyMs.p50)\t\(.latencyMs.p99)\t\(.errors + .timeouts + .failures)"'
}

echo -e "round\ttransport\tcalls/s\tp50 ms\tp99 ms\tproblems\tload"
RESULTS=$OUT/results.tsv
for r in $(seq 0 "$ROUNDS"); do
  if (( r % 2 == 0 )); then order="tcp ws"; else order="ws tcp"; fi
  for t in $order; do
    if [[ $t == tcp ]]; then out=$(run "$TCP" len); else out=$(run "$WEB" ws); fi
    line="$r\t$t\t$out\t$(cut -d' ' -f1 /proc/loadavg)"
    echo -e "$line"
    (( r == 0 )) || echo -e "$line" >>"$RESULTS"
  done
done
echo
echo "tcp calls/s median (min-max): $(awk -F'\t' '$2=="tcp"{print $3}' "$RESULTS" | median_spread %.0f)"
echo "ws  calls/s median (min-max): $(awk -F'\t' '$2=="ws"{print $3}' "$RESULTS" | median_spread %.0f)"
echo "ws / tcp per round, median (min-max): $(awk -F'\t' '{v[$1" "$2]=$3; r[$1]=1} END {for (k in r) print v[k" ws"]/v[k" tcp"]}' "$RESULTS" | median_spread %.2f)"
