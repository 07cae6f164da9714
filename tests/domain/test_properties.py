"""Properties that hold for any evidence: hypothesis generates the cases."""

from __future__ import annotations

import itertools
from datetime import timedelta

from factories import at, karabakh_sources, make_claim, make_evidence, make_figure, make_report
from hypothesis import given, settings
from hypothesis import strategies as st

from truce.domain.actors import Source, SourceKind
from truce.domain.casualties import IncidentCasualties, aggregate, casualty_range
from truce.domain.claims import Proposition, Stance
from truce.domain.duplicates import duplicate_candidates, haversine_m
from truce.domain.grades import Grade
from truce.domain.grading import Refutation, grade
from truce.domain.incidents import Qualifier

RANK = {Grade.DISCOUNTED: 0, Grade.CONTESTED: 1, Grade.SINGLE_SOURCE: 2,
        Grade.CORROBORATED: 3, Grade.VERIFIED: 4}
SOURCE_IDS = sorted(karabakh_sources())

reports = st.lists(
    st.builds(lambda n, s: make_report(f"r{n}", s),
              st.integers(0, 50), st.sampled_from(SOURCE_IDS)),
    min_size=1, max_size=6, unique_by=lambda r: r.id,
)
claims = st.lists(
    st.builds(
        lambda n, actor, stance, prop, value: make_claim(f"c{n}", actor, stance, prop, value=value),
        st.integers(0, 50), st.sampled_from(SOURCE_IDS), st.sampled_from(list(Stance)),
        st.sampled_from([Proposition.HAPPENED, Proposition.PERPETRATOR, Proposition.TARGET_TYPE]),
        st.sampled_from([None, "am", "az", "military", "civilian"]),
    ),
    max_size=6, unique_by=lambda c: c.id,
)
refutations = st.lists(
    st.builds(Refutation, st.sampled_from(SOURCE_IDS), st.just("shown false")), max_size=2
)


@given(reports, claims, refutations, st.sampled_from(list(SourceKind)), st.booleans())
def test_adding_an_independent_source_never_lowers_the_grade(rs, cs, refs, kind, via_claim):
    before = grade(make_evidence(rs, cs, refs))
    sources = karabakh_sources()
    sources["new"] = Source(id="new", name="New witness", kind=kind, actor="new")
    extra = (make_claim("c-new", "new", Stance.CONFIRMS),) if via_claim else ()
    more = [*rs] if via_claim else [*rs, make_report("r-new", "new")]
    after = grade(make_evidence(more, [*cs, *extra], refs, sources=sources))
    assert RANK[after.grade] >= RANK[before.grade]


@given(reports, claims, refutations, st.sampled_from(SOURCE_IDS))
def test_adding_any_supporting_report_never_lowers_the_grade(rs, cs, refs, source):
    before = grade(make_evidence(rs, cs, refs))
    after = grade(make_evidence([*rs, make_report("r-extra", source)], cs, refs))
    assert RANK[after.grade] >= RANK[before.grade]


@given(reports, claims, refutations, st.randoms(use_true_random=False))
def test_grade_does_not_depend_on_the_order_reports_and_claims_arrive(rs, cs, refs, rnd):
    first = grade(make_evidence(rs, cs, refs))
    rs2, cs2, refs2 = list(rs), list(cs), list(refs)
    for seq in (rs2, cs2, refs2):
        rnd.shuffle(seq)
    assert grade(make_evidence(rs2, cs2, refs2)) == first


figures = st.lists(
    st.builds(
        lambda v, q, src: make_figure(v, q, source=src),
        st.integers(0, 5000), st.sampled_from(list(Qualifier)),
        st.sampled_from([None, "afp", "am-mod", "az-mod", "hrw"]),
    ),
    max_size=8,
)


@given(figures, st.frozensets(st.sampled_from(["afp", "am-mod", "az-mod"])))
def test_casualty_range_always_has_low_at_most_best_at_most_high(figs, discounted):
    r = casualty_range(figs, discounted)
    assert 0 <= r.low <= r.best <= r.high
    kept = [f.value for f in figs if f.source not in discounted]
    assert r.high >= max(kept, default=0)


@given(st.lists(st.tuples(st.integers(1, 30), figures), max_size=6))
def test_aggregated_ranges_keep_low_at_most_best_at_most_high(days):
    records = [IncidentCasualties(f"i{n}", at(day).date(), tuple(figs), party="am")
               for n, (day, figs) in enumerate(days)]
    for by in ((), ("day",), ("party", "category")):
        for entry in aggregate(records, by=by).values():
            assert entry.range.low <= entry.range.best <= entry.range.high


points = st.lists(
    st.tuples(st.integers(0, 72 * 60), st.floats(40.60, 40.70), st.floats(46.30, 46.40)),
    max_size=40,
)


@settings(max_examples=60)
@given(points, st.sampled_from([1.0, 3.0, 12.0]), st.sampled_from([300.0, 2_000.0, 8_000.0]))
def test_bucketed_duplicates_find_exactly_the_pairs_a_full_scan_finds(pts, hours, metres):
    items = [make_report(f"r{n:02d}", "afp", at(10) + timedelta(minutes=m), lat, lon)
             for n, (m, lat, lon) in enumerate(pts)]
    found = {(c.a, c.b) for c in duplicate_candidates(items, hours=hours, metres=metres)}
    expected = {
        (a.id, b.id)
        for a, b in itertools.combinations(items, 2)
        if abs((a.observed_at - b.observed_at).total_seconds()) <= hours * 3600
        and haversine_m((a.latitude, a.longitude), (b.latitude, b.longitude)) <= metres
    }
    assert found == expected
