#!/usr/bin/env bash
# Measures busrpc against the reference servers with the same workloads, in one run.
#
# Expects target/busrpc.jar (build it first: mvn -DskipTests package). Starts busrpc (demo config,
# BUSRPC_TCP_PORT) and `bench --serve direct|naive-bus|bridge`, each on its own free port from 7411
# up, and runs the workloads in rounds: in each round every workload runs against every server, one
# after the other, so the machine's drift (it swings by +-20% from minute to minute) hits all servers
# alike. Round 0 is a warm-up that is not counted. Each figure is the median of the counted rounds
# with its spread (min-max); a ratio to `direct` is taken within each round (runs seconds apart, never
# minutes) and reported as the median of those per-round ratios. Prints one markdown table, keeps
# every round's figure in it, and stops every server it started on exit.
#
# Environment: JAR (target/busrpc.jar), WARMUP (3) and DURATION (5) seconds per run, ROUNDS (3)
# counted rounds after the uncounted warm-up round, SERVERS (busrpc direct naive-bus bridge; also
# busrpc-line: the busrpc node read in the line framing, the same process as busrpc when both are
# listed, busrpc first), REFERENCE (direct: the server the ratios are to), ONLY (all workloads: a
# space-separated list of indexes 0-3 selects some), CLIENT_THREADS (0 = bench's default),
# FIRST_PORT (7411), JAVA (java), KEEP (dir for the raw JSON).
set -euo pipefail

cd "$(dirname "$0")/.."
JAR=${JAR:-target/busrpc.jar}
JAVA=${JAVA:-java}
WARMUP=${WARMUP:-3}
DURATION=${DURATION:-5}
ROUNDS=${ROUNDS:-3}
CLIENT_THREADS=${CLIENT_THREADS:-0}
FIRST_PORT=${FIRST_PORT:-7411}
REFERENCE=${REFERENCE:-direct}

(( ROUNDS >= 1 )) || { echo "compare.sh: ROUNDS must be at least 1 (3 or more for a median)" >&2; exit 2; }
[[ -f "$JAR" ]] || { echo "compare.sh: $JAR not found; build it first (mvn -DskipTests package)" >&2; exit 2; }
command -v jq >/dev/null || { echo "compare.sh: jq is required" >&2; exit 2; }

SCRIPT=compare.sh
source bench/lib.sh

declare -A PORT FRAMING
read -r -a SERVERS <<<"${SERVERS:-busrpc direct naive-bus bridge}"
for server in "${SERVERS[@]}"; do
  case $server in bridge) FRAMING[$server]=bridge ;; busrpc-line) FRAMING[$server]=line ;; *) FRAMING[$server]=len ;; esac
  if [[ $server == busrpc-line && -n ${BUSRPC_PID:-} ]]; then
    # Both framings against one node: only the framing differs, not the JIT's or the heap's state.
    PORT[$server]=${PORT[busrpc]}
    PIDS+=("$BUSRPC_PID")
    ln -sf busrpc.log "$OUT/$server.log"
    continue
  fi
  free_port
  PORT[$server]=$FREE_PORT
  log="$OUT/$server.log"
  if [[ $server == busrpc || $server == busrpc-line ]]; then
    # The demo's management and web ports on free ones: a demo or a test may hold the fixed ones.
    BUSRPC_TCP_PORT=${PORT[$server]} BUSRPC_MANAGEMENT_PORT=0 BUSRPC_WEB_PORT=0 \
      "$JAVA" -jar "$JAR" -conf conf/busrpc.json >"$log" 2>&1 &
  else
    "$JAVA" -jar "$JAR" bench --serve "$server" --port "${PORT[$server]}" >"$log" 2>&1 &
  fi
  PIDS+=($!)
  [[ $server != busrpc ]] || BUSRPC_PID=$!
