#!/usr/bin/env bash
# Memory per detached resumable session (PROTOCOL section 8): the heap of one node after a full GC,
# before any session, with N sessions logged in with "resume": true (all in one room), once all their
# connections have dropped (each session waits for its client, its buffer empty), and once K room
# messages were sent to each while away (each session keeps them for its client).
#
# Starts the jar with conf/bench.json plus a resume window long enough for the run
# (gateway.resumeWindow 600000) and room for N connections from 127.0.0.1
# (gateway.maxConnectionsPerAddress), drives the clients with bench/resume_sessions.py, and reads the
# heap with `jcmd <pid> GC.run` then `jcmd <pid> GC.heap_info` (the "used" figure, twice, the
# lower kept). Prints the figures and the bytes per session of each step.
#
# Environment: JAR (target/busrpc.jar), SESSIONS (5000), MESSAGES (10, K), TEXT (100, bytes of each
# message's text), FIRST_PORT (7611), JAVA (java), KEEP (dir for the logs).
set -euo pipefail

cd "$(dirname "$0")/.."
JAR=${JAR:-target/busrpc.jar}
JAVA=${JAVA:-java}
SESSIONS=${SESSIONS:-5000}
MESSAGES=${MESSAGES:-10}
TEXT=${TEXT:-100}
FIRST_PORT=${FIRST_PORT:-7611}
[[ -f "$JAR" ]] || { echo "resume-memory.sh: $JAR not found (mvn -DskipTests package builds target/busrpc.jar)" >&2; exit 2; }
command -v jq >/dev/null || { echo "resume-memory.sh: jq is required" >&2; exit 2; }
command -v jcmd >/dev/null || { echo "resume-memory.sh: jcmd (a JDK) is required" >&2; exit 2; }

SCRIPT=resume-memory.sh
source bench/lib.sh

free_port; tcp=$FREE_PORT
free_port; management=$FREE_PORT
jq --argjson n "$((SESSIONS + 100))" '.gateway.resumeWindow = 600000 | .gateway.maxConnectionsPerAddress = $n' \
  conf/bench.json >"$OUT/resume-memory.json"
BUSRPC_TCP_PORT=$tcp BUSRPC_MANAGEMENT_PORT=$management "$JAVA" -jar "$JAR" -conf "$OUT/resume-memory.json" \
  >"$OUT/server.log" 2>&1 &
PIDS+=($!)
wait_port "$tcp" "$OUT/server.log"
echo "resume-memory.sh: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); $SESSIONS sessions, $MESSAGES messages of $TEXT bytes each; server pid ${PIDS[0]}, $JAR" >&2
python3 bench/resume_sessions.py --port "$tcp" --pid "${PIDS[0]}" --sessions "$SESSIONS" --messages "$MESSAGES" --text "$TEXT"
