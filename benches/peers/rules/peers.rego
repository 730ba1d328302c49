# The two rules of the peer comparison (benches/peers/README.md) in Rego v1,
# over the JSON facts of examples/peer_facts.rs (facts.json), read as `input`
# by regorus and as `data.facts` by OPA (through the `facts` alias below).
# Load with regorus.rego (regorus) or opa.rego (OPA), which define rank_parity.
package peers

facts := input if input.mission
facts := data.facts if not input.mission

# Rego has no join planner: the joins look rows up in groups built once.
# rank-parity's join is written per engine, each its fast way: see
# regorus.rego and opa.rego. The recognition records, grouped by a
# multi-value rule (evaluated in full and cached), run well in both.
records[by][of] contains r if {
	some r in facts.recognition
	by := r.by
	of := r.of
}

record_index := records

records_of(by, of) := object.get(record_index, [by, of], set())

# implied-recognition (rules/recognition.rules): a head of class 1 or 2 whose
# credentials went to a government that the sender did not recognise de jure
# on the day they were presented.
implied_recognition contains mid if {
	some mid, c in facts.credentials
	facts.rank_class[facts.head[mid]] in {1, 2}
	m := facts.mission[mid]
	holding := [[r.from, weakness[r.level]] |
		some r in records_of(m.sender, c.to)
		in_force(r, c.on)
	]
	level(holding, c.to) != "de-jure"
}

# recognition(by, of, at) as parity's World::recognition: the record in force
# on `at` (the latest; on a tie, the weakest level); else the government's
# default; a state (its implicit government), de jure.
level(holding, _) := weakest[max(holding)[1]] if count(holding) > 0

level(holding, of) := object.get(facts.government, of, implicit(of)) if count(holding) == 0

implicit(of) := "de-jure" if facts.state[of]

implicit(of) := "none" if not facts.state[of]

# [from, until) holds `at`; an unknown date (-1) only records with no dates.
in_force(r, at) if {
	at >= 0
	r.from <= at
	at < r.until
}

in_force(r, -1) if {
	r.from == 0
	r.until == 99999999
}

weakness := {"de-jure": 0, "de-facto": 1, "none": 2}

weakest := ["de-jure", "de-facto", "none"]
