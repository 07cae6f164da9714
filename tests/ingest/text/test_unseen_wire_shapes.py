"""Shapes of wire copy and party statements met on unseen text (the second dev set,
``real_dev2.jsonl``), each read by a general rule; English and Russian, through
``extract``, ``truce ingest`` and ``POST /api/ingest``."""

from __future__ import annotations

from datetime import date

import pytest

from truce.ingest.text import extract

PUBLISHED = date(2020, 10, 20)
STEPANAKERT, SHUSHA, KARABAKH_MARTUNI = "gn:146970", "gn:147105", "gn:146969"

# name, text, [(event type prefix, place key, perpetrator)]
CASES = [
    ("en: a shared name is the one near the text's other places",
     "Fighting continued in Shushi and Askeran. Heavy clashes also took place in Martuni.",
     [("Battles", SHUSHA, None), ("Battles", "gn:148450", None),
      ("Battles", KARABAKH_MARTUNI, None)]),
    ("ru: a shared name is the one near the text's other places",
     "«Противник наносит ракетные удары по городам Мартуни, Шуши», — говорится в сообщении "
     "Минобороны Армении.",
     [("Explosions", KARABAKH_MARTUNI, "AZE"), ("Explosions", SHUSHA, "AZE")]),
]


def _events(text: str, published: date = PUBLISHED) -> list[tuple[str, str | None, str | None]]:
    x = extract(text, published, "wire")
    return [(e.event_type or e.kind, e.place.key if e.place else None, e.perpetrator)
            for e in x.events]


@pytest.mark.parametrize("name,text,events", CASES, ids=[c[0] for c in CASES])
def test_extract_reads_the_shape(name, text, events):
    got = _events(text)
    assert len(got) == len(events), (name, got)
    for kind, place, perpetrator in events:
        assert any(t.startswith(kind) and p == place and who == perpetrator
                   for t, p, who in got), (name, got)
