#!/usr/bin/env bash
# Peer comparison on a SYNTHETIC world (see README.md): the same two rules
# (rank-parity, implied-recognition) over the same facts in parity, clingo,
# SWI-Prolog, regorus (Rego, Rust) and OPA's Go engine (Rego), checked to report
# the same findings as `parity check`, timed in the same run.
#
# Usage: benches/peers/run.sh [N]      (N states, default 50)
# Environment: ITERATIONS (timed runs per engine and rule, default 7),
#   REGORUS_BUILD_TIMEOUT (seconds, default 1500), PEER_TIMEOUT (seconds per
#   peer run, default 1800).
#
# Installs what it needs through the package registries: clingo and
# opa-golib-python-bindings with pip into benches/peers/.venv, swi-prolog-nox
# with apt-get, the regorus crate by building benches/peers/regorus (its own
# workspace and target dir). A peer that cannot be installed is skipped with
# the reason; any peer whose findings differ from parity's, or that fails to
# run, makes the script exit 1.
set -euo pipefail
N="${1:-50}"
ITERATIONS="${ITERATIONS:-7}"
PEER_TIMEOUT="${PEER_TIMEOUT:-1800}"
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
RULES="$HERE/rules"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
cd "$ROOT"

log() { echo "$*" >&2; }

# --- parity, the world and the facts -------------------------------------
cargo build --release --quiet --bin parity --example gen --example peer_facts --example eval_rule
BIN="${CARGO_TARGET_DIR:-$ROOT/target}/release"
"$BIN/examples/gen" --states "$N" --out "$WORK/world.yaml"   # SYNTHETIC data
"$BIN/parity" check "$WORK/world.yaml" --format json > "$WORK/parity.json" || [ $? -eq 1 ]
"$BIN/examples/peer_facts" "$WORK/world.yaml" "$WORK" 2>/dev/null
python3 - "$WORK" <<'PY'
import json, sys
work = sys.argv[1]
report = json.load(open(f"{work}/parity.json"))
for rule in ("rank-parity", "implied-recognition"):
    lines = sorted(" ".join(f["subject"]) for f in report["findings"] if f["rule"] == rule)
    with open(f"{work}/expected-{rule}.txt", "w") as f:
        f.writelines(l + "\n" for l in lines)
PY

# --- installing the peers ------------------------------------------------
declare -A SKIP=()
VENV="$HERE/.venv"
PY="$VENV/bin/python"
if [ ! -x "$PY" ]; then
  python3 -m venv "$VENV" 2>/dev/null \
    || { apt-get install -y -qq python3-venv >/dev/null 2>&1 && python3 -m venv "$VENV"; } \
    || { rm -rf "$VENV"; SKIP[clingo]="no Python venv (python3 -m venv failed)"; SKIP[opa]="${SKIP[clingo]}"; }
fi
if [ -z "${SKIP[clingo]:-}" ]; then
  "$PY" -c "import clingo" 2>/dev/null \
    || "$PY" -m pip install --quiet clingo > "$WORK/pip-clingo.log" 2>&1 \
    || SKIP[clingo]="pip install clingo failed: $(tail -1 "$WORK/pip-clingo.log")"
  # The wheel is py3-none (a Go c-shared library loaded with ctypes) but declares
  # Requires-Python >=3.14; it runs on older Pythons for what is used here.
  "$PY" -c "import opa_bindings" 2>/dev/null \
    || "$PY" -m pip install --quiet --ignore-requires-python opa-golib-python-bindings > "$WORK/pip-opa.log" 2>&1 \
    || SKIP[opa]="pip install opa-golib-python-bindings failed: $(tail -1 "$WORK/pip-opa.log")"
fi
if ! command -v swipl >/dev/null; then
  { timeout 600 apt-get install -y -qq swi-prolog-nox \
      || { apt-get update -qq && timeout 600 apt-get install -y -qq swi-prolog-nox; }; } > "$WORK/apt.log" 2>&1 \
    || SKIP[swipl]="apt-get install swi-prolog-nox failed: $(tail -1 "$WORK/apt.log")"
fi
REGORUS="$HERE/regorus/target/release/regorus-peer"
if [ ! -x "$REGORUS" ] || [ "$HERE/regorus/src/main.rs" -nt "$REGORUS" ] || [ "$HERE/regorus/Cargo.toml" -nt "$REGORUS" ]; then
  log "building the regorus harness (first time: about 2 min on 2 cores)..."
  timeout "${REGORUS_BUILD_TIMEOUT:-1500}" cargo build --release --locked --quiet \
      --manifest-path "$HERE/regorus/Cargo.toml" --target-dir "$HERE/regorus/target" > "$WORK/regorus-build.log" 2>&1 \
    || SKIP[regorus]="building benches/peers/regorus failed or took over ${REGORUS_BUILD_TIMEOUT:-1500} s: $(tail -1 "$WORK/regorus-build.log")"
fi

