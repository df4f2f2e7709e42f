#!/usr/bin/env bash
# A node of a 2-node cluster against a single node, and a call that crosses nodes against one served
# on the gateway's own node, with the same workload, in one run (issue 18 item 3).
#
# Expects target/busrpc.jar (build it first: mvn -DskipTests package). Starts, each on free ports
# from 7611 up, with the benchmark configuration's handlers (conf/bench.json):
#   single  one node, not clustered, gateway and handlers;
#   A, B    a cluster of two nodes, both with gateway and handlers: a call made at A's gateway is
#           served on A (node-local first); B is idle but clustered, as a second node of a cluster is;
#   X, Y    a second cluster (a name of its own): X has a gateway only, Y the handlers, so every
#           call made at X's gateway crosses to Y and its answer back.
# Hazelcast runs from src/test/resources/cluster-test.xml: TCP-IP on 127.0.0.1, multicast off, a
# cluster name per cluster and run. Then rounds, each running the workload at single, at A and at X
# one after the other, so the machine's drift hits all three alike; round 0 is a warm-up that is not
# counted. Prints each figure as the median of the counted rounds with its spread (min-max), and the
# per-round ratios A / single (goal >= 0.9) and X / A (cross-node / same node, goal >= 0.6).
#
# On a machine with few cores, all five nodes and the load generator share them: "a node of the
# cluster against a single node" is measured as one node of the cluster under load while the other
# idles, against the single node under the same load (two loaded nodes on two cores would each get
# about half the machine, which says nothing about the cluster).
#
# With BASE_JAR set (another build, e.g. main before a change), a third cluster X', Y' runs that
# build and the rounds include it ("X, BASE_JAR"), so a change to the cross-node path is measured
# against its base in the same rounds.
#
# Environment: JAR (target/busrpc.jar), BASE_JAR (none), CONNECTIONS (16), IN_FLIGHT (32), PAYLOAD ("": sum [1,2];
# bytes: echo), WARMUP (3) and DURATION (5) seconds per run, ROUNDS (3) counted rounds,
# FIRST_PORT (7611), JAVA (java), JAVA_OPTS (extra JVM flags for the five nodes, e.g. JFR),
# KEEP (dir for the raw JSON and the nodes' logs).
set -euo pipefail

cd "$(dirname "$0")/.."
JAR=${JAR:-target/busrpc.jar}
JAVA=${JAVA:-java}
CONNECTIONS=${CONNECTIONS:-16}
IN_FLIGHT=${IN_FLIGHT:-32}
PAYLOAD=${PAYLOAD:-}
WARMUP=${WARMUP:-3}
DURATION=${DURATION:-5}
ROUNDS=${ROUNDS:-3}
FIRST_PORT=${FIRST_PORT:-7611}
read -r -a JVM_FLAGS <<<"${JAVA_OPTS:-}"
HAZELCAST_XML=$PWD/src/test/resources/cluster-test.xml

(( ROUNDS >= 1 )) || { echo "cluster-compare.sh: ROUNDS must be at least 1 (3 or more for a median)" >&2; exit 2; }
[[ -f "$JAR" ]] || { echo "cluster-compare.sh: $JAR not found; build it first (mvn -DskipTests package)" >&2; exit 2; }
[[ -z ${BASE_JAR:-} || -f $BASE_JAR ]] || { echo "cluster-compare.sh: BASE_JAR $BASE_JAR not found" >&2; exit 2; }
command -v jq >/dev/null || { echo "cluster-compare.sh: jq is required" >&2; exit 2; }

SCRIPT=cluster-compare.sh
source bench/lib.sh

# The benchmark configuration with its handlers ($1 = with) or none ($1 = without).
jq '.handlers |= [.[] | select(.class | startswith("io.busrpc.examples."))]' conf/bench.json >"$OUT/with.json"
jq '.handlers = []' conf/bench.json >"$OUT/without.json"

declare -A PORT CLUSTER_PORT
# Starts node $1 of jar $2 with config $3 ("with" or "without" handlers); clustered in cluster $4
# joining through the Hazelcast port of node $5 (itself when it is the first) unless $4 is empty.
start_node() {
  local node=$1 jar=$2 handlers=$3 cluster=${4:-} join=${5:-}
  free_port; PORT[$node]=$FREE_PORT
  free_port; local management=$FREE_PORT
  local args=(-jar "$jar" -conf "$OUT/$handlers.json")
  local props=()
  if [[ -n $cluster ]]; then
    free_port; CLUSTER_PORT[$node]=$FREE_PORT
    props=(-Dvertx.hazelcast.config="$HAZELCAST_XML" -Dbusrpc.cluster.name="$cluster"
      -Dbusrpc.cluster.port="${CLUSTER_PORT[$node]}" -Dbusrpc.cluster.members="127.0.0.1:${CLUSTER_PORT[$join]}")
    args+=(-cluster --cluster-host 127.0.0.1)
  fi
  BUSRPC_TCP_PORT=${PORT[$node]} BUSRPC_MANAGEMENT_PORT=$management \
    "$JAVA" "${JVM_FLAGS[@]}" "${props[@]}" "${args[@]}" >"$OUT/$node.log" 2>&1 &
  PIDS+=($!)
}

