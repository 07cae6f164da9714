"""Grading: how well an incident is supported, and the reasons why.

The scale (issue 4), strongest first: verified, corroborated, single-source,
contested, discounted. ``grade(evidence)`` applies these steps:

1. **Evidence for** "it happened": every report (a report corrected by a
   later report is replaced by it) and every claim for ``happened`` or
   ``perpetrator`` (blaming someone for a strike says the strike took place).
   **Evidence against**: claims that deny or dispute ``happened``, and the
   explicit refutations in ``discounted_by``. A later claim by the same
   actor on the same proposition replaces its earlier one.
2. **Origins**: each piece is traced through what its source relays
   (``Source.repeats`` and ``Source.relays``), transitively, to the sources
   that relay nobody: a wire quoting a ministry has the ministry as origin
   and is not a second source; one dispatch through three outlets is one
   origin. A source relaying several origins (an article quoting an AFP
   dispatch and both ministries) counts, for an incident, as those of its
   origins that the incident's other evidence also names, or as all of them
   when it names none: a relay never adds a voice beside what it relays.
3. **Voices**: origins are grouped into independent voices. An origin that
   speaks for no party is a voice of its own (one per ``Source.actor`` when
   given, so two AFP dispatches are one voice); origins affiliated with a
   party count as one voice per *side* (``sides`` maps party id -> side, so
   Armenia and the Nagorno-Karabakh authorities can be one side).
4. **Strength** of an origin: the mission's own observer or camera 3, an
   origin independent of the parties 2, a party 1. If the strongest evidence
   against is stronger than the strongest evidence for: **discounted** (the
   incident is kept, with the reason). Equal: **contested**.
5. Otherwise: any mission origin -> **verified**; two or more voices ->
   **corroborated**; else **single-source**, but **contested** when the
   perpetrator is disputed and nothing independent supports the event.

Deliberate reading of "corroborated" (issue 4 asks for at least one source
not affiliated with any party): parties on *opposite* sides that agree an
event happened count as two independent voices. An admission by the side
that has every reason to deny is not an echo of its enemy. The 14 October
2020 strike inside Armenia is graded so: Azerbaijan's ministry asserted it,
Armenia's ministry confirmed it, so it is corroborated on ``happened``; both
called what was hit military equipment, and Armenia's rejection of Baku's
*reason* (that the launchers were aimed at cities) is no proposition about the
strike. A disputed proposition is reported in the reasons (see
``contradictions``), not folded into the grade. A dispute on the target or
the numbers never changes the grade; a dispute on who did it lowers only a single-voice incident, to contested.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from .actors import Source
from .claims import Claim, Proposition
from .contradictions import PropositionStatus, current_claims, propositions
from .exceptions import ValidationError
from .grades import Grade
from .incidents import Report

__all__ = ["GradeResult", "IncidentEvidence", "Refutation", "effective_grade", "grade"]

MISSION, INDEPENDENT, PARTY = 3, 2, 1
_SUPPORTING = (Proposition.HAPPENED, Proposition.PERPETRATOR)


@dataclass(frozen=True)
class Refutation:
    """Evidence that an incident is false or impossible: which source, and why."""

    source: str
    reason: str


@dataclass(frozen=True)
class IncidentEvidence:
    """What one incident rests on.

    ``sources`` maps every source id the reports, claims and refutations cite
    (and every source those repeat) to its ``Source``. A claim cites
    ``claim.source``, or failing that a source keyed by its actor id.
    ``sides`` maps party id -> side label; parties not in it are sides alone.
    """

    reports: tuple[Report, ...] = ()
    claims: tuple[Claim, ...] = ()
    sources: Mapping[str, Source] = field(default_factory=dict, hash=False, compare=False)
    discounted_by: tuple[Refutation, ...] = ()
    sides: Mapping[str, str] = field(default_factory=dict, hash=False, compare=False)
    incident: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "reports", tuple(self.reports))
        object.__setattr__(self, "claims", tuple(self.claims))
        object.__setattr__(self, "discounted_by", tuple(self.discounted_by))
        object.__setattr__(self, "sources", MappingProxyType(dict(self.sources)))
        object.__setattr__(self, "sides", MappingProxyType(dict(self.sides)))
        cited = [(f"report {r.id}", r.source) for r in self.reports]
        cited += [(f"claim {c.id}", c.source or c.actor) for c in self.claims]
        cited += [(f"refutation {i}", r.source) for i, r in enumerate(self.discounted_by)]
        for who, source_id in cited:
            if source_id not in self.sources:
                raise ValidationError(
                    f"{who} cites source {source_id!r}, not given", field="sources"
                )
            origins(source_id, self.sources)


@dataclass(frozen=True)
class GradeResult:
    """A grade with the readable reasons that produced it, and the origins it rests on."""

    grade: Grade
    reasons: tuple[str, ...]
    origins: tuple[str, ...] = ()


def origins(source_id: str, sources: Mapping[str, Source]) -> tuple[Source, ...]:
    """Follow what ``source_id`` relays (``repeats`` and ``relays``), transitively,
    to the sources that relay nobody; a source that relays nobody is its own origin.

    Raises ValidationError for a missing source or a cycle.
    """
    found: dict[str, Source] = {}

    def walk(current: str, trail: tuple[str, ...]) -> None:
        if current not in sources:
            via = f" (relayed by {trail[-1]!r})" if trail else ""
            raise ValidationError(f"source {current!r}{via} is not given", field="sources")
        if current in trail:
            raise ValidationError(f"sources relay each other in a cycle: {[*trail, current]}",
                                  field="sources")
        relayed = sources[current].relayed
        if not relayed:
            found.setdefault(current, sources[current])
        for nxt in relayed:
            walk(nxt, (*trail, current))

    walk(source_id, ())
    return tuple(found.values())


def origin(source_id: str, sources: Mapping[str, Source]) -> Source:
    """The first origin of ``source_id`` (see ``origins``)."""
    return origins(source_id, sources)[0]


Piece = tuple[str, str | None]  # (source id, the claim's actor; None for a report)


def _counted_origins(pieces: list[Piece], sources: Mapping[str, Source]) -> dict[Piece, tuple[Source, ...]]:
    """The origins each piece of evidence counts as for one incident.

    A source with one origin counts as it. A claim read in a source relaying
    several origins counts as the origins of its own actor among them, else
    as that source (the relay is then the only place its actor is heard). A
    report in such a source counts as the origins the other evidence also
    traces to, else as all of them.
    """
    traced = {p: origins(p[0], sources) for p in dict.fromkeys(pieces)}
    anchored = {o.id for os_ in traced.values() if len(os_) == 1 for o in os_}
    out: dict[Piece, tuple[Source, ...]] = {}
    for (sid, actor), os_ in traced.items():
        if len(os_) == 1:
            out[(sid, actor)] = os_
        elif actor is not None:
            out[(sid, actor)] = tuple(o for o in os_ if o.actor == actor) or (sources[sid],)
        else:
            out[(sid, actor)] = tuple(o for o in os_ if o.id in anchored) or os_
    return out


def _relay_reasons(counted: Mapping[Piece, tuple[Source, ...]],
                   sources: Mapping[str, Source]) -> list[str]:
    """'2 outlets relaying AFP ... (news): one origin (A; B)' and the like."""
    reasons: list[str] = []
    relayers: dict[str, list[str]] = {}
    per_source: dict[str, set[str]] = {}
    for (sid, _actor), these in counted.items():
        if sources[sid].relayed:
            per_source.setdefault(sid, set()).update(o.id for o in these if o.id != sid)
    for sid in sorted(per_source):
        these_ids = per_source[sid]
        if len(these_ids) > 1:
            reasons.append(f"{describe(sources[sid])} relays "
                           f"{_names([sources[o] for o in these_ids])}: counted as those origins, "
                           "not another source")
        for o in these_ids:
            relayers.setdefault(o, []).append(sid)
    for origin_id, sids in sorted(relayers.items()):
        source = sources[origin_id]
        if len(sids) == 1:
            if len(per_source[sids[0]]) == 1:
                reasons.append(f"{describe(sources[sids[0]])} only repeats {describe(source)}:"
                               " counted as that origin, not a second source")
            continue
        names = "; ".join(sources[s].name for s in sids)
        reasons.append(f"{len(sids)} outlets relaying {describe(source)}: one origin ({names})")
    return reasons


def strength(source: Source) -> int:
    """3 for the mission's own observer or camera, 2 independent, 1 a party."""
    if source.kind.is_mission:
        return MISSION
    return PARTY if source.affiliation is not None else INDEPENDENT


