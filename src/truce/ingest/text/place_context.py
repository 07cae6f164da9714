"""A name shared by several places is the one near the other places of the text.

"Martuni" is a town of Nagorno-Karabakh (the gazetteer's Khojavend) and two places of
Armenia; "Fuzuli" a city and a village. One sentence does not say which, the article
does: a text that tells of Stepanakert, Shushi and Askeran means the Karabakh town.
``settle_ambiguous(place_map, index)`` re-resolves each such name to the candidate
nearest a place of its sentence, else of the text, whose name is not shared (the anchors), when
that candidate is clearly nearer than the one a single sentence chose. A text with no
anchor keeps the sentence's choice (the spelling's own place, else the most populous);
a place resolved inside its named district ("the Aghdam village of Tovuz district")
is left as its district says.
"""

from __future__ import annotations

import math
from dataclasses import replace

from ...domain.places import Place
from .model import PlaceMention
from .places import PlaceIndex

__all__ = ["settle_ambiguous"]

_CLEARLY_NEARER_KM = 25.0


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(
        math.radians(lon2 - lon1) / 2) ** 2
    return 12742.0 * math.asin(math.sqrt(min(1.0, a)))


def _candidates(mention: PlaceMention, index: PlaceIndex) -> tuple[Place, ...]:
    """Places of the name as written and of the chosen place's name ("Мартуни" is written
    for two places of Armenia in the gazetteer, "Martuni" for the Karabakh town too)."""
    out: dict[str, Place] = {}
    for name in (mention.text, mention.name):
        for place in (found[0] if (found := index.candidates(name)) else ()):
            out[place.id] = place
    return tuple(out.values())


def settle_ambiguous(place_map: dict[int, list[PlaceMention]], index: PlaceIndex,
                     ) -> dict[int, list[PlaceMention]]:
    """The same map, each shared name resolved to the candidate nearest the anchors."""
    resolved = [m for ms in place_map.values() for m in ms
                if m.place_id and m.latitude is not None and m.longitude is not None]
    shared = {id(m): c for m in resolved if len(c := _candidates(m, index)) > 1}
    if not shared:
        return place_map
    anchors = [m for m in resolved if id(m) not in shared]
    if not anchors:
        return place_map

    def distance(m: PlaceMention, lat: float, lon: float) -> float:
        """To the nearest anchor of the mention's sentence, else of the text."""
        mine = [a for a in anchors if a.sentence == m.sentence] or anchors
        return min(_km(lat, lon, a.latitude, a.longitude) for a in mine)  # type: ignore[arg-type]

    def settle(m: PlaceMention) -> PlaceMention:
        options = shared.get(id(m))
        if not options or m.within:
            return m
        best = min(options, key=lambda p: distance(m, p.latitude, p.longitude))
        if best.id == m.place_id or distance(m, m.latitude, m.longitude) - distance(  # type: ignore[arg-type]
                m, best.latitude, best.longitude) < _CLEARLY_NEARER_KM:
            return m
        return replace(m, name=best.name, place_id=best.id, country=best.country,
                       latitude=best.latitude, longitude=best.longitude)

    return {k: [settle(m) for m in ms] for k, ms in place_map.items()}
