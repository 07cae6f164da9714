"""What happened: trigger words to ACLED event types, sub-types and weapon classes.

``find_triggers(text)`` returns each trigger in a sentence with its type,
sub-type and strength. A strong trigger ("shelled", "drone strike", "took
control of") is an event by itself; a generic one ("fighting", "attack",
"battles") only when the sentence also gives a place or a date, so that
"the battles are the most dangerous since 1994" stays background.
``weapon_class(text)`` reads the weapon from the same words;
``target_type(text)`` and ``harm(text)`` read civilian harm and displacement.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ...domain.taxonomy import HEAVY_WEAPONS, WeaponClass
from .lowered import Blind

__all__ = ["Trigger", "find_triggers", "forget_sentences", "harm", "is_calm", "target_type", "weapon_class"]

_EXPLOSIONS = "Explosions/Remote violence"
_SHELLING = "Shelling/artillery/missile attack"
_STRATEGIC = "Strategic developments"

# (pattern, event type, sub-type, strong)
_TRIGGERS: list[tuple[str, str, str | None, bool]] = [
    (r"(air|drone|missile|aerial|rocket|artillery|mortar)((,| and| or) (air|drone|missile|aerial|"
     r"rocket|artillery|mortar))*[- ]?(strikes?|attacks?|raids?|fire|barrage)",
     _EXPLOSIONS, None, True),
    (r"airstrikes?|bomb(ed|ing|ings|s)|dropped bombs|air raids?", _EXPLOSIONS, "Air/drone strike", True),
    (r"shell(ed|ing|s)?|bombard(ed|ment|ments|ing)|pound(ed|ing)|mortar(ed| fire| attacks?)|"
     r"(rockets?|missiles?|shells?|projectiles?) (hit|landed|struck|fell)|"
     r"((?<=missiles )|(?<=missile )|(?<=rockets )|(?<=rocket )|(?<=drones )|(?<=drone )|"
     r"(?<=projectiles ))(launched|fired) (at|on|towards?)|"
     r"(fired|launched|firing) (rockets?|missiles?|shells?|artillery|mortars?|grads?)|"
     r"(fired|firing|opened fire) (from|with|using) ([\w-]+ ){0,3}(mortars?|artillery|howitzers?|"
     r"rockets?|grads?|smerch|tanks?)|"
     r"cluster munitions?|struck|hit by|(explosions?|blasts?) (were |was )?(heard|rang out|rocked|"
     r"shook|thundered)|(heard|reported) (\w+ ){0,2}(explosions|blasts)",
     _EXPLOSIONS, _SHELLING, True),
    (r"(drones?|uavs?|unmanned aerial vehicles?|quadcopters?) (\w+ ){0,2}to drop|dropped (\w+ ){0,2}"
     r"(vog|grenades?|bombs?|munitions?|rounds?|explosives?)", _EXPLOSIONS, "Air/drone strike",
     True),
    (r"(shot down|destroyed|intercepted|downed|neutrali[sz]ed) ([\w-]+ ){0,3}(drones?|uavs?|aircraft|"
     r"helicopters?|missiles?|rockets?|quadcopters?|planes?|warplanes?)(?! launch(?!ed)| launcher| sites?"
     r"| positions?| depots?| systems?| batter)|(drones?|uavs?|aircraft|helicopters?|missiles?|"
     r"quadcopters?|planes?|warplanes?) (was|were|has been|have been|had been) (\w+ )?(shot down|"
     r"downed|intercepted|neutrali[sz]ed)", _STRATEGIC, "Disrupted weapons use", True),
    (r"destroyed (\w+ ){0,4}(launch sites?|launchers?|positions?|depots?|strongholds?|"
     r"military (facilit\w+|objects?|targets?|sites?))", _EXPLOSIONS, _SHELLING, True),
    (r"(land)?mines?|improvised explosive|\bieds?\b|explosive (device|object)s?|roadside bomb|"
     r"detonat(ion|ed|ing) of (an? )?(\w+ )?(explosive|mine|device|unexploded|ordnance)", _EXPLOSIONS,
     "Remote explosive/landmine/IED", False),
    (r"(took|taken|take|takes|seized|seize|seizes|captured|capture|captures|liberated|liberates|"
     r"retook|retaken|regained|recaptured|gained) control|(seized|captured|liberated|retook|"
     r"recaptured|(?<!temporarily )(?<!the )occupied(?! (territor|areas?|lands?|regions?|"
     r"districts?|zones?|parts?)))(?! [a-z]+ (intention|claim))|in control of|advanced into|"
     r"(managed to |to )control (more|new|several|\d+|\w+ more) \w+", "Battles",
     "Government regains territory", True),
    (r"clash(es|ed)?|exchange[sd]? of fire|exchanged fire|firefights?|skirmish(es)?|gunfire|"
     r"shoot-?outs?|firing (on|at|upon|toward|towards|in the direction)|"
     r"fired (in|into|toward|towards) (that|the|this) direction|"
     r"opened (\w+ ){0,2}fire|under (\w+ )?fire|fired (on|at|upon)|unprovoked firing|sniper|small[- ]arms fire|"
     r"penetrate[ds]? (the )?front( line)?|broke through|"
     r"infiltration( attempts?)?|incursions?|sabotage(-reconnaissance)? (groups?|attempts?|raids?)|"
     r"violat(ed|ing|ion of) the (\w+ ){0,2}(ceasefire|truce|cease-fire)|"
     r"(ceasefire|truce|cease-fire)( agreement)? (was|were|has been|had been) (\w+ )?violated|"
     r"(broke|breaking|breached|breaching|in breach of) the (\w+ ){0,2}(ceasefire|truce|cease-fire)",
     "Battles", "Armed clash", True),
    (r"fighting|battles?|hostilities|offensive|counter-?offensive|attack(s|ed|ing)?|"
     r"assaults?|retreated|withdrew|targeted|ceasefire violations?", "Battles", "Armed clash", False),
    (r"(killed|executed|beheaded|abducted|kidnapped|tortured|shot dead) (\w+ ){0,3}"
     r"(civilians?|residents?|villagers?|prisoners?|captives?)", "Violence against civilians",
     "Attack", True),
    (r"(ready|readiness|agreed|plans?|willing|offered) to (deploy|send|station)"
     r"(\W+\w+){0,2}\W+(observers|peacekeepers|monitors)|deploy(ment of)?(\W+\w+){0,2}\W+"
     r"(observers|peacekeepers)",
     _STRATEGIC, "Other", True),
    (r"(agreed|signed|announced|declared|brokered|reached) (on |to |upon )?(a|an|the) (new )?"
     r"(humanitarian )?(truce|ceasefire|cease-fire|agreement|deal)", _STRATEGIC, "Agreement", True),
    (r"(arrested|detained)(?! (persons?|people|individuals|prisoners|civilians))", _STRATEGIC,
     "Arrests", False),  # not "prisoners of war and other detained persons"
]
# words one of which each pattern needs: a substring test skips most patterns in most sentences
_ANCHORS: list[tuple[str, ...]] = [
    ("strike", "attack", "raid", "fire", "barrage"),
    ("airstrike", "bomb", "air raid"),
    ("shell", "bombard", "pound", "mortar", "rocket", "missile", "projectile", "fired", "launched",
     "cluster munition", "struck", "hit by", "explosion", "blast"),
    ("drop",),
    ("shot down", "destroyed", "intercepted", "downed", "neutrali"),
    ("destroyed",),
    ("mine", "improvised", "ied", "explosive", "roadside", "detonat"),
    ("control", "seiz", "captur", "liberat", "retook", "retaken", "regained", "gained", "occupied",
     "advanced into"),
    ("clash", "exchange", "firefight", "skirmish", "fire", "firing", "sniper", "small", "penetrat",
     "shoot", "infiltrat", "incursion", "sabotage",
     "broke", "violat", "breach"),
    ("fighting", "battle", "hostilities", "offensive", "attack", "assault", "retreated", "withdrew",
     "targeted", "violation"),
    ("killed", "executed", "beheaded", "abducted", "kidnapped", "tortured", "shot dead"),
    ("deploy", "send", "station"),
    ("agreed", "signed", "announced", "declared", "brokered", "reached"),
    ("arrested", "detained"),
]
assert len(_ANCHORS) == len(_TRIGGERS)
# case-blind; an ASCII sentence is read case-sensitively in lower case (``lowered.Blind``)
_COMPILED = [(Blind(r"\b(?:" + p + r")\b"), t, s, strong,
              re.compile("|".join(map(re.escape, anchors))))
             for (p, t, s, strong), anchors in zip(_TRIGGERS, _ANCHORS, strict=True)]

_WEAPONS: list[tuple[str, WeaponClass]] = [
    (r"cluster (munitions?|bombs?)", WeaponClass.CLUSTER_MUNITION),
    (r"ballistic missiles?|iskander|scud|tochka|elbrus", WeaponClass.BALLISTIC_MISSILE),
    (r"drones?|uavs?|bayraktar|loitering|kamikaze", WeaponClass.ARMED_DRONE),
    (r"missile launch|missiles?", WeaponClass.MISSILE),
    (r"rockets?|grad|smerch|polonez|mlrs|multiple launch", WeaponClass.ROCKET),
    (r"mortars?", WeaponClass.MORTAR),
    (r"artillery|howitzers?|shell(s|ed|ing)|bombard", WeaponClass.ARTILLERY),
    (r"aircraft|warplanes?|jets?|su-25|helicopters?|air ?strikes?|bombed|bombing", WeaponClass.AVIATION),
    (r"tanks?\b", WeaponClass.TANK),
    (r"(land)?mines?\b|\bieds?\b", WeaponClass.LANDMINE),
    (r"small[- ]arms|sniper|machine[- ]guns?|rifles?|gunfire|automatic weapons", WeaponClass.SMALL_ARMS),
]
_WEAPON_RE = [(Blind(r"\b(?:" + p + r")"), w) for p, w in _WEAPONS]
_WEAPON_LOWER = [(re.compile(r"\b(?:" + p + r")"), w) for p, w in _WEAPONS]  # lower-cased ASCII
assert not any(re.search("[A-Z]", re.sub(r"\\[A-Za-z]", "", p)) for p in [
    *(p for p, *_r in _TRIGGERS), *(p for p, _w in _WEAPONS)])
# letters every weapon pattern needs (lower case): ASCII words without any name no weapon
_WEAPON_LETTERS = ("cluster", "ballistic", "iskander", "scud", "tochka", "elbrus", "drone", "uav",
                   "bayraktar", "loitering", "kamikaze", "missile", "rocket", "grad", "smerch",
                   "polonez", "mlrs", "multiple launch", "mortar", "artillery", "howitzer",
                   "shell", "bombard", "aircraft", "warplane", "jet", "su-25", "helicopter", "air",
                   "bombed", "bombing", "tank", "mine", "ied", "small", "sniper", "machine",
                   "rifle", "gunfire", "automatic weapons")
_CALM = Blind(r"\b(was|were|is|remained|remains|stayed|been) (relatively |mostly |largely )?"
                   r"(calm|quiet)\b|\bno (ceasefire )?violations\b|"
                   r"\bno (new |further |more )?(shelling|firing|attacks?|shots)\b (has|have|had|was|"
                   r"were) been (recorded|reported|observed)|\breported no (new |further )?(shelling|"
                   r"firing|attacks?|violations)\b|\bcalm (prevailed|returned)\b|"
                   r"\b(calm|quiet) situation\b|\bdid not (observe|record|hear) any (ceasefire )?"
                   r"violations\b")
_CIVILIAN = Blind(r"\bcivilians?\b|\bresidential\b|\bhomes?\b|\bhouses?\b|\bschools?\b|"
                       r"\bhospitals?\b|\bchurch\b|\bmosque\b|\bmarket\b")
_MILITARY = Blind(r"\bmilitary (facilit|position|target|site|base)|\blaunch sites?\b|"
                       r"\bpositions\b|\btroops\b|\bsoldiers\b|\bbase\b|\bmilitary\b")
_DISPLACEMENT = Blind(r"\b(fled|flee(ing)?|displaced|displacement|refugees?|evacuat\w+|"
                           r"families (\w+ ){0,3}remained|remained|left their homes)\b")
_HYPOTHETICAL = Blind(r"\b(will|would|could|may|might|threaten\w*|reserves? the right|"
                           r"intend\w*|intention|plans? to|vowed to|pledged to|if)\b[^.;]{0,40}$")
_VIOLATION = Blind(r"violat|breach|broke|breaking|ceasefire violation")
_GUNFIRE = Blind(r"clash|exchange|fire|firing|sniper|gunfire|penetrat|broke through|shoot")
# weapons whose fire is shelling, not an armed clash (ACLED: mortars shell too)
_SHELLING_WEAPONS = (HEAVY_WEAPONS - {WeaponClass.TANK}) | {WeaponClass.MORTAR}
_INSTRUMENT = Blind(r"\bwith\s+(?:[\w-]+,?\s+(?:and\s+)?){0,4}$")
_ACTION = Blind(r"\b(attack\w*|shell(ed|ing)|fired|firing|struck|hit|bombard\w*|targeted|"
                     r"pound\w*|assault\w*)\b")
_NONE_OF = Blind(r"\bno (?:new |further |more )?$")  # "no shelling has been recorded"
_MEANS_AND = re.compile(r"^\s+and\s+(?:[\w-]+\s+){0,2}$")
_WEAPON_NOUN = Blind(r"^(mortar )?shells|cluster munitions?|bombs$")
# "denied that its army targeted X" restates the event it denies: the event is proposed,
# the denial is a claim on it (the evaluation set's guideline); "no", "not" negate
_NEGATED = Blind(r"\b(no|not|never|without|baseless|false)\b[^.,;]{0,40}$")


@dataclass(frozen=True)
class Trigger:
    text: str
    offset: int
    event_type: str
    sub_type: str | None
    strong: bool
    violation: bool = False  # "violated the ceasefire": support for a specific event, if any
    vague: bool = False  # "attack", "fired on": an event whose means the words do not give


def find_triggers(text: str) -> list[Trigger]:
    """Event triggers in a sentence, in order; one per span (the first rule wins).

    Several stages ask for one sentence's triggers; each sentence is read once
    (``_triggers``, cached by its text; triggers are frozen).

    >>> [(t.text, t.sub_type) for t in find_triggers("Artillery shelled Tartar.")]
    [('shelled', 'Shelling/artillery/missile attack')]
    """
    return list(_triggers(text))


def forget_sentences() -> None:
    """Empty the per-sentence caches (English and Russian triggers): one document's worth."""
    _triggers.cache_clear()
    from .russian import _triggers_ru

    _triggers_ru.cache_clear()


