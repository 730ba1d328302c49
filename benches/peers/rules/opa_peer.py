"""opa_peer.py FACTS.json RULE ITERATIONS POLICY.rego...

OPA's Go engine through the opa-golib-python-bindings package: adds the
policies and the facts (as data.facts: loaded once, not timed), evaluates
data.peers.RULE once as a warm-up (which also prepares the query), then
ITERATIONS times; prints the findings sorted, one a line, and on
stderr eval_ms= the median evaluation time (each eval includes passing the
result back to Python as JSON).
"""
import json
import sys
import time

from opa_bindings import OpaEngine


def line(finding):
    return " ".join(finding) if isinstance(finding, list) else str(finding)


def main():
    facts, rule, n, *policies = sys.argv[1:]
    n = int(n)
    engine = OpaEngine()
    for policy in policies:
        with open(policy) as f:
            engine.add_policy(policy, f.read())
    with open(facts) as f:
        engine.add_data(json.load(f), path="facts")
    path = f"peers.{rule}"
    engine.eval_document(path)
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        result = engine.eval_document(path)
        times.append((time.perf_counter() - t0) * 1000)
    print("\n".join(sorted(line(x) for x in result)))
    times.sort()
    print(f"eval_ms={times[len(times) // 2]:.3f}", file=sys.stderr)


main()