RUN=$$-$RANDOM
NODES=(single A B X Y)
start_node single "$JAR" with
start_node A "$JAR" with "busrpc-bench-ab-$RUN" A
wait_port "${PORT[A]}" "$OUT/A.log"   # B joins through A's Hazelcast port: A first
start_node B "$JAR" with "busrpc-bench-ab-$RUN" A
start_node Y "$JAR" with "busrpc-bench-xy-$RUN" Y
wait_port "${PORT[Y]}" "$OUT/Y.log"
start_node X "$JAR" without "busrpc-bench-xy-$RUN" Y
if [[ -n ${BASE_JAR:-} ]]; then
  NODES+=(Xbase Ybase)
  start_node Ybase "$BASE_JAR" with "busrpc-bench-base-$RUN" Ybase
  wait_port "${PORT[Ybase]}" "$OUT/Ybase.log"
  start_node Xbase "$BASE_JAR" without "busrpc-bench-base-$RUN" Ybase
fi
for node in "${NODES[@]}"; do wait_port "${PORT[$node]}" "$OUT/$node.log"; done
# Both clusters must have two members, or "cross-node" and "node of a cluster" mean nothing: B and X
# hold a Hazelcast connection to the node they joined, and a call at X (which has no handlers) is
# answered, by Y.
joined() { ss -tnH state established "( sport = :${CLUSTER_PORT[$1]} )" 2>/dev/null | grep -q .; }
answered() {
  local answer
  answer=$(exec 3<>"/dev/tcp/127.0.0.1/$1" && printf '{"jsonrpc":"2.0","id":1,"method":"sum","params":[1,2]}\n' >&3 \
    && timeout 5 head -n1 <&3) || return 1
  [[ $answer == *'"result":3'* ]]
}
CROSS=(X)
[[ -z ${BASE_JAR:-} ]] || CROSS+=(Xbase)
for _ in $(seq 1 100); do
  ok=1
  joined A || ok=0
  for x in "${CROSS[@]}"; do answered "${PORT[$x]}" || ok=0; done
  (( ok )) && break
  sleep 0.2
done
joined A || { echo "cluster-compare.sh: B did not join A's cluster (see $OUT/B.log)" >&2; exit 1; }
for x in "${CROSS[@]}"; do
  answered "${PORT[$x]}" || { echo "cluster-compare.sh: $x cannot reach its handlers' node (see $OUT/$x.log)" >&2; exit 1; }
done

LABELS=(single "A, cluster node, local handlers" "X, handlers on the other node")
TARGETS=(single A X)
if [[ -n ${BASE_JAR:-} ]]; then
  LABELS+=("X, handlers on the other node, BASE_JAR")
  TARGETS+=(Xbase)
fi
workload=(--connections "$CONNECTIONS" --in-flight "$IN_FLIGHT")
[[ -z $PAYLOAD ]] || workload+=(--payload "$PAYLOAD")
echo "cluster-compare.sh: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), ${workload[*]}, $WARMUP s warm-up + $DURATION s per run, 1 uncounted + $ROUNDS counted rounds; ports: $(for n in "${NODES[@]}"; do printf '%s=%s ' "$n" "${PORT[$n]}"; done)" >&2
for round in $(seq 0 "$ROUNDS"); do
  for i in "${!TARGETS[@]}"; do
    run_bench "$round" "${LABELS[$i]}" "$OUT/${TARGETS[$i]}-r$round" \
      "$JAVA" -jar "$JAR" bench --port "${PORT[${TARGETS[$i]}]}" --warmup "$WARMUP" --duration "$DURATION" \
      --json "${workload[@]}"
  done
done

say_load_after
join() { local IFS=/; echo "$*" | sed 's|/| / |g'; }
echo "| gateway | calls/s median (min-max) | rounds | p50 ms | p99 ms | errors + timeouts + lost |"
echo "| --- | ---: | ---: | ---: | ---: | ---: |"
for i in "${!TARGETS[@]}"; do
  cps=() p50=() p99=() problems=0
  for r in $(seq 1 "$ROUNDS"); do
    f="$OUT/${TARGETS[$i]}-r$r.json"
    cps+=("$(num .callsPerSecond "$f")")
    p50+=("$(num '.latencyMs.p50' "$f")")
    p99+=("$(num '.latencyMs.p99' "$f")")
    problems=$((problems + $(jq -r '(.total.errors + .total.timeouts + .total.failures) // 0' "$f" 2>/dev/null || echo 0)))
  done
  echo "| ${LABELS[$i]} | $(printf '%s\n' "${cps[@]}" | median_spread %.0f) | $(join "${cps[@]}") |" \
    "$(printf '%s\n' "${p50[@]}" | median_spread %.3f) | $(printf '%s\n' "${p99[@]}" | median_spread %.3f) | $problems |"
done
echo
echo "| ratio, per round | rounds | median (min-max) | goal |"
echo "| --- | ---: | ---: | ---: |"
# $1 label, $2 and $3 the targets divided (per round), $4 the goal.
ratio_row() {
  local ratios=()
  for r in $(seq 1 "$ROUNDS"); do
    ratios+=("$(ratio "$(num .callsPerSecond "$OUT/$2-r$r.json")" "$(num .callsPerSecond "$OUT/$3-r$r.json")")")
  done
  echo "| $1 | $(printf '%s\n' "${ratios[@]}" | awk '{printf "%s%s", (NR > 1 ? " / " : ""), ($1 == "-" ? "-" : sprintf("%.2f", $1))}') |" \
    "$(printf '%s\n' "${ratios[@]}" | median_spread %.2f) | $4 |"
}
ratio_row "cluster node A / single node" A single ">= 0.9"
ratio_row "cross-node X / same node A" X A ">= 0.6"
[[ -z ${BASE_JAR:-} ]] || ratio_row "cross-node X / X of BASE_JAR" X Xbase "(the change)"
