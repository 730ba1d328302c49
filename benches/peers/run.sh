#!/usr/bin/env bash
# Peer comparison for rank-parity on a SYNTHETIC world (see README.md).
# Usage: benches/peers/run.sh [N]   (N states, default 50)
# Installs peers through their registries: clingo (pip), SWI-Prolog (apt).
# regorus is skipped (compiling it takes longer than this script's budget).
# Facts come from `parity graph` (every open mission with its head's rank at
# as_of); all generated missions are embassies. Prints per-peer agreement with
# parity's rank-parity findings and time ratios measured in this run.
set -euo pipefail
N="${1:-50}"
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
cd "$ROOT"
cargo build --release --quiet --bin parity --example gen
PARITY="$ROOT/target/release/parity"
"$ROOT/target/release/examples/gen" --states "$N" --out "$WORK/world.yaml"

now() { date +%s%N; }
t0=$(now)
"$PARITY" check "$WORK/world.yaml" --format json > "$WORK/parity.json" || [ $? -eq 1 ]
t_parity=$(( $(now) - t0 ))
"$PARITY" graph "$WORK/world.yaml" > "$WORK/world.dot"

python3 - "$WORK" <<'PY'
import json, re, sys
work = sys.argv[1]
cls = {"ambassador": 1, "nuncio": 1, "high-commissioner": 1, "envoy": 2, "minister": 2,
       "internuncio": 2, "charge-d-affaires": 3}
facts = []
for line in open(f"{work}/world.dot"):
    m = re.match(r'\s*"([^"]+)" -> "([^"]+)" \[id="([^"]+)", label="([^"]+)"', line)
    if m and m.group(4) in cls:
        s, r, mid, rank = m.groups()
        facts.append((mid, s, r, cls[rank]))
q = lambda x: '"' + x + '"'
with open(f"{work}/facts.lp", "w") as f:
    for mid, s, r, c in facts:
        f.write(f"mission({q(mid)},{q(s)},{q(r)},{c}).\n")
with open(f"{work}/facts.pl", "w") as f:
    for mid, s, r, c in facts:
        f.write(f"mission('{mid}','{s}','{r}',{c}).\n")
report = json.load(open(f"{work}/parity.json"))
pairs = sorted(tuple(x["subject"]) for x in report["findings"] if x["rule"] == "rank-parity")
with open(f"{work}/expected.txt", "w") as f:
    f.writelines(f"{a} {b}\n" for a, b in pairs)
print(f"world: {len(facts)} missions with a head of a class; parity: {len(pairs)} rank-parity findings")
PY

ratio() { python3 -c "print(f'{$1/$2:.2f}')"; }
echo "parity check (load + all 8 rules + json): $((t_parity/1000000)) ms"

# clingo
if python3 -c "import clingo" 2>/dev/null || pip install --quiet clingo >/dev/null 2>&1; then
  t0=$(now)
  python3 - "$WORK" > "$WORK/clingo.txt" <<'PY'
import clingo, sys
work = sys.argv[1]
ctl = clingo.Control(["--warn=none"])
ctl.load(f"{work}/facts.lp")
ctl.add("base", [], 'parity(M,R) :- mission(M,S,T,C1), mission(R,T,S,C2), M < R, C1 != C2.\n#show parity/2.')
ctl.ground([("base", [])])
out = []
ctl.solve(on_model=lambda m: out.extend(str(a.arguments[0].string) + " " + str(a.arguments[1].string) for a in m.symbols(shown=True)))
print("\n".join(sorted(out)))
PY
  t_clingo=$(( $(now) - t0 ))
  if diff -q <(sort "$WORK/expected.txt") <(grep . "$WORK/clingo.txt" | sort) >/dev/null; then same=same; else same=DIFFERENT; fi
  echo "clingo: $((t_clingo/1000000)) ms, findings $same as parity, time ratio clingo/parity $(ratio $t_clingo $t_parity)"
else
  echo "clingo: skipped (pip install clingo failed)"
fi

# SWI-Prolog
if command -v swipl >/dev/null || timeout 300 apt-get install -y -qq swi-prolog-nox >/dev/null 2>&1; then
  cat > "$WORK/parity.pl" <<'PL'
parity(M, R) :- mission(M, S, T, C1), mission(R, T, S, C2), M @< R, C1 =\= C2.
main :- findall(M-R, parity(M, R), L), msort(L, S), forall(member(M-R, S), format("~w ~w~n", [M, R])).
PL
  t0=$(now)
  swipl -q -g main -t halt "$WORK/facts.pl" "$WORK/parity.pl" > "$WORK/swipl.txt"
  t_swipl=$(( $(now) - t0 ))
  if diff -q <(sort "$WORK/expected.txt") <(sort "$WORK/swipl.txt") >/dev/null; then same=same; else same=DIFFERENT; fi
  echo "swi-prolog: $((t_swipl/1000000)) ms, findings $same as parity, time ratio swipl/parity $(ratio $t_swipl $t_parity)"
else
  echo "swi-prolog: skipped (apt-get install swi-prolog-nox failed or took over 5 min)"
fi

echo "regorus: skipped (cargo install regorus compiles for several minutes on this machine; see README.md)"
echo "note: peer times include process start and fact loading but not YAML; parity's includes loading the YAML (~75% of it, docs/performance.md)."