done
for server in "${SERVERS[@]}"; do wait_port "${PORT[$server]}" "$OUT/$server.log"; done
# A server that failed to bind has exited, and its port may be someone else's: check every one.
sleep 1
for i in "${!SERVERS[@]}"; do
  if ! kill -0 "${PIDS[$i]}" 2>/dev/null; then
    echo "compare.sh: ${SERVERS[$i]} exited at start:" >&2
    tail -5 "$OUT/${SERVERS[$i]}.log" >&2
    exit 1
  fi
done

ALL_WORKLOADS=(
  "closed 16 conn x 32 in flight, sum [1,2]|--connections 16 --in-flight 32"
  "closed 1 conn x 1 in flight, sum [1,2]|--connections 1 --in-flight 1"
  "fixed 20,000 calls/s over 16 conn, sum [1,2]|--connections 16 --rate 20000"
  "closed 16 conn x 8 in flight, echo 4 KiB|--connections 16 --in-flight 8 --payload 4096"
)
WORKLOADS=()
for w in ${ONLY:-${!ALL_WORKLOADS[@]}}; do
  [[ -n ${ALL_WORKLOADS[$w]:-} ]] || { echo "compare.sh: no workload $w (0-$((${#ALL_WORKLOADS[@]} - 1)))" >&2; exit 2; }
  WORKLOADS+=("${ALL_WORKLOADS[$w]}")
done

echo "compare.sh: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $WARMUP s warm-up + $DURATION s per run, 1 uncounted + $ROUNDS counted rounds; ports: $(for s in "${SERVERS[@]}"; do printf '%s=%s ' "$s" "${PORT[$s]}"; done)" >&2
for round in $(seq 0 "$ROUNDS"); do
  for w in "${!WORKLOADS[@]}"; do
    args=${WORKLOADS[$w]#*|}
    for server in "${SERVERS[@]}"; do
      # shellcheck disable=SC2086
      run_bench "$round" "${WORKLOADS[$w]%%|*}, $server" "$OUT/w$w-$server-r$round" \
        "$JAVA" -jar "$JAR" bench --port "${PORT[$server]}" --framing "${FRAMING[$server]}" \
        --warmup "$WARMUP" --duration "$DURATION" --threads "$CLIENT_THREADS" --json $args
    done
  done
done

# One row per workload and server: the median of the counted rounds with its spread, each round's
# figure, and the median of the per-round ratios to the reference server (with their spread).
say_load_after
echo "| workload | server | calls/s median (min-max) | rounds | p50 ms | p99 ms | errors + timeouts + lost | calls/s vs $REFERENCE, median of per-round ratios (min-max) |"
echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |"
for w in "${!WORKLOADS[@]}"; do
  name=${WORKLOADS[$w]%%|*}
  for server in "${SERVERS[@]}"; do
    cps=() p50=() p99=() ratios=() problems=0
    for r in $(seq 1 "$ROUNDS"); do
      f="$OUT/w$w-$server-r$r.json"
      cps+=("$(num .callsPerSecond "$f")")
      p50+=("$(num '.latencyMs.p50' "$f")")
      p99+=("$(num '.latencyMs.p99' "$f")")
      ratios+=("$(ratio "$(num .callsPerSecond "$f")" "$(num .callsPerSecond "$OUT/w$w-$REFERENCE-r$r.json")")")
      problems=$((problems + $(jq -r '(.total.errors + .total.timeouts + .total.failures) // 0' "$f" 2>/dev/null || echo 0)))
    done
    join() { local IFS=/; echo "$*" | sed 's|/| / |g'; }
    echo "| $name | $server | $(printf '%s\n' "${cps[@]}" | median_spread %.0f) | $(join "${cps[@]}") |" \
      "$(printf '%s\n' "${p50[@]}" | median_spread %.3f) | $(printf '%s\n' "${p99[@]}" | median_spread %.3f) | $problems |" \
      "$(printf '%s\n' "${ratios[@]}" | median_spread %.2f) |"
  done
done