# fighting told as such is ground combat, an event of its own beside the shelling told next
# to it ("new fighting erupted ... accused Azeri forces of shelling settlements"); an
# "attack" or "fired on" says nothing of the means and may be the shelling told again
_GROUND_COMBAT = Blind(r"(fighting|battles?|hostilities|(counter-?)?offensive)$")
_DURING = Blind(r"\b(during|amid|in the course of|as a result of)\s+(the\s+)?(\w+\s+)?$")


@lru_cache(maxsize=1024)
def _triggers(text: str) -> tuple[Trigger, ...]:
    found: list[Trigger] = []
    taken: list[tuple[int, int]] = []
    low = text.lower()
    for pattern, event_type, sub_type, strong, anchors in _COMPILED:
        if not anchors.search(low):
            continue
        for m in pattern.finditer(text):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            word = text[m.start():m.end()]
            before = text[max(0, m.start() - 45):m.start()]
            if (_NEGATED.search(before) and strong is False) or _NONE_OF.search(before) or (
                    _HYPOTHETICAL.search(before) and event_type != _STRATEGIC):
                continue
            if _WEAPON_NOUN.match(word) and _INSTRUMENT.search(before) and \
                    _ACTION.search(text[:m.start()]):
                continue  # "attacking ... with small arms and mortar shells": the means
            taken.append((m.start(), m.end()))
            sub = sub_type
            if event_type == "Battles" and re.match(
                    r"(under fire|fired|opened fire|unprovoked|targeted|attack|firing)",
                    word, re.I) and weapon_class(
                        text if word.lower().startswith(("under", "fired", "opened", "unpro"))
                        else text[m.start():m.start() + 90]) in _SHELLING_WEAPONS:
                event_type, sub = _EXPLOSIONS, _SHELLING  # fire from guns that shell
            if sub is None:  # "missile strike": the sub-type follows the weapon
                sub = "Air/drone strike" if re.match(r"(air|drone|aerial)", word, re.I) \
                    else _SHELLING
            counted = bool(re.search(r"\d[\d,]*\s+(\w+\s+)?$", before))  # "recorded 55 violations"
            violation = event_type == "Battles" and bool(_VIOLATION.search(word)) and \
                not counted
            vague = event_type == "Battles" and sub == "Armed clash" and (
                not strong or bool(_GUNFIRE.search(word))) and \
                not (_GROUND_COMBAT.match(word) and not _DURING.search(before)) and \
                weapon_class(text[m.start():m.start() + 80]) in (
                    WeaponClass.UNKNOWN, WeaponClass.SMALL_ARMS)
            found.append(Trigger(word, m.start(), event_type, sub, strong, violation,
                                 (vague or violation) and not counted))
    if any(t.event_type == _EXPLOSIONS for t in found):
        # "using automatic gunfire and mortar shelling": the means of one violation, typed by
        # the heavier weapon, not a firefight beside a shelling
        found = [t for t in found if not (t.event_type == "Battles" and not t.violation and re.search(
            r"fire|firing", t.text, re.I) and any(
            o.event_type == _EXPLOSIONS and _MEANS_AND.match(text[t.offset + len(t.text):o.offset])
            for o in found if o.offset > t.offset))]
        # "a missile strike killed four civilians": the strike's toll, not a second event
        found = [t for t in found if not (t.event_type == "Violence against civilians"
                                          and t.text.lower().startswith("killed"))]
    return tuple(sorted(found, key=lambda t: t.offset))


