"""The review queue: text becomes proposals; an analyst accepts, edits or rejects.

``ingest_text`` stores what the text pipeline proposes in ``proposals``, one
ledger entry each; nothing becomes an incident, a claim or a report (and so
nothing is graded or published) until ``accept_proposal`` or
``edit_and_accept``. An accepted event that probably describes a stored
incident adds a report to that incident instead of a second incident; "probably"
is the duplicate finder's own rule (``curation.best_match``), asked again at
acceptance on the payload as accepted (an analyst's corrected place, incidents
recorded since the text was read), unless the analyst names the ``link``
(``null``: a new incident). Each decision is one action with one ledger entry.

Relays: each proposal's payload lists under ``relays`` the origins its
sentence attributes its facts to ("according to AFP", "citing TASS", "the
ministry said"; a claim also relays its own speaker). The record an
accepted proposal becomes cites a source "OUTLET relaying ORIGIN" whose
``relays`` name each origin's source, so grading counts the origin, never
the outlet.
"""

from __future__ import annotations

import itertools
import re
import threading
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from ..domain.actors import Actor, Source, SourceKind
from ..domain.claims import Claim, Proposition, Stance, check_claim_value
from ..domain.exceptions import Conflict, ValidationError
from ..domain.grading import origins
from ..domain.incident_input import incident_from
from ..domain.incidents import Incident, Report
from ..domain.places import fold_name
from ..ingest.text import extract
from ..ingest.text.language import READ
from ..ingest.text.origins import attributions
from ..ingest.text.places import PlaceIndex
from ..settings import get_settings
from ..store.uow import UnitOfWork, use_case
from .actor_names import known_actor
from .agreements import create_agreement, make_agreement
from .curation import best_match, create_from_reports
from .extraction_pool import can_isolate, extract_isolated
from .grading import evidence_for, regrade
from .proposal_payloads import check_against_store, checked_payload
from .records import add_claim, add_party_actor_source, add_report, plain

__all__ = [
    "Proposal", "accept_proposal", "edit_and_accept", "get_proposal", "ingest_text",
    "list_proposals", "probable_incident", "reject_proposal",
]

_sequence = itertools.count()
LANGUAGES = ("auto", *READ, "hy", "az", "ar")
STATUSES = ("pending", "accepted", "rejected")


@dataclass(frozen=True)
class Proposal:
    id: str
    kind: str  # event | claim | figure
    payload: dict[str, Any]
    sentence: str
    confidence: float
    source_id: str | None
    status: str
    decided_by: str | None
    decided_at: datetime | None
    result_id: str | None
    created_at: datetime


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "unnamed"


def _source(uow: UnitOfWork, name: str, published: date, *, new_source: bool) -> str:
    """The source a text came from: a source id, or a source's name (any case);
    a name the directory lacks becomes a new news source only with ``new_source``,
    else it is an error naming it (a typo would count as one more independent
    outlet)."""
    source_id = f"src-{_slug(name)}"
    for known in (name, source_id):
        if uow.directory.source_exists(known):
            return known
    sources = uow.directory.sources()
    by_name = {fold_name(s.name): s.id for s in sources.values()}
    if fold_name(name) in by_name:
        return by_name[fold_name(name)]
    if not new_source:
        from rapidfuzz import process

        close = [m for m, score, _ in process.extract(name, [s.name for s in sources.values()], limit=3)
                 if score >= 80]
        raise ValidationError(
            f"unknown source {name!r}" + (f"; did you mean {', '.join(map(repr, close))}?" if close else ""),
            field="source", remedy="give a source's id or name from `truce sources list`, or ask for "
                                   "it to be added as a new news outlet (new_source: true; the CLI's --source adds it)")
    add_party_actor_source(uow, Source(
        id=source_id, name=name, kind=SourceKind.NEWS,
        published=datetime.combine(published, time(), tzinfo=UTC)))
    return source_id


