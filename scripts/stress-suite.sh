#!/usr/bin/env bash
# Runs the whole test suite RUNS times in a row (default 5) while every core is kept busy by
# a CPU hog this script starts and stops itself (by pid), and prints how many runs were green.
# A test that only passes on an idle machine (a counter read before a thread finished, a
# sleep standing in for synchronisation, a wall-clock bound too tight) shows up here.
#
#   scripts/stress-suite.sh            # 5 runs of `cargo test --workspace --all-features`
#   RUNS=2 scripts/stress-suite.sh -- --test tls   # other cargo test arguments after --
set -uo pipefail
cd "$(dirname "$0")/.."

runs=${RUNS:-5}
args=(--workspace --all-features)
if [ "${1:-}" = "--" ]; then shift; args=(--all-features "$@"); fi
cores=$(nproc)
logdir=target/stress
mkdir -p "$logdir"

# Build first, unloaded: the runs measure the tests, not the compiler.
cargo test "${args[@]}" --no-run -q >"$logdir/build.log" 2>&1 || {
  echo "build failed: see $logdir/build.log" >&2
  exit 2
}

hogs=()
stop_hogs() {
  for pid in "${hogs[@]}"; do kill "$pid" 2>/dev/null; done
  for pid in "${hogs[@]}"; do wait "$pid" 2>/dev/null; done
  hogs=()
}
trap stop_hogs EXIT INT TERM
for _ in $(seq "$cores"); do
  ( while :; do :; done ) &
  hogs+=("$!")
done
echo "CPU hogs on $cores cores: pids ${hogs[*]}"

green=0
for i in $(seq "$runs"); do
  start=$(date +%s)
  # --no-fail-fast, and not -q (which hides the "Running" lines): a red run names every
  # failing test with its binary, not only those of the first binary that failed.
  if cargo test "${args[@]}" --no-fail-fast >"$logdir/run-$i.log" 2>&1; then
    green=$((green + 1)); verdict=green
  else
    verdict="RED (see $logdir/run-$i.log)"
  fi
  passed=$(grep -Eo '[0-9]+ passed' "$logdir/run-$i.log" | awk '{s += $1} END {print s + 0}')
  failed=$(grep -Eo '[0-9]+ failed' "$logdir/run-$i.log" | awk '{s += $1} END {print s + 0}')
  echo "run $i/$runs: $verdict, $passed tests passed, $failed failed, $(( $(date +%s) - start )) s"
  # Name every failed test with its test binary ("Running tests/x.rs" precedes its output).
  awk '/^ *(Running|Doc-tests) / { bin = $2 }
       /^---- .* stdout ----$/ { sub(/^---- /, ""); sub(/ stdout ----$/, ""); print "  FAILED " bin " " $0 }
       /^error: test failed|^error: [0-9]+ targets? failed/ { print "  " $0 }' \
    "$logdir/run-$i.log"
done
stop_hogs
echo "$green/$runs runs green under load on $cores cores"
[ "$green" -eq "$runs" ]
