#!/usr/bin/env bash
# End-to-end `parity check` on SYNTHETIC worlds (examples/gen.rs): wall time
# (median of RUNS), and peak memory against the YAML size, for N = 50, 100
# and 200 states (2,450 / 9,900 / 39,800 missions). Also the growth ratio
# time(200)/time(50) against the missions ratio. See docs/performance.md.
#
#   bash benches/e2e.sh            # RUNS=5 by default
#
# Needs GNU time (/usr/bin/time, Debian package `time`) for peak memory.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS="${RUNS:-5}"
DIR="$(mktemp -d)"
trap 'rm -rf "$DIR"' EXIT

cargo build --release --quiet --bin parity --example gen
BIN=target/release/parity
command -v /usr/bin/time >/dev/null || { echo "needs /usr/bin/time (apt-get install time)" >&2; exit 2; }

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

printf '%-6s %-9s %-10s %-12s %-12s %-8s\n' N missions "YAML MB" "check s" "peak MB" "mem/YAML"
declare -A TIME
for N in 50 100 200; do
  target/release/examples/gen --states "$N" --out "$DIR/w$N.yaml"
  bytes=$(stat -c %s "$DIR/w$N.yaml")
  times=()
  peak=0
  for _ in $(seq "$RUNS"); do
    # Exit status 1 means findings, which these worlds have.
    /usr/bin/time -f '%e %M' -o "$DIR/t" "$BIN" check "$DIR/w$N.yaml" --format json >/dev/null || [ $? -eq 1 ]
    read -r secs kb < <(tail -n 1 "$DIR/t")
    times+=("$secs")
    [ "$kb" -gt "$peak" ] && peak=$kb
  done
  t=$(printf '%s\n' "${times[@]}" | median)
  TIME[$N]=$t
  awk -v n="$N" -v m=$((N * (N - 1))) -v b="$bytes" -v t="$t" -v p="$peak" \
    'BEGIN { printf "%-6d %-9d %-10.1f %-12.2f %-12.1f %-8.1f\n", n, m, b/1e6, t, p*1024/1e6, p*1024/b }'
done
awk -v a="${TIME[50]}" -v b="${TIME[200]}" \
  'BEGIN { printf "growth: time(200)/time(50) = %.1f for 16.2x the missions (target <= 19.4)\n", b/a }'