_indexes: dict[tuple, PlaceIndex | None] = {}  # (database, places fingerprint) -> index
_indexes_lock = threading.Lock()


def place_index(uow: UnitOfWork) -> PlaceIndex | None:
    """The store's places, indexed once per process and database while they stay the same:
    reading and indexing every place costs more than extracting a text (~110 ms against
    ~10), and the index keeps the word lookups it has learnt (Russian case forms)."""
    key = (str(uow.engine.url), uow.places.fingerprint())
    if key in _indexes:
        return _indexes[key]
    ids = sorted({place_id for _k, _n, place_id in uow.places.all_names()})
    index = PlaceIndex(uow.places.get_many(ids).values()) if ids else None
    with _indexes_lock:
        if len(_indexes) >= 4:  # a few databases at most (tests, one server): drop the oldest
            _indexes.pop(next(iter(_indexes)))
        _indexes[key] = index
    return index


def probable_incident(uow: UnitOfWork, payload: dict[str, Any]) -> str | None:
    """A stored incident the proposed event probably is, by the duplicate
    finder's rule (``curation.best_match``): close in time, place and type,
    at any precision (a proposal known only to a country matches an incident
    inside it, and a proposal at a settlement an incident known only to its
    country). None if there is none, or the payload is no incident."""
    if payload.get("kind") != "incident" or not payload.get("event_type"):
        return None
    try:
        proposed = _incident(payload)
    except ValidationError:
        return None
    found = best_match(uow, proposed)
    return None if found is None else (found.b if found.a == proposed.id else found.a)


def _add(uow: UnitOfWork, kind: str, payload: dict[str, Any], sentence: str, confidence: float,
         source_id: str, now: datetime) -> str:
    # sortable: proposals list in the order the text told them
    proposal_id = f"prop-{int(now.timestamp() * 1000):x}-{next(_sequence) % 10_000:04d}" \
                  f"-{uuid.uuid4().hex[:6]}"
    uow.proposals.add(proposal_id, kind=kind, payload=payload, sentence=sentence, confidence=confidence,
                      source_id=source_id, created_at=now)
    uow.record("proposal.add", proposal_id, {"kind": kind, "payload": payload,
                                             "sentence": sentence, "confidence": confidence})
    return proposal_id