_TARGETED_WEAPONS = Blind(
    r"\b(missile|rocket|artillery|mortar|tank|drone|air defen[cs]e)s? (launch )?(sites?|positions?|"
    r"depots?|launchers?|installations?|batter(y|ies)|units?|systems?)\b")


_TARGETED_LOWER = re.compile(_TARGETED_WEAPONS.pattern)
assert not re.search("[A-Z]", re.sub(r"\\[A-Za-z]", "", _TARGETED_WEAPONS.pattern))


def weapon_class(text: str) -> WeaponClass:
    """The first weapon class the words name, else unknown; "missile launch sites"
    are a target, not the weapon."""
    if text.isascii():  # the same patterns, case-sensitive on the lower-cased words
        low = _TARGETED_LOWER.sub(" ", text.lower())
        if not any(word in low for word in _WEAPON_LETTERS):
            return WeaponClass.UNKNOWN
        return next((weapon for pattern, weapon in _WEAPON_LOWER if pattern.search(low)),
                    WeaponClass.UNKNOWN)
    text = _TARGETED_WEAPONS.sub(" ", text)
    for pattern, weapon in _WEAPON_RE:
        if pattern.search(text):
            return weapon
    return WeaponClass.UNKNOWN


def target_type(text: str) -> str:
    civilian, military = bool(_CIVILIAN.search(text)), bool(_MILITARY.search(text))
    if civilian and military:
        return "mixed"
    return "civilian" if civilian else "military" if military else "unknown"


def harm(text: str) -> tuple[str, ...]:
    return ("displacement",) if _DISPLACEMENT.search(text) else ()


def is_calm(text: str) -> bool:
    return bool(_CALM.search(text))
