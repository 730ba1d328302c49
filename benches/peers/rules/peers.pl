% The two rules of the peer comparison (benches/peers/README.md) in
% SWI-Prolog, over the facts of examples/peer_facts.rs (facts.pl).
% Plain SLD resolution, no tabling; SWI-Prolog's just-in-time indexing picks
% the argument(s) to index on.

% rank-parity (rules/parity.rules): reciprocal embassies whose heads have a
% class and differ in it; M before R by id.
rank_parity(M, R) :-
    mission(M, S, T, 'embassy'),
    head(M, RankM), rank_class(RankM, CM),
    mission(R, T, S, 'embassy'),
    M @< R,
    head(R, RankR), rank_class(RankR, CR),
    CM =\= CR.

% implied-recognition (rules/recognition.rules): a head of class 1 or 2 whose
% credentials went to a government that the sender did not recognise de jure
% on the day they were presented.
implied_recognition(M) :-
    credentials(M, To, On),
    head(M, Rank), rank_class(Rank, C), memberchk(C, [1, 2]),
    mission(M, S, _, _),
    \+ recognition_level(S, To, On, 'de-jure').

% recognition(By, Of, At) as parity's World::recognition: the record in force
% on At (the latest; on a tie, the weakest level); else the government's
% default; a state (its implicit government), de jure. Level `none` is no
% recognition.
recognition_level(By, Of, At, Level) :-
    findall(From-W, (holding(By, Of, At, From, L), weakness(L, W)), Holding),
    (   Holding \== []
    ->  max_member(_-Weakest, Holding), weakness(Found, Weakest)
    ;   government(Of, Default)
    ->  Found = Default
    ;   state(Of)
    ->  Found = 'de-jure'
    ),
    Level = Found.

holding(By, Of, At, From, Level) :-
    recognition(By, Of, Level, From, Until),
    in_force(From, Until, At).

% [From, Until) holds At; an unknown date (-1) only records with no dates.
in_force(From, Until, At) :- At >= 0, From =< At, At < Until.
in_force(0, 99999999, -1).

weakness('de-jure', 0).
weakness('de-facto', 1).
weakness('none', 2).

% run(Rule, Times): Rule is rank_parity or implied_recognition. Runs it once
% (the first call also builds the just-in-time indexes, which are then kept),
% then Times times; prints the findings sorted, one a line, and on
% user_error eval_ms= the median of the timed runs and first_ms= the first.
findings(rank_parity, L) :- findall(M-R, rank_parity(M, R), L0), msort(L0, L).
findings(implied_recognition, L) :- findall(M, implied_recognition(M), L0), msort(L0, L).

timed(Rule, L, Ms) :- get_time(T0), findings(Rule, L), get_time(T1), Ms is (T1 - T0) * 1000.

run(Rule, Times) :-
    timed(Rule, _, First),
    numlist(1, Times, Is),
    findall(Ms-L, (member(_, Is), timed(Rule, L, Ms)), Runs),
    last(Runs, _-Findings),
    forall(member(X, Findings), (X = A-B -> format("~w ~w~n", [A, B]) ; format("~w~n", [X]))),
    pairs_keys(Runs, Ts), msort(Ts, Sorted), length(Sorted, N), Mid is N // 2,
    nth0(Mid, Sorted, Median),
    format(user_error, "eval_ms=~3f first_ms=~3f~n", [Median, First]).