@use_case
def ingest_text(uow: UnitOfWork, text: str, published: date, source_name: str, now: datetime,
                *, language: str = "en", extractor=None, new_source: bool = True,
                isolated: bool = False) -> list[str]:
    """Store proposals for one text; returns their ids (events, then claims, then
    agreements, then figures not tied to an event; a text in a language read only in
    part adds one "translation" proposal). ``language`` "auto" identifies it.
    ``source_name`` is a source's id or name; one the directory lacks is added as
    a news outlet when ``new_source``, else refused (``ValidationError``, nothing
    stored). ``isolated`` (the server's choice) extracts in the extraction process
    (``extraction_pool``), so that a long text does not hold this process's
    interpreter lock."""
    if language not in LANGUAGES:
        raise ValidationError(f"language {language!r} is not supported; one of: "
                              f"{', '.join(LANGUAGES)}", field="language")
    if not text.strip():
        raise ValidationError("the text is empty", field="text")
    if published > now.date():
        raise ValidationError("the publication date is in the future", field="published")
    if not new_source:  # bad input is refused before any work
        _source(uow, source_name.strip() or "unnamed source", published, new_source=False)
    uow.wait_until_writable()  # under a held lock: refused after the lock timeout, before extracting
    zone, chosen = get_settings().tz, None if language == "auto" else language
    url = uow.engine.url.render_as_string(hide_password=False)
    if isolated and extractor is None and can_isolate(url):  # a server: the CPU work in the extraction process
        found = extract_isolated(url, text, published, source_name, zone=zone, language=chosen)
    else:
        found = extract(text, published, source_name, extractor=extractor, places=place_index(uow),
                        zone=zone, language=chosen)
    source_id = _source(uow, source_name.strip() or "unnamed source", published,
                        new_source=new_source)  # writes after the work
    text_of = {s.index: s.text for s in found.sentences}
    ids: list[str] = []
    event_ids: list[str] = []
    for e in found.events:
        payload = e.as_payload()
        payload["sentences"] = [text_of[i] for i in e.sentences]
        payload["relays"] = _attributed(payload["sentences"])
        payload["link"] = probable_incident(uow, payload)
        event_ids.append(_add(uow, "event", payload, e.text, e.confidence, source_id, now))
    ids.extend(event_ids)
    for c in found.claims:
        payload = {"actor": c.actor, "party": c.party, "stance": c.stance,
                   "proposition": c.proposition, "value": c.value, "channel": c.channel,
                   "quote": c.quote, "verb": c.verb,
                   "event_proposal": event_ids[c.event] if c.event is not None else None,
                   "relays": _attributed([c.text])}
        payload["basis"], payload["why"] = c.basis, c.why()
        ids.append(_add(uow, "claim", payload, c.text, c.confidence, source_id, now))
    for a in found.agreements:
        ids.append(_add(uow, "agreement", a.as_payload(), a.text, a.confidence, source_id, now))
    if found.needs_translation:
        ids.append(_add(uow, "translation", {
            "language": found.language, "places": [p.as_payload() for p in found.places],
            "numbers": [n.as_payload() for n in found.numbers]}, text[:2000], 0.5, source_id, now))
    attached = {(n.sentence, n.offset) for e in found.events for n in e.numbers}
    for n in found.numbers:
        if (n.sentence, n.offset) not in attached:
            ids.append(_add(uow, "figure", {**n.as_payload(), "relays": _attributed([text_of[n.sentence]]),
                                            "why": [{"role": "figure", "text": n.text}]},
                            text_of[n.sentence], 0.6, source_id, now))
    return ids


def _attributed(texts: list[str]) -> list[str]:
    """The origins these sentences attribute their facts to, in order, once each."""
    return list(dict.fromkeys(name for text in texts for name in attributions(text or "")))


def _heard_on(uow: UnitOfWork, incident: str | None) -> dict[str, Source]:
    """The origins the evidence of ``incident`` already traces to, by id."""
    if not incident or not uow.incidents.exists(incident):
        return {}
    sources = uow.directory.sources()
    evidence = evidence_for(uow, [incident], sources)[incident]
    cited = [r.source for r in evidence.reports] + [c.source for c in evidence.claims]
    return {o.id: o for sid in cited if sid in sources for o in origins(sid, sources)}


def _origin_source(uow: UnitOfWork, actor_id: str, outlet: Source, incident: str | None) -> str:
    """The source that stands for what an origin actor said as an outlet relays
    it. The actor's statement already heard on the same incident, when there is
    one (a second outlet passing on the same dispatch is the same voice); else
    a new origin, "Ministry of Defence of Azerbaijan statement relayed by AFP,
    15 Oct", attributed to that actor, one per actor and day of the outlet.
    Never an existing record of another statement that merely shares the
    actor: a relay repeats what was said about this event, not the actor's
    last statement on file."""
    heard = sorted((o for o in _heard_on(uow, incident).values()
                    if o.actor == actor_id and o.id != outlet.id
                    and (outlet.published is None or o.published is None or o.published <= outlet.published)),
                   key=lambda o: (o.published or datetime.min.replace(tzinfo=UTC), o.id))
    if heard:
        return heard[-1].id
    actor = uow.directory.actors()[actor_id]
    day = outlet.published.astimezone(get_settings().tz).date() if outlet.published else None
    key = day.strftime("%Y%m%d") if day else _slug(outlet.id)
    source_id = f"src-{_slug(actor_id)[:36]}-said-{key}"[:64]
    if not uow.directory.source_exists(source_id):
        noun = "statement" if actor.party else "report"
        when = f", {day.day} {day:%b}" if day else ""
        add_party_actor_source(uow, Source(
            id=source_id, name=f"{actor.name} {noun} relayed by {outlet.name}{when}",
            kind=SourceKind.PARTY_STATEMENT if actor.party else SourceKind.NEWS,
            published=outlet.published, actor=actor_id, affiliation=actor.party))
    return source_id


