"""clingo_peer.py FACTS.lp RULES.lp PART [ITERATIONS]

On a fresh clingo.Control each time: parses both files and grounds the base
program (the facts), not timed; then grounds one part of RULES.lp
(rank_parity or implied_recognition) and solves, timed. One warm-up, then
ITERATIONS runs (default 5). Prints the shown atoms' arguments sorted, one
finding a line, and on stderr eval_ms= the median of ground(part) + solve.
"""
import sys
import time

import clingo


def once(facts, rules, part):
    ctl = clingo.Control(["--warn=none"])
    ctl.load(facts)
    ctl.load(rules)
    ctl.ground([("base", [])])
    t0 = time.perf_counter()
    ctl.ground([(part, [])])
    out = []
    ctl.solve(on_model=lambda m: out.extend(
        " ".join(a.string for a in s.arguments) for s in m.symbols(shown=True)))
    return (time.perf_counter() - t0) * 1000, out


def main():
    facts, rules, part = sys.argv[1:4]
    n = int(sys.argv[4]) if len(sys.argv) > 4 else 5
    once(facts, rules, part)
    runs = [once(facts, rules, part) for _ in range(n)]
    times = sorted(t for t, _ in runs)
    print("\n".join(sorted(runs[-1][1])))
    print(f"eval_ms={times[len(times) // 2]:.3f}", file=sys.stderr)


main()
