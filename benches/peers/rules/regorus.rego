# rank-parity (rules/parity.rules) for regorus, with peers.rego: reciprocal
# embassies whose heads have a class and differ in it; M before R by id.
#
# The embassies are grouped by sender and receiver once, by a multi-value rule
# that regorus evaluates in full and caches, then looked up. (regorus does not
# index comprehensions, so opa.rego's form is quadratic here: 5.2 s at N=50;
# this grouping rule is quadratic in OPA instead: 26 s at N=200.)
package peers

embassies[s][t] contains id if {
	some id, m in facts.mission
	m.kind == "embassy"
	s := m.sender
	t := m.receiver
}

embassy_index := embassies

rank_parity contains [mid, rid] if {
	some mid, m in facts.mission
	m.kind == "embassy"
	cm := facts.rank_class[facts.head[mid]]
	some rid in object.get(embassy_index, [m.receiver, m.sender], set())
	mid < rid
	cr := facts.rank_class[facts.head[rid]]
	cm != cr
}
