"""Which directory actor a name in a text stands for.

``known_actor(actors, name)`` is the one resolver of actor names: first a
spelling-insensitive match of the actor's name or an alias (``fold_name``),
then, for a name of two words or more, a match of its words whatever their
order or form, a party's country and adjective counting as one word:
"Azerbaijan's defence ministry" is the "Ministry of Defence of Azerbaijan"
(and its alias "Azerbaijani Defence Ministry"). A word match names an actor
only when it names exactly one; a one-word name must match exactly (the
alias "Baku" does not make every "Azerbaijan" the defence ministry).

>>> from truce.domain.actors import Actor
>>> mod = Actor(id="aze-mod", name="Ministry of Defence of Azerbaijan", kind="ministry", party="AZE")
>>> known_actor({"aze-mod": mod}, "Azerbaijan's defense ministry")
'aze-mod'
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from ..domain.actors import Actor
from ..domain.places import fold_name
from ..ingest.text.perpetrators import party_of

__all__ = ["known_actor", "name_words"]

_FILLER = frozenset({"of", "the", "s", "for", "and"})
_SPELLING = {"defense": "defence"}


def name_words(name: str) -> frozenset[str]:
    """The words of a name as a set, folded: possessives, "of" and "the"
    dropped, a party's country or adjective as its code, US spelling as UK."""
    words: set[str] = set()
    for raw in re.split(r"[\s'’\-]+", name):
        word = fold_name(raw)
        if not word or word in _FILLER:
            continue
        words.add(party_of(word) or _SPELLING.get(word, word))
    return frozenset(words)


def known_actor(actors: Mapping[str, Actor], name: str) -> str | None:
    """The id of the actor ``name`` stands for, or None when it names none (or several)."""
    key = fold_name(name)
    for actor in actors.values():
        if key in {fold_name(n) for n in (actor.name, *actor.aliases)}:
            return actor.id
    words = name_words(name)
    if len(words) < 2:
        return None
    found = {actor.id for actor in actors.values()
             if words in {name_words(n) for n in (actor.name, *actor.aliases)}}
    return found.pop() if len(found) == 1 else None
