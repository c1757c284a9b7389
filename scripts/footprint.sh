#!/usr/bin/env bash
# The footprint table of issue 14 (footprint/README.md): the same small program (one
# `users().get(..)`, one 100-user page) written with plain ureq 3 + serde_json::Value
# (footprint/floor) and with this crate (footprint/sdk), measured side by side in one run:
#
# - clean `cargo build --release` time, crates already downloaded (`cargo fetch` first), each
#   build in an empty target directory; BUILD_ROUNDS rounds (default 2), alternating which
#   program builds first, and the median (with 2 rounds: the mean) of each;
# - the stripped binary's size;
# - duplicate crate versions in the normal dependency tree;
# - exec -> first answer parsed, and exec -> exit, against one loopback MockServer
#   (`benches/footprint.rs`), EXEC_ROUNDS alternating runs each (default 101).
#
# Run it on a quiet machine: nothing else compiling. TIMINGS=1 adds `--timings` to the last
# round's builds (HTML reports under target/footprint/<program>/cargo-timings/).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_ROUNDS=${BUILD_ROUNDS:-2}
EXEC_ROUNDS=${EXEC_ROUNDS:-101}
out=target/footprint
mkdir -p "$out"
programs=(floor sdk)

for p in "${programs[@]}"; do
  cargo fetch --locked --quiet --manifest-path "footprint/$p/Cargo.toml"
done

declare -A secs
build() { # program round -> seconds of a clean release build
  local p=$1 dir="$out/$1" extra=()
  rm -rf "$dir"
  if [ "${TIMINGS:-0}" = 1 ] && [ "$2" = "$BUILD_ROUNDS" ]; then extra=(--timings); fi
  local t0 t1
  t0=$(date +%s.%N)
  CARGO_TARGET_DIR="$dir" cargo build --release --offline --locked --quiet \
    --manifest-path "footprint/$p/Cargo.toml" "${extra[@]}"
  t1=$(date +%s.%N)
  echo "$t1 - $t0" | bc
}
for r in $(seq 1 "$BUILD_ROUNDS"); do
  order=("${programs[@]}")
  if (( r % 2 == 0 )); then order=(sdk floor); fi
  for p in "${order[@]}"; do
    s=$(build "$p" "$r")
    secs[$p]="${secs[$p]:-} $s"
    printf 'build round %d: %-5s %6.1f s\n' "$r" "$p" "$s"
  done
done
middle() { tr ' ' '\n' | grep . | sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

declare -A size dups
for p in "${programs[@]}"; do
  cp "$out/$p/release/footprint-$p" "$out/$p.stripped"
  strip "$out/$p.stripped"
  size[$p]=$(stat -c %s "$out/$p.stripped")
  dups[$p]=$(cargo tree -e normal -d --prefix none --manifest-path "footprint/$p/Cargo.toml" 2>/dev/null \
    | { grep -E "^[a-z0-9_-]+ v" || true; } | cut -d" " -f1 | sort -u | wc -l)
done

exec_report=$(cargo bench --quiet --bench footprint -- "$out/floor.stripped" "$out/sdk.stripped" "$EXEC_ROUNDS" 2>/dev/null)
echo "$exec_report"
first=$(echo "$exec_report" | sed -n 's/^exec -> first answer parsed: floor \([0-9.]*\) ms, sdk \([0-9.]*\) ms, ratio \([0-9.]*\)$/\1 \2 \3/p')
read -r first_floor first_sdk first_ratio <<< "$first"

bf=$(echo "${secs[floor]}" | middle)
bs=$(echo "${secs[sdk]}" | middle)
echo
echo "| measure | floor (ureq + Value) | clerk-backend-api | ratio |"
echo "|---|---|---|---|"
awk -v f="$bf" -v s="$bs" 'BEGIN { printf "| clean `cargo build --release` | %.1f s | %.1f s | %.2f× |\n", f, s, s / f }'
awk -v f="${size[floor]}" -v s="${size[sdk]}" 'BEGIN { printf "| stripped binary | %.2f MB | %.2f MB | %.2f× |\n", f / 1e6, s / 1e6, s / f }'
printf '| exec → first response parsed | %s ms | %s ms | %s× |\n' "$first_floor" "$first_sdk" "$first_ratio"
printf '| duplicate crate versions in the normal tree | %d | %d | |\n' "${dups[floor]}" "${dups[sdk]}"