# --- running -------------------------------------------------------------
# run_peer PEER RULE-ID DIR ITERATIONS: the facts are in DIR; prints the
# findings sorted, one a line, and `eval_ms=` on stderr.
run_peer() {
  local rule="${2//-/_}" dir="$3" n="$4"
  case "$1" in
    parity)  "$BIN/examples/eval_rule" "$dir/world.yaml" "$2" "$n" ;;
    clingo)  "$PY" "$RULES/clingo_peer.py" "$dir/facts.lp" "$RULES/peers.lp" "$rule" "$n" ;;
    swipl)   swipl -q -g "run($rule,$n)" -t halt "$dir/facts.pl" "$RULES/peers.pl" ;;
    regorus) "$REGORUS" "$dir/facts.json" "data.peers.$rule" "$n" "$RULES/peers.rego" "$RULES/regorus.rego" ;;
    opa)     "$PY" "$RULES/opa_peer.py" "$dir/facts.json" "$rule" "$n" "$RULES/peers.rego" "$RULES/opa.rego" ;;
  esac
}

# check PEER RULE-ID DIR ITERATIONS EXPECTED OUT: runs and compares; 1 on a
# failure or a difference (reported).
check() {
  local peer="$1" rule="$2" dir="$3" n="$4" expected="$5" out="$6"
  if ! timeout "$PEER_TIMEOUT" bash -c "$(declare -f run_peer); $(declare -p BIN PY RULES REGORUS); run_peer $peer $rule $dir $n" \
      > "$out" 2> "$out.err"; then
    log "$peer $rule ($dir): FAILED to run (or over ${PEER_TIMEOUT} s): $(tail -3 "$out.err")"
    return 1
  fi
  if ! diff -q "$expected" <(grep . "$out" | LC_ALL=C sort) > /dev/null; then
    log "$peer $rule ($dir): findings DIFFER from parity's:"
    diff "$expected" <(grep . "$out" | LC_ALL=C sort) | head -10 >&2 || true
    return 1
  fi
}

PEERS=(parity clingo swipl regorus opa)
failed=0

# The rule tests (rules/tests/) and extra cases (cases/): small worlds that
# reach every branch of both rules; the expected findings are parity's.
for tests in rules/tests/rank-parity.test.yaml rules/tests/implied-recognition.test.yaml \
    benches/peers/cases/implied-recognition.test.yaml; do
  rule=$(basename "$tests" .test.yaml)
  cases="$WORK/cases/$(basename "$(dirname "$tests")")-$rule"
  "$BIN/examples/peer_facts" --tests "$tests" "$cases" 2>/dev/null
  for peer in "${PEERS[@]:1}"; do
    if [ -n "${SKIP[$peer]:-}" ]; then continue; fi
    ok=0 total=0
    for dir in "$cases"/case-*; do
      total=$((total + 1))
      if check "$peer" "$rule" "$dir" 1 "$dir/expected.txt" "$dir/$peer.txt"; then
        ok=$((ok + 1))
      else
        log "  case: $(cat "$dir/name.txt")"
        failed=1
      fi
    done
    log "$peer: $ok of $total cases of $tests agree with parity"
  done
done

declare -A MS=() COUNT=()
echo "SYNTHETIC world: $N states, $(grep -c '^mission(' "$WORK/facts.pl") open missions; $ITERATIONS timed runs each, medians"
for rule in rank-parity implied-recognition; do
  COUNT[$rule]=$(wc -l < "$WORK/expected-$rule.txt")
  for peer in "${PEERS[@]}"; do
    if [ -n "${SKIP[$peer]:-}" ]; then continue; fi
    out="$WORK/$peer-$rule.txt"
    if ! check "$peer" "$rule" "$WORK" "$ITERATIONS" "$WORK/expected-$rule.txt" "$out"; then
      failed=1
      continue
    fi
    MS[$peer,$rule]=$(grep -o 'eval_ms=[0-9.]*' "$out.err" | cut -d= -f2)
    extra=$(grep -o 'first_ms=[0-9.]*' "$out.err" || true)
    log "$peer $rule: ${COUNT[$rule]} findings, same as parity check; eval ${MS[$peer,$rule]} ms ${extra:+($extra)}"
  done
done

# --- report --------------------------------------------------------------
echo
printf '| rule | findings | parity eval |'
for peer in "${PEERS[@]:1}"; do printf ' %s |' "$peer"; done
echo
printf '|---|---:|---:|'
for _ in "${PEERS[@]:1}"; do printf -- '---:|'; done
echo
for rule in rank-parity implied-recognition; do
  p="${MS[parity,$rule]:-}"
  printf '| %s | %s | %s |' "$rule" "${COUNT[$rule]}" "${p:+$p ms}"
  for peer in "${PEERS[@]:1}"; do
    t="${MS[$peer,$rule]:-}"
    if [ -n "${SKIP[$peer]:-}" ]; then printf ' skipped |'
    elif [ -z "$t" ] || [ -z "$p" ]; then printf ' failed |'
    else printf ' %s ms (%s×) |' "$t" "$(python3 -c "print(f'{$t/$p:.1f}')")"
    fi
  done
  echo
done
echo
echo "(×) = peer time / parity time, in this run. Target: every peer ≥ 10× parity."
for peer in "${!SKIP[@]}"; do echo "$peer: skipped: ${SKIP[$peer]}"; done
if [ "$failed" -ne 0 ]; then
  echo "FAILED: a peer's findings differ from parity's, or a peer did not run (see above)." >&2
  exit 1
fi