def relay_source(uow: UnitOfWork, outlet_id: str, actor_ids: list[str],
                 incident: str | None = None) -> str:
    """The source an accepted proposal cites: the outlet itself when its text
    attributes nothing, else "OUTLET relaying ORIGIN, ..." relaying what each
    origin actor said (``_origin_source``): ``repeats`` names the first origin,
    ``relays`` every further one, so every output reads one chain."""
    if not actor_ids:
        return outlet_id
    outlet = uow.directory.get_source(outlet_id)
    origin_ids = list(dict.fromkeys(_origin_source(uow, a, outlet, incident) for a in actor_ids
                                    if a != outlet.actor))
    if not origin_ids:
        return outlet_id
    origin_rows = uow.directory.sources(origin_ids)
    source_id = f"{outlet_id[:36]}-via-{_slug('-'.join(origin_ids))[:20]}-" \
                f"{uuid.uuid5(uuid.NAMESPACE_URL, outlet_id + '|' + '|'.join(origin_ids)).hex[:6]}"
    if not uow.directory.source_exists(source_id):
        names = ", ".join(origin_rows[o].name.replace(f" relayed by {outlet.name}", "") for o in origin_ids)
        add_party_actor_source(uow, Source(
            id=source_id, name=f"{outlet.name} relaying {names}",
            kind=outlet.kind, published=outlet.published, affiliation=outlet.affiliation,
            url=outlet.url, repeats=origin_ids[0], relays=tuple(origin_ids[1:])))
    return source_id


def _row(r: Any) -> Proposal:
    return Proposal(**{**r, "payload": dict(r["payload"])})


def list_proposals(uow: UnitOfWork, status: str | None = "pending",
                   limit: int | None = None, offset: int = 0) -> list[Proposal]:
    """Proposals, oldest first; ``status`` None lists all; ``limit`` and
    ``offset`` page through a long queue."""
    _check_status(status)
    return [_row(r) for r in uow.proposals.list(status, limit, offset)]


def count_proposals(uow: UnitOfWork, status: str | None = "pending") -> int:
    """How many proposals have ``status`` (None: all)."""
    _check_status(status)
    return uow.proposals.count(status)


def _check_status(status: str | None) -> None:
    if status is not None and status not in STATUSES:
        raise ValidationError(f"unknown status {status!r}; one of: {', '.join(STATUSES)}",
                              field="status")


def get_proposal(uow: UnitOfWork, proposal_id: str) -> Proposal:
    return _row(uow.proposals.get(proposal_id))


def _pending(uow: UnitOfWork, proposal_id: str) -> Proposal:
    proposal = get_proposal(uow, proposal_id)
    if proposal.status != "pending":
        raise Conflict(f"proposal {proposal_id} was already {proposal.status}",
                       field="proposal_id")
    return proposal


def _decide(uow: UnitOfWork, proposal: Proposal, status: str, by: str, now: datetime,
            result_id: str | None, content: dict[str, Any]) -> None:
    uow.proposals.decide(proposal.id, status, by, now, result_id)
    action = {"accepted": "proposal.accept", "rejected": "proposal.reject"}[status]
    uow.record(action, proposal.id, {"by": by, "result_id": result_id, **content}, at=now)


def _actor_id(uow: UnitOfWork, name: str, party: str | None) -> str:
    """The directory actor this name stands for (``actor_names.known_actor``),
    else a new one: only a speaker the directory does not know is new."""
    actors = uow.directory.actors()
    known = known_actor(actors, name)
    if known:
        return known
    actor_id = f"actor-{_slug(name)}"
    if actor_id not in actors:
        add_party_actor_source(uow, Actor(
            id=actor_id, name=name, kind="unknown",
            party=party if party and uow.directory.party_exists(party) else None))
    return actor_id