def describe(source: Source) -> str:
    """``"AFP (news)"``."""
    return f"{source.name} ({source.kind.value.replace('_', ' ')})"


def _voice(source: Source, sides: Mapping[str, str]) -> str:
    if source.affiliation is not None and not source.kind.is_mission:
        return "side:" + sides.get(source.affiliation, source.affiliation)
    return "actor:" + source.actor if source.actor else "source:" + source.id


def _names(origins: list[Source]) -> str:
    return ", ".join(describe(s) for s in sorted(origins, key=lambda s: (s.name, s.id)))


def grade(evidence: IncidentEvidence) -> GradeResult:
    """Grade one incident from its evidence.

    Takes an ``IncidentEvidence``; returns a ``GradeResult`` whose reasons
    name the sources. Raises ValidationError if nothing supports the incident.
    Independent of the order of reports and claims.
    """
    sources, sides = evidence.sources, evidence.sides
    reasons: list[str] = []
    corrected = {r.corrects for r in evidence.reports if r.corrects}
    reports = sorted((r for r in evidence.reports if r.id not in corrected), key=lambda r: r.id)
    for old in sorted(corrected & {r.id for r in evidence.reports}):
        reasons.append(f"report {old} is replaced by its correction")
    claims, replaced = current_claims(evidence.claims, sources)
    for earlier, later in replaced:
        reasons.append(
            f"{earlier.actor}'s later claim {later.id} ({later.stance.value} "
            f"{later.proposition.value}) replaces its earlier {earlier.id} ({earlier.stance.value})"
        )
    for_ids: list[Piece] = [(r.source, None) for r in reports]
    for_ids += [(c.source or c.actor, c.actor) for c in claims if c.proposition in _SUPPORTING
                and c.stance.supports]
    against_ids: list[Piece] = [(c.source or c.actor, c.actor) for c in claims
                                if c.proposition is Proposition.HAPPENED and not c.stance.supports]
    against_ids += [(r.source, None) for r in evidence.discounted_by]
    if not for_ids:
        raise ValidationError(
            f"no report or claim supports incident {evidence.incident or '(unnamed)'}",
            field="reports",
        )
    counted = _counted_origins([*for_ids, *against_ids], sources)
    reasons.extend(_relay_reasons(counted, sources))
    pro = {s.id: s for i in for_ids for s in counted[i]}
    con = {s.id: s for i in against_ids for s in counted[i]}
    voices: dict[str, list[Source]] = {}
    for src in pro.values():
        voices.setdefault(_voice(src, sides), []).append(src)
    for members in voices.values():
        if len(members) > 1:
            reasons.append(f"{_names(members)} are not independent of each other: one voice")
    best_for = max(strength(s) for s in pro.values())
    best_against = max((strength(s) for s in con.values()), default=0)
    groups = [g for g in propositions(claims, sources) if g.proposition is not Proposition.HAPPENED]
    disputes = [f"disputed, not settled by the grade: {g.summary}"
                for g in groups if g.status is PropositionStatus.DISPUTED]
    perpetrator_disputed = any(g.proposition is Proposition.PERPETRATOR
                               and g.status is PropositionStatus.DISPUTED for g in groups)
    origins = tuple(sorted(pro))
    strong_con = [s for s in con.values() if strength(s) == best_against]
    if best_against > best_for:
        refuting = sorted((r for r in evidence.discounted_by
                           if origin(r.source, sources) in strong_con),
                          key=lambda r: (r.source, r.reason))
        why = "; ".join(f"{describe(sources[r.source])}: {r.reason}" for r in refuting)
        reasons.append(f"refuted by stronger evidence from {_names(strong_con)}"
                       + (f" ({why})" if why else "")
                       + f", against {_names(list(pro.values()))}: kept, but discounted")
        return GradeResult(Grade.DISCOUNTED, (*reasons, *disputes), origins)
    if best_against == best_for:
        strong_pro = [s for s in pro.values() if strength(s) == best_for]
        reasons.append(f"sources of equal weight disagree whether it happened: "
                       f"{_names(strong_pro)} for, {_names(strong_con)} against")
        return GradeResult(Grade.CONTESTED, (*reasons, *disputes), origins)
    if con:
        reasons.append(f"denied by {_names(list(con.values()))}, outweighed by stronger evidence")
    mission = [s for s in pro.values() if strength(s) == MISSION]
    if mission:
        reasons.append(f"seen by the mission itself: {_names(mission)}")
        return GradeResult(Grade.VERIFIED, (*reasons, *disputes), origins)
    listing = "; ".join(_names(v) for _, v in sorted(voices.items()))
    if len(voices) >= 2:
        reasons.append(f"{len(voices)} independent origins: {listing}")
        if all(k.startswith("side:") for k in voices):
            reasons.append("no source independent of the parties, but opposing sides agree it "
                           "happened: an admission by the other side counts as corroboration")
        return GradeResult(Grade.CORROBORATED, (*reasons, *disputes), origins)
    if perpetrator_disputed:
        reasons.append(f"one origin only ({listing}) and who did it is disputed, "
                       "with nothing independent to settle it")
        return GradeResult(Grade.CONTESTED, (*reasons, *disputes), origins)
    reasons.append(f"one origin only: {listing}")
    return GradeResult(Grade.SINGLE_SOURCE, (*reasons, *disputes), origins)


def effective_grade(
    computed: GradeResult, override: Grade | None = None, override_reason: str | None = None
) -> GradeResult:
    """The grade to show: the computed one, or an analyst's override with its reason.

    Takes the computed result, an optional override grade and its written
    reason; returns a ``GradeResult`` carrying the override grade and, after
    the computed reasons, one saying who overrode what and why. Raises
    ValidationError if an override has no reason, or a reason no override.
    """
    reason = (override_reason or "").strip()
    if override is None:
        if reason:
            raise ValidationError("a reason was given but no override grade", field="override")
        return computed
    if not reason:
        raise ValidationError(
            "an override needs a written reason", field="override_reason",
            remedy="say why the computed grade is wrong",
        )
    note = f"analyst override: {computed.grade.value} -> {override.value}, because {reason}"
    return GradeResult(override, (*computed.reasons, note), computed.origins)
