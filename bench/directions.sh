#!/usr/bin/env bash
# Server->client calls against client->server calls, at the same connections and in-flight depth,
# on one or more builds of busrpc, in one run.
#
# Starts each jar of JARS with the benchmark configuration (conf/bench.json: the demo's handlers and
# bench.drive) on its own free port from 7511 up, then runs rounds: in each round, against every
# server in turn, `bench --mode server-to-client` and `bench` (client to server, `sum [1,2]`), so the
# machine's drift hits every build and both directions alike. Round 0 is a warm-up that is not
# counted. Prints, per build, the medians of the counted rounds with their spread (min-max) and the
# median of the per-round ratios server->client / client->server. The load generator is always
# BENCH_JAR's `bench`, so only the servers differ. Stops every server it started on exit.
#
# Environment: JARS (target/busrpc.jar; space-separated, first is the reference), BENCH_JAR (last of
# JARS), CONNECTIONS (16), IN_FLIGHT (32), WARMUP (4), DURATION (5), ROUNDS (3), FIRST_PORT (7511),
# JAVA (java), KEEP (dir for the raw JSON).
set -euo pipefail

cd "$(dirname "$0")/.."
read -r -a JARS <<<"${JARS:-target/busrpc.jar}"
BENCH_JAR=${BENCH_JAR:-${JARS[${#JARS[@]}-1]}}
JAVA=${JAVA:-java}
CONNECTIONS=${CONNECTIONS:-16}
IN_FLIGHT=${IN_FLIGHT:-32}
WARMUP=${WARMUP:-4}
DURATION=${DURATION:-5}
ROUNDS=${ROUNDS:-3}
FIRST_PORT=${FIRST_PORT:-7511}

(( ROUNDS >= 1 )) || { echo "directions.sh: ROUNDS must be at least 1" >&2; exit 2; }
for jar in "${JARS[@]}" "$BENCH_JAR"; do
  [[ -f "$jar" ]] || { echo "directions.sh: $jar not found (mvn -DskipTests package builds target/busrpc.jar)" >&2; exit 2; }
done
command -v jq >/dev/null || { echo "directions.sh: jq is required" >&2; exit 2; }

SCRIPT=directions.sh
source bench/lib.sh

PORTS=()
for i in "${!JARS[@]}"; do
  free_port; tcp=$FREE_PORT
  free_port; management=$FREE_PORT
  PORTS+=("$tcp")
  BUSRPC_TCP_PORT=$tcp BUSRPC_MANAGEMENT_PORT=$management "$JAVA" -jar "${JARS[$i]}" -conf conf/bench.json \
    >"$OUT/server$i.log" 2>&1 &
  PIDS+=($!)
done
for i in "${!JARS[@]}"; do wait_port "${PORTS[$i]}" "$OUT/server$i.log"; done

DIRECTIONS=(server-to-client client-to-server)
echo "directions.sh: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); $CONNECTIONS connections x $IN_FLIGHT in flight, $WARMUP s warm-up + $DURATION s per run, 1 uncounted + $ROUNDS counted rounds; bench from $BENCH_JAR" >&2
for round in $(seq 0 "$ROUNDS"); do
  for i in "${!JARS[@]}"; do
    for direction in "${DIRECTIONS[@]}"; do
      run_bench "$round" "${JARS[$i]}, $direction" "$OUT/s$i-$direction-r$round" \
        "$JAVA" -jar "$BENCH_JAR" bench --mode "$direction" --port "${PORTS[$i]}" --connections "$CONNECTIONS" \
        --in-flight "$IN_FLIGHT" --warmup "$WARMUP" --duration "$DURATION" --json
    done
  done
done

say_load_after
echo "| server | server→client calls/s | client→server calls/s | server→client p99 ms | client→server p99 ms | ratio, median of per-round ratios (min-max) | errors |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
for i in "${!JARS[@]}"; do
  compare_series "$OUT/s$i-server-to-client-r" "$OUT/s$i-client-to-server-r" %.2f "errors timeouts failures lost"
  echo "| ${JARS[$i]} | $A_CPS | $B_CPS | $A_P99 | $B_P99 | $RATIO | $ERRORS |"
done