def _known_actor(uow: UnitOfWork, name: str) -> str | None:
    return known_actor(uow.directory.actors(), name)


def _speaker_id(uow: UnitOfWork, payload: dict[str, Any]) -> str:
    """The claim's actor: the directory actor it names, else the origin its
    sentence attributes it to when the speaker is that origin's staff ("an AFP
    correspondent" is AFP), else a new actor."""
    name = payload["actor"]
    known = _known_actor(uow, name)
    if known:
        return known
    words = {fold_name(w) for w in name.split()}
    for origin in payload.get("relays") or []:
        if isinstance(origin, str) and {fold_name(w) for w in origin.split()} <= words:
            found = _known_actor(uow, origin)
            if found:
                return found
    return _actor_id(uow, name, payload.get("party"))


def _report(uow: UnitOfWork, proposal: Proposal, payload: dict[str, Any], now: datetime,
            kind: str) -> Report:
    start = payload.get("start")
    report = Report(
        id=f"rep-{uuid.uuid4().hex[:12]}", source=_cited(uow, proposal, payload, incident=payload.get("link")),
        received=now,
        summary=proposal.sentence, kind=kind, payload={"proposal": proposal.id, **payload},
        observed_at=datetime.combine(date.fromisoformat(start), time(), tzinfo=get_settings().tz)
        if start else None)
    add_report(uow, report)
    return report


def _cited(uow: UnitOfWork, proposal: Proposal, payload: dict[str, Any],
           speaker: str | None = None, incident: str | None = None) -> str:
    """The source the record of an accepted proposal cites: the outlet, or the
    outlet relaying the origins its sentence names (a claim: its speaker too);
    an outlet naming itself ("Trend reports" in Trend's own text) relays nothing."""
    if not proposal.source_id:
        return ""
    own = fold_name(uow.directory.get_source(proposal.source_id).name)  # "Trend reports" in Trend's own text
    names = [n for n in payload.get("relays") or [] if isinstance(n, str) and n.strip() and fold_name(n) != own]
    actors = [speaker] if speaker else []
    actors += [_actor_id(uow, n, None) for n in names]
    return relay_source(uow, proposal.source_id, list(dict.fromkeys(actors)), incident)


def _incident(payload: dict[str, Any]) -> Incident:
    try:
        tz = get_settings().tz  # a day in the text is a calendar day in the theatre
        start = datetime.combine(date.fromisoformat(payload["start"]), time(), tzinfo=tz)
        end = datetime.combine(date.fromisoformat(payload["end"]), time(23, 59, 59), tzinfo=tz)
    except (KeyError, TypeError, ValueError) as exc:
        raise ValidationError(f"cannot make an incident of this proposal: {exc}",
                              field="payload") from None
    place = payload.get("place") or {}
    return incident_from({
        **payload, "title": payload.get("title") or payload.get("event_type"), "start": start, "end": end,
        "place": place.get("place_id"), "place_name": place.get("name"), "latitude": place.get("latitude"),
        "longitude": place.get("longitude"), "geo_precision": place.get("precision") or "country",
        "country": place.get("country")}, incident_id=f"inc-{uuid.uuid4().hex[:12]}", where="payload")


