#!/usr/bin/env bash
# Instructions per call (valgrind's callgrind) of the pipeline benchmark's cases: the SDK's
# `users().get(..)` of a 4 KB user and one 100-user page, and the raw `ureq` +
# `read_json::<Value>` baseline configured as the client's agent is. Counts do not depend on
# what else the machine is doing, unlike the wall-clock ratios of `cargo bench`.
#
# Each case runs twice, with N1 and N2 calls after a 20-call warm-up; the difference of the
# two totals over N2 - N1 is the per-call count, free of start-up. It counts user-space
# instructions of every thread (the loopback mock server's too, the same for both sides),
# not the kernel's work.
#
#   scripts/callgrind-pipeline.sh            # N1=50, N2=250
#   N1=100 N2=600 scripts/callgrind-pipeline.sh
set -euo pipefail
cd "$(dirname "$0")/.."
command -v valgrind >/dev/null || { echo "needs valgrind (apt-get install valgrind)" >&2; exit 2; }
N1=${N1:-50}
N2=${N2:-250}

bin=$(cargo bench --bench pipeline --no-run --message-format=json 2>/dev/null \
  | sed -n 's/.*"executable":"\([^"]*pipeline-[^"]*\)".*/\1/p' | tail -1)
[ -x "$bin" ] || { echo "could not build the pipeline benchmark" >&2; exit 1; }

total() { # side case n -> instructions collected
  valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin" callgrind "$1" "$2" "$3" 2>&1 \
    | sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}

printf '%-6s %-5s %14s\n' case side "instr/call"
for case in get page; do
  declare -A per
  for side in raw sdk; do
    a=$(total "$side" "$case" "$N1")
    b=$(total "$side" "$case" "$N2")
    per[$side]=$(( (b - a) / (N2 - N1) ))
    printf '%-6s %-5s %14d\n' "$case" "$side" "${per[$side]}"
  done
  awk -v r="${per[raw]}" -v s="${per[sdk]}" -v c="$case" \
    'BEGIN { printf "%-6s sdk/raw %8.2fx\n", c, s / r }'
  unset per
done
