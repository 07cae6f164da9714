"""Scores against hand-annotated gold: precision, recall, F1 and two accuracies.

Gold is JSON Lines, one document a line::

    {"id": "...", "source": "AFP", "url": "...", "published": "2020-10-15", "text": "...",
     "events": [{"type": "Explosions/Remote violence", "date": "2020-10-14",
                 "place": "country:AM"}],
     "claims": [{"actor": "Azerbaijani Ministry of Defense", "stance": "asserts",
                 "in": "a few words of the sentence"}],
     "places": [{"name": "Stepanakert", "key": "gn:146970"}],
     "numbers": [{"value": 600, "meaning": "lower_bound"}]}

The real evaluation set (``real_dev.jsonl``, ``real_test.jsonl``) adds ``lang``,
and per event ``perpetrator`` (a party code, or null when the text names none)
and ``target``, and ``agreements`` [{"start": ISO time with zone, "parties",
"mediators", "terms"}].

An event matches on type (``situation`` for calm) + date (the gold day lies
in the proposed window of at most a week) + place key (``gn:...``,
``country:AM``, ``region:Nagorno-Karabakh``, ``unresolved:Name`` or null).
A claim matches on actor (token-set similarity >= 80, or the same surname)
+ stance. Places and numbers compare as sets per document.
Claims read from an event's wording ("an Armenian strike": ``basis``
"wording") are scored as perpetrators, not as claims. Perpetrator accuracy:
of matched events whose gold names a perpetrator, the share proposed with it.
Stance accuracy: of gold claims whose actor is found in their sentence, the
share with the right stance. Place resolution accuracy: of gold places found
by name, the share resolved to the right key. Agreements match on start
(the same instant) and parties.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from .model import ClaimProposal, Extraction
from .pipeline import Extractor, extract

__all__ = ["actor_matches", "evaluate_documents", "evaluate_file", "prf", "read_gold"]

_DROP = {"the", "of", "for", "a", "an", "s", "spokesman", "spokeswoman", "spokesperson"}


def prf(tp: int, fp: int, fn: int) -> dict[str, float | int]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0,
            "tp": tp, "fp": fp, "fn": fn}


def _norm(text: str) -> str:
    words = "".join(c.lower() if c.isalnum() else " " for c in text).split()
    words = [{"defence": "defense", "azeri": "azerbaijani"}.get(w, w) for w in words]
    return " ".join(w for w in words if w not in _DROP)


def actor_matches(predicted: str, gold: str) -> bool:
    """'Shushan Stepanyan (spokeswoman for the Armenian Ministry of Defense)' matches
    'Shushan Stepanyan' and 'Armenian Ministry of Defense'."""
    a, b = _norm(predicted), _norm(gold)
    if not a or not b:
        return False
    if fuzz.token_set_ratio(a, b) >= 80:
        return True
    return a.split()[-1] == b.split()[-1] and len(a.split()[-1]) > 4


def read_gold(path: Path) -> list[dict[str, Any]]:
    docs = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            doc = json.loads(line)
            date.fromisoformat(doc["published"])
            doc["text"]  # noqa: B018
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"line {number}: not a gold document ({exc})") from None
        docs.append(doc)
    return docs


def _match_claims(preds: list[ClaimProposal], gold: list[dict[str, Any]]) -> tuple[int, int, int, int]:
    """(true positives, stance pairs, stances right) for one document, and unmatched preds."""
    free = list(range(len(preds)))
    tp = 0
    for g in gold:
        hit = next((i for i in free if preds[i].stance == g["stance"]
                    and actor_matches(preds[i].actor, g["actor"])), None)
        if hit is not None:
            free.remove(hit)
            tp += 1
    pairs = right = 0
    pool = list(range(len(preds)))
    for exact in (True, False):
        for g in gold:
            if g.get("_paired"):
                continue
            hit = next((i for i in pool if actor_matches(preds[i].actor, g["actor"])
                        and (not g.get("in") or g["in"].lower() in preds[i].text.lower())
                        and (preds[i].stance == g["stance"]) == exact), None)
            if hit is not None:
                pool.remove(hit)
                g["_paired"] = True
                pairs += 1
                right += exact
    for g in gold:
        g.pop("_paired", None)
    return tp, len(preds) - tp, pairs, right


def _match_events(x: Extraction, gold: list[dict[str, Any]]) -> tuple[int, int, int]:
    """(matched, matched with a gold perpetrator, of those with the right perpetrator)."""
    free = list(x.events)
    tp = named = right = 0
    for g in gold:
        day = date.fromisoformat(g["date"])
        hit = next((e for e in free if (e.event_type or e.kind) == g["type"]
                    and e.start <= day <= e.end and (e.end - e.start).days <= 6
                    and (e.place.key if e.place else None) == g.get("place")), None)
        if hit is not None:
            free.remove(hit)
            tp += 1
            if g.get("perpetrator"):
                named += 1
                right += hit.perpetrator == g["perpetrator"]
    return tp, named, right


def _match_agreements(x: Extraction, gold: list[dict[str, Any]]) -> tuple[int, int, int]:
    free = list(x.agreements)
    tp = 0
    for g in gold:
        start = datetime.fromisoformat(g["start"])
        hit = next((a for a in free if a.start == start
                    and set(a.parties) == set(g.get("parties", []))), None)
        if hit is not None:
            free.remove(hit)
            tp += 1
    return tp, len(x.agreements) - tp, len(gold) - tp


def evaluate_documents(docs: Iterable[dict[str, Any]], extractor: Extractor | None = None,
                       ) -> dict[str, Any]:
    """Run the pipeline on each gold document and score it; returns a dict of scores."""
    counts = {k: [0, 0, 0] for k in ("events", "claims", "places", "numbers", "agreements")}
    stance_pairs = stance_right = place_pairs = place_right = n = 0
    perp_named = perp_right = perp_gold = 0
    by_language: dict[str, list[int]] = {}
    per_doc = []
    for doc in docs:
        n += 1
        x = extract(doc["text"], date.fromisoformat(doc["published"]), doc.get("source", ""),
                    extractor=extractor)
        tp, named, right = _match_events(x, doc.get("events", []))
        perp_named, perp_right = perp_named + named, perp_right + right
        perp_gold += sum(1 for g in doc.get("events", []) if g.get("perpetrator"))
        doc_counts = {"events": (tp, len(x.events) - tp, len(doc.get("events", [])) - tp)}
        lang = by_language.setdefault(doc.get("lang", "en"), [0, 0, 0])
        for i, v in enumerate(doc_counts["events"]):
            lang[i] += v
        doc_counts["agreements"] = _match_agreements(x, doc.get("agreements", []))
        spoken = [c for c in x.claims if c.basis == "speech"]
        ctp, cfp, pairs, right = _match_claims(spoken, doc.get("claims", []))
        doc_counts["claims"] = (ctp, cfp, len(doc.get("claims", [])) - ctp)
        stance_pairs, stance_right = stance_pairs + pairs, stance_right + right
        pred_places = {p.key for p in x.places}
        gold_places = {g["key"] for g in doc.get("places", [])}
        doc_counts["places"] = (len(pred_places & gold_places), len(pred_places - gold_places),
                                len(gold_places - pred_places))
        for g in doc.get("places", []):
            named = [p for p in x.places if _norm(p.text) == _norm(g["name"])
                     or fuzz.ratio(_norm(p.text), _norm(g["name"])) >= 85]
            if named:
                place_pairs += 1
                place_right += any(p.key == g["key"] for p in named)
        pred_numbers = {(m.value, m.meaning) for m in x.numbers + x.background}
        gold_numbers = {(g["value"], g["meaning"]) for g in doc.get("numbers", [])}
        doc_counts["numbers"] = (len(pred_numbers & gold_numbers),
                                 len(pred_numbers - gold_numbers), len(gold_numbers - pred_numbers))
        for key, (a, b, c) in doc_counts.items():
            counts[key][0] += a
            counts[key][1] += b
            counts[key][2] += c
        per_doc.append({"id": doc.get("id"), **{k: list(v) for k, v in doc_counts.items()}})
    scores: dict[str, Any] = {k: prf(*v) for k, v in counts.items()}
    scores.update(
        documents=n, stance_pairs=stance_pairs, place_pairs=place_pairs,
        stance_accuracy=stance_right / stance_pairs if stance_pairs else 0.0,
        perpetrator_events=perp_named, perpetrator_gold=perp_gold,
        perpetrator_accuracy=perp_right / perp_named if perp_named else 0.0,
        events_by_language={k: prf(*v) for k, v in sorted(by_language.items())},
        place_resolution_accuracy=place_right / place_pairs if place_pairs else 0.0,
        per_document=per_doc)
    return scores


def evaluate_file(path: Path, extractor: Extractor | None = None) -> dict[str, Any]:
    return evaluate_documents(read_gold(path), extractor)