def create_records(uow: UnitOfWork, proposal: Proposal, payload: dict[str, Any],
                   now: datetime) -> str:
    """The incident, claim or report an accepted proposal becomes; returns its id."""
    if proposal.kind == "claim":
        try:
            stance, proposition = Stance(payload["stance"]), Proposition(payload["proposition"])
        except (KeyError, ValueError) as exc:
            raise ValidationError(f"bad stance or proposition: {exc}", field="stance") from None
        incident = payload.get("incident")
        if not incident and payload.get("event_proposal"):  # the incident its event became
            event = get_proposal(uow, payload["event_proposal"])
            incident = event.result_id if event.status == "accepted" else event.payload.get("link")
        if incident and not uow.incidents.exists(incident):
            incident = None
        actor = _speaker_id(uow, payload)
        claim = Claim(id=f"claim-{uuid.uuid4().hex[:12]}", actor=actor,
                      stance=stance, proposition=proposition, incident=incident,
                      source=_cited(uow, proposal, payload, speaker=actor, incident=incident),
                      value=payload.get("value"),
                      text=proposal.sentence)
        add_claim(uow, claim, now)
        if incident:
            regrade(uow, [incident])
        return claim.id
    if proposal.kind == "agreement":  # a truce the text announced, into `truce agreements`
        agreement = make_agreement(payload.get("name") or "", list(payload.get("parties") or []),
                                   str(payload.get("start") or ""), payload.get("end"),
                                   list(payload.get("terms") or []), proposal.source_id)
        return create_agreement(uow, agreement).id
    if proposal.kind == "translation":
        raise ValidationError("a text in a language the extraction does not read: translate "
                              "it and ingest the translation, or reject this", field="kind")
    if proposal.kind == "event" and payload.get("kind") == "incident":
        report = _report(uow, proposal, payload, now, "incident")
        link = payload.get("link")
        if link and uow.incidents.exists(link):
            uow.incidents.link_report(link, report.id)
            uow.record("incident.link_reports", link, {"reports": [report.id]})
            regrade(uow, [link])
            return link
        place = payload.get("place") or {}
        if place.get("place_id") and not uow.places.get_many([place["place_id"]]):
            # resolved against the shipped gazetteer, not loaded here: keep name and point
            payload = {**payload, "place": {**place, "place_id": None}}
        return create_from_reports(uow, _incident(payload), [report.id], now).id
    return _report(uow, proposal, payload, now, "situation").id  # calm, or a figure


def _linked(uow: UnitOfWork, kind: str, payload: dict[str, Any]) -> dict[str, Any]:
    """An event's payload with ``link`` asked again of the stored record."""
    if kind != "event" or payload.get("kind") != "incident":
        return payload
    return {**payload, "link": probable_incident(uow, payload)}


@use_case
def accept_proposal(uow: UnitOfWork, proposal_id: str, decided_by: str, now: datetime) -> str:
    """Create the record a proposal describes; returns its id (incident, claim or report)."""
    proposal = _pending(uow, proposal_id)
    result_id = create_records(uow, proposal, _linked(uow, proposal.kind, proposal.payload), now)
    _decide(uow, proposal, "accepted", decided_by, now, result_id, {})
    return result_id


@use_case
def edit_and_accept(uow: UnitOfWork, proposal_id: str, edits: dict[str, Any], decided_by: str,
                    now: datetime) -> str:
    """Accept with an analyst's corrections to the payload (keys it already has)."""
    proposal = _pending(uow, proposal_id)
    unknown = sorted(set(edits) - set(proposal.payload))
    if unknown:
        raise ValidationError(f"cannot edit {', '.join(unknown)}; fields: "
                              f"{', '.join(sorted(proposal.payload))}", field=unknown[0])
    payload = checked_payload(proposal.kind, {**proposal.payload, **edits})
    if proposal.kind == "claim" and {"stance", "proposition", "value"} & set(edits):
        check_claim_value(Stance(payload["stance"]), Proposition(payload["proposition"]), payload.get("value"))
    check_against_store(uow, proposal.kind, payload, set(edits))
    if "link" not in edits:
        payload = _linked(uow, proposal.kind, payload)
    result_id = create_records(uow, proposal, payload, now)
    _decide(uow, proposal, "accepted", decided_by, now, result_id, {"edits": plain(edits)})
    return result_id


@use_case
def reject_proposal(uow: UnitOfWork, proposal_id: str, decided_by: str, now: datetime,
                    reason: str = "") -> None:
    _decide(uow, _pending(uow, proposal_id), "rejected", decided_by, now, None, {"reason": reason})

