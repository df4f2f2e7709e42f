# Shared by the benchmark scripts (sourced, not run): the servers they start and stop, free ports,
# and the medians and ratios of their tables. The sourcing script sets SCRIPT (its name, for
# messages), FIRST_PORT when it uses free_port, and may set KEEP (a dir that keeps the raw JSON).

OUT=${KEEP:-$(mktemp -d)}
mkdir -p "$OUT"
PIDS=()
# Stops every server the script started, and drops the raw JSON unless KEEP names a dir for it.
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  [[ -n "${KEEP:-}" ]] || rm -rf "$OUT"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port_free() { ! ss -ltnH "sport = :$1" 2>/dev/null | grep -q .; }
NEXT_PORT=${FIRST_PORT:-}
# Sets FREE_PORT (no subshell: NEXT_PORT must advance, the servers have not bound their ports yet);
# never 7000, the demo's port.
free_port() {
  while ! port_free "$NEXT_PORT" || [[ $NEXT_PORT == 7000 ]]; do NEXT_PORT=$((NEXT_PORT + 1)); done
  FREE_PORT=$NEXT_PORT
  NEXT_PORT=$((NEXT_PORT + 1))
}
# Waits up to 30 s for something to listen on port $1; exits naming the log $2 if nothing does.
wait_port() {
  for _ in $(seq 1 150); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    sleep 0.2
  done
  echo "$SCRIPT: nothing listens on port $1 after 30 s (see $2)" >&2
  exit 1
}

# Prints the member $1 (a jq path) of the JSON file $2, or "-" when the run failed.
# An empty file (a run that failed before writing) gives jq nothing to print: that is "-" too.
num() { local v; v=$(jq -r "$1 // \"-\"" "$2" 2>/dev/null) || v=-; echo "${v:--}"; }
# Prints $1 / $2, or "-" when either is "-" (a failed run) or $2 is 0.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {print (a != "-" && b != "-" && b > 0) ? a / b : "-"}'; }
# Reads numbers (one a line, "-" for a failed run) and prints "median (min-max)" in the printf
# format $1; the median of an even count is the mean of the middle two.
median_spread() {
  sort -g | awk -v fmt="$1" '$1 != "-" {v[n++] = $1}
    END {
      if (!n) { print "-"; exit }
      m = n % 2 ? v[(n - 1) / 2] : (v[n / 2 - 1] + v[n / 2]) / 2
      printf fmt " (" fmt "-" fmt ")\n", m, v[0], v[n - 1]
    }'
}

# Prints one run's line to stderr: round $1, label $2, from the JSON file $3 (or, when the run
# failed, the last line of its progress file $4), with the load at that moment.
say_run() {
  local warm=""
  [[ $1 != 0 ]] || warm=" (warm-up)"
  if jq -e .callsPerSecond "$3" >/dev/null 2>&1; then
    echo "  round $1$warm, $2: $(jq -r '"\(.callsPerSecond) calls/s, p99 \(.latencyMs.p99) ms, errors \(.errors)"' "$3"), load $(cut -d' ' -f1 /proc/loadavg)" >&2
  else
    echo "  round $1$warm, $2: FAILED ($(tail -1 "$4"))" >&2
  fi
}

# Runs one bench, the command "$@", into $3.json (its figures) and $3.progress (its stderr), and
# prints its line (round $1, label $2); a failed run leaves no figures and is said so.
run_bench() {
  local round=$1 label=$2 base=$3
  shift 3
  "$@" >"$base.json" 2>"$base.progress" || true
  say_run "$round" "$label" "$base.json" "$base.progress"
}

# The line above a table: the load after the run, and what its medians are of.
say_load_after() {
  echo
  echo "load after the run: $(cut -d' ' -f1-3 /proc/loadavg); medians of $ROUNDS counted rounds (min-max); the warm-up round is not counted"
  echo
}

# Compares two series of runs, A and B, over the counted rounds: run r of A is $1r.json, of B $2r.json.
# Sets, each as "median (min-max)": A_CPS and B_CPS (calls/s), A_P99 and B_P99 (p99 ms), RATIO (the
# per-round ratios A / B, in the printf format $3; taken within a round, so the machine's drift
# cancels out); and ERRORS, the sum over both series of the members of .total named in $4 (e.g.
# "errors timeouts"). Sets globals rather than printing, so one call serves a row of any layout.
compare_series() {
  local a_runs=$1 b_runs=$2 ratio_format=$3 problems
  local r a b a_cps=() b_cps=() a_p99=() b_p99=() ratios=()
  problems=$(printf '(.total.%s // 0) + ' $4)
  problems=${problems% + }
  ERRORS=0
  for r in $(seq 1 "$ROUNDS"); do
    a="$a_runs$r.json" b="$b_runs$r.json"
    a_cps+=("$(num .callsPerSecond "$a")"); b_cps+=("$(num .callsPerSecond "$b")")
    a_p99+=("$(num .latencyMs.p99 "$a")"); b_p99+=("$(num .latencyMs.p99 "$b")")
    ratios+=("$(ratio "$(num .callsPerSecond "$a")" "$(num .callsPerSecond "$b")")")
    ERRORS=$((ERRORS + $(jq -r "$problems" "$a" "$b" 2>/dev/null | awk '{n += $1} END {print n + 0}')))
  done
  A_CPS=$(printf '%s\n' "${a_cps[@]}" | median_spread %.0f)
  B_CPS=$(printf '%s\n' "${b_cps[@]}" | median_spread %.0f)
  A_P99=$(printf '%s\n' "${a_p99[@]}" | median_spread %.2f)
  B_P99=$(printf '%s\n' "${b_p99[@]}" | median_spread %.2f)
  RATIO=$(printf '%s\n' "${ratios[@]}" | median_spread "$ratio_format")
}
