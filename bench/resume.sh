#!/usr/bin/env bash
# What session resume costs in throughput (PROTOCOL section 8): the same server, the same load, with
# clients that log in plainly and with clients that log in with "resume": true and acknowledge what
# the server sends (`bench --resume`: every counted message is then copied into the session's
# resume buffer until acknowledged, and both sides send rpc.ack every 200 ms), in one run.
#
# Starts the jar with conf/bench.json on a free port from 7531 up, then runs rounds: in each round,
# `bench` (client to server, sum [1,2]) and `bench --mode server-to-client`, each with resume off
# and on, the order of off and on swapped from round to round, so the machine's drift hits both
# alike. Every run logs its connections in (--login), so only resume differs. Round 0 is a warm-up
# that is not counted. Prints the medians of the counted rounds with their spread (min-max) and the
# median of the per-round ratios on / off. Stops the server on exit.
#
# Environment: JAR (target/busrpc.jar), CONNECTIONS (16), IN_FLIGHT (32), WARMUP (4), DURATION (5),
# ROUNDS (3), FIRST_PORT (7531), JAVA (java), KEEP (dir for the raw JSON).
set -euo pipefail

cd "$(dirname "$0")/.."
JAR=${JAR:-target/busrpc.jar}
JAVA=${JAVA:-java}
CONNECTIONS=${CONNECTIONS:-16}
IN_FLIGHT=${IN_FLIGHT:-32}
WARMUP=${WARMUP:-4}
DURATION=${DURATION:-5}
ROUNDS=${ROUNDS:-3}
FIRST_PORT=${FIRST_PORT:-7531}

(( ROUNDS >= 1 )) || { echo "resume.sh: ROUNDS must be at least 1" >&2; exit 2; }
[[ -f "$JAR" ]] || { echo "resume.sh: $JAR not found (mvn -DskipTests package builds target/busrpc.jar)" >&2; exit 2; }
command -v jq >/dev/null || { echo "resume.sh: jq is required" >&2; exit 2; }

SCRIPT=resume.sh
source bench/lib.sh

free_port; tcp=$FREE_PORT
free_port; management=$FREE_PORT
BUSRPC_TCP_PORT=$tcp BUSRPC_MANAGEMENT_PORT=$management "$JAVA" -jar "$JAR" -conf conf/bench.json >"$OUT/server.log" 2>&1 &
PIDS+=($!)
wait_port "$tcp" "$OUT/server.log"

MODES=(client-to-server server-to-client)
echo "resume.sh: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); $CONNECTIONS connections x $IN_FLIGHT in flight, $WARMUP s warm-up + $DURATION s per run, 1 uncounted + $ROUNDS counted rounds; $JAR" >&2
for round in $(seq 0 "$ROUNDS"); do
  order=(off on)
  (( round % 2 == 0 )) || order=(on off)
  for mode in "${MODES[@]}"; do
    for resume in "${order[@]}"; do
      flag=()
      [[ $resume == off ]] || flag=(--resume)
      run_bench "$round" "$mode, resume $resume" "$OUT/$mode-$resume-r$round" \
        "$JAVA" -jar "$JAR" bench --mode "$mode" --port "$tcp" --connections "$CONNECTIONS" --in-flight "$IN_FLIGHT" \
        --warmup "$WARMUP" --duration "$DURATION" --login "${flag[@]}" --json
    done
  done
done

say_load_after
echo "| workload | resume off, calls/s | resume on, calls/s | on / off, median of per-round ratios (min-max) | p99 ms off | p99 ms on | errors |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
for mode in "${MODES[@]}"; do
  compare_series "$OUT/$mode-on-r" "$OUT/$mode-off-r" %.3f "errors timeouts failures lost unexpected"
  echo "| $mode, $CONNECTIONS x $IN_FLIGHT | $B_CPS | $A_CPS | $RATIO | $B_P99 | $A_P99 | $ERRORS |"
done
