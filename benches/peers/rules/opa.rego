# rank-parity (rules/parity.rules) for OPA, with peers.rego: reciprocal
# embassies whose heads have a class and differ in it; M before R by id.
#
# The reverse embassies come from a comprehension that closes over s and t
# through unification (`=`), which OPA indexes ("comprehension indexing":
# evaluated once, grouped by s and t). (regorus does not index it: quadratic,
# 5.2 s at N=50; regorus.rego's grouping rule is quadratic in OPA instead:
# 26 s at N=200. The same comprehension in a function is not indexed, and a
# grouping object built with it runs 1.7x slower than this at N=200.)
package peers

rank_parity contains [mid, rid] if {
	some mid, m in facts.mission
	m.kind == "embassy"
	cm := facts.rank_class[facts.head[mid]]
	s := m.sender
	t := m.receiver
	back := [id |
		some id, r in facts.mission
		r.kind = "embassy"
		r.sender = t
		r.receiver = s
	]
	some rid in back
	mid < rid
	cr := facts.rank_class[facts.head[rid]]
	cm != cr
}
