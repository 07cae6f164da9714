"""Who says what: speakers, stances and propositions from parsed sentences.

Works on plain ``Tok`` records (any parser can fill them; see ``pipeline``):
for each speech verb ("announced", "confirmed", "denied", "accused",
"disputed", "said", "tweeted"...) the speaker is its subject, or the subject
of the verb it hangs from ("tweeted ..., saying that"), or the object of
"according to"; a pronoun ("She added") is the previous speaker. Each
speaker of a coordination ("which Ankara and Baku deny") gets a claim.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache
from typing import NamedTuple

from .lowered import Blind
from .model import ClaimProposal, Sentence

__all__ = ["ClaimFinder", "STANCE_VERBS", "Tok", "guess_party", "mentions_speech", "one_per_speaker"]

STANCE_VERBS: dict[str, str] = {}
for _stance, _forms in {
    "asserts": "announce announced announces announcing say said says saying state stated states "
               "claim claimed claims claiming report reported reports tweet tweeted tweets "
               "add added adds explain explained explains emphasize emphasized emphasised "
               "stress stressed insist insisted insists declare declared declares tell told tells "
               "assert asserted asserts warn warned warns write wrote writes note noted notes "
               "allege alleged alleges",
    "confirms": "confirm confirmed confirms confirming acknowledge acknowledged acknowledges "
                "admit admitted admits admitting verified verify",
    "denies": "deny denied denies denying reject rejected rejects refute refuted refutes "
              "dismiss dismissed dismisses",
    "disputes": "dispute disputed disputes disputing question questioned questions contest "
                "contested contests doubt doubted",
    "attributes": "accuse accused accuses accusing blame blamed blames blaming",
}.items():
    for _form in _forms.split():
        STANCE_VERBS[_form] = _stance
_SPEECH_WORDS = frozenset(STANCE_VERBS)
_WORD_RUN = re.compile(r"\w+")
_ACCORDING = Blind(r"\baccording to\b")
_PASSIVE_BEFORE = Blind(r"\b(?:been|being|hereby)\s+$")
_BY_AFTER = Blind(r"\s+by\b")
_TITLE_REPORT = re.compile(r"\s?Reports?\b")
_REPORTS_OF = Blind(r"\b(?:the|on|of|about)\s+$")
_OF_AFTER = Blind(r"\s+(?:of|about)\b")
_BLAME = Blind(r"\b(carried out|committed|perpetrated|launched|fired|conducted) by\b")
_REFUTE = Blind(r"\b(misinformation|disinformation|(a |an )?(blatant |outright |absolute )?lie|"
                     r"baseless|groundless|not true|untrue|false|fake|fabricat\w+)\b")
_NO_QUOTES = str.maketrans("", "", "\"“”")
_PRONOUNS = frozenset({"he", "she", "it", "they", "we", "i"})
_SPEAKERS = Blind(r"\b(ministry|ministries|minister|army|military|forces|spokes\w*|president|presidency|"
    r"government|office|official|officials|correspondent|reporter|journalist|agency|command|"
    r"commander|service|authorit\w+|leader|leadership|side|residents?|witness\w*|source|sources|"
    r"ombudsman|committee|council|mission|observers?|monitors?|embassy|envoy|mediators?|prosecutor|"
    r"police|headquarters|staff|aide|adviser|advisor|secretary|chief|parliament|kremlin|media|"
    r"group|organi[sz]ation|coalition|union|nato|osce|un)\b")
# "a statement issued by the Inter-Services Public Relations": the issuer speaks, the
# statement is how ("said in a statement"); "on Tuesday" after the issuer dates it
_ISSUED_BY = re.compile(r"^(?:an?\s+|the\s+|its\s+)?(?:joint\s+|written\s+|separate\s+|official\s+)?"
                   r"(?P<channel>statement|communiqu[ée]|press release|bulletin|report|message)\s+"
                   r"(?:was\s+)?(?:issued|released|published|circulated|put out|distributed)\s+by\s+"
                   r"(?:the\s+)?(?P<issuer>.+?)"
                   r"(?:\s+(?:on|late on|early on|earlier on)\s+\w+(?:\s+\d{1,2})?|\s+(?:earlier|later|today|"
                   r"yesterday))?$", re.I)
# "India and Pakistan said ... they have agreed", "in a joint statement": one statement made
# together, one claim by both; "which Ankara and Baku deny" is each denying, a claim each
_JOINT = Blind(r"\bjoint(?:ly)?\b|\b(?:they|both sides|both countries|both governments|the two sides|"
               r"the two countries|the two governments)\s+(?:have\s+|had\s+|has\s+)?(?:mutually\s+)?"
               r"agreed\b")


# "In a statement issued by the ministry, ...": the issuer tells the sentence, no verb says so
_IN_STATEMENT = re.compile(
    r"^\W*(?i:in|according to)\s+(?i:an?|the|its)\s+(?:joint\s+|written\s+|official\s+)?"
    r"(?:statement|communiqu[ée]|press release|bulletin)\s+(?:issued|released|published|circulated)"
    r"\s+by\s+(?:the\s+)?(?P<issuer>[A-Z][\w'’-]*(?:\s+(?:of\s+(?:the\s+)?)?[A-Z][\w'’-]*){0,6})"
    r"(?:\s+on\s+\w+)?\s*,")


def issuer(actor: str) -> tuple[str, str | None]:
    """(speaker, channel): "statement issued by the ministry on Monday" -> ("ministry",
    "statement"); any other actor is itself, with no channel."""
    m = _ISSUED_BY.match(actor)
    if not m or not m.group("issuer").strip(" ,"):
        return actor, None
    return m.group("issuer").strip(" ,"), m.group("channel").lower()


def _coordinated(toks: Sequence[Tok], speakers: Sequence[Tok]) -> list[Tok]:
    """The speakers and every name coordinated with them ("Russia, France and the United
    States": "States" hangs from "France"), in order."""
    keep = {s.i for s in speakers}
    grew = True
    while grew:
        more = {t.i for t in toks if t.dep == "conj" and t.head in keep} - keep
        keep |= more
        grew = bool(more)
    return [t for t in toks if t.i in keep]


def _joined(names: Sequence[str]) -> str:
    """"India and Pakistan"; "Armenia, Azerbaijan and Russia"."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


_VAGUE = frozenset({"side", "sides", "each", "both", "community", "observers", "analysts"})
_PARTIES = [
    ("NKR", Blind(r"karabakh|artsakh|stepanakert|harutyunyan|separatist|de facto|"
                       r"self-proclaimed")),
    ("AZE", Blind(r"azerbaijan|azeri|baku|aliyev|hajiyev|dargahl|eyvazov|bayramov")),
    ("ARM", Blind(r"armenia|yerevan|pashinyan|stepanyan|hovhannisyan|sarkissian|mnatsakanyan")),
    ("UKR", Blind(r"ukrain|kyiv|joint forces? operation|\bjfo\b")),
    ("PAK", Blind(r"pakistan|inter-services public relations|\bispr\b|islamabad")),
    ("IND", Blind(r"\bindia|new delhi|indian army")),
]
_CHANNEL = Blind(r"twitter|facebook|telegram|statement|interview|video|briefing|agency|"
                      r"television|tv|press conference|communiqu|sputnik|tass|radio|website")


class Tok(NamedTuple):
    """One token of a parsed sentence: what claim finding needs from a parser (a named
    tuple: a sentence's tokens are built by the thousand, ~3x faster than a dataclass)."""

    i: int
    text: str
    pos: str
    dep: str
    head: int
    idx: int  # character offset in the sentence
    ws: str = " "


def mentions_speech(text: str) -> bool:
    """True if the sentence has a word that may report speech (worth parsing)."""
    # a set of the sentence's words, not an alternation of ~110 verbs scanned case-blind
    words = set(_WORD_RUN.findall(text.lower()))
    if "according" in words and _ACCORDING.search(text) or "by" in words and _IN_STATEMENT.search(text):
        return True
    hits = words & _SPEECH_WORDS
    if not hits:
        return False
    # "Daily Report 241/2021", "reports of damage", "have been reported": a noun or a passive
    # with no one speaking; the parser would find no speaker in them
    return any(not _silent_use(text, m.start(), m.end())
               for m in re.finditer(r"\b(?:" + "|".join(sorted(hits)) + r")\b", text, re.I))


def _silent_use(text: str, start: int, end: int) -> bool:
    before, after = text[max(0, start - 24):start], text[end:end + 12]
    return bool(_PASSIVE_BEFORE.search(before) and not _BY_AFTER.match(after)
                or _TITLE_REPORT.match(text, max(0, start - 1)) and text[start:start + 1].isupper()
                and re.search(r"[A-Z][a-z]+\s+$", before)
                or _REPORTS_OF.search(before) and _OF_AFTER.match(after))


def stance_of(word: str) -> str | None:
    return STANCE_VERBS.get(word.lower())


def _speaker_like(tokens: Sequence[Tok]) -> bool:
    """A name, or a noun that can speak: not "the ceasefire declared in 1994"."""
    return any(t.pos == "PROPN" for t in tokens) or bool(_SPEAKERS.search(_words(tokens)))


def guess_party(text: str) -> str | None:
    for party, pattern in _PARTIES:
        if pattern.search(text):
            return party
    return None


def _children(toks: Sequence[Tok], head: int) -> list[Tok]:
    return [t for t in toks if t.head == head and t.i != head]


def _subtree(toks: Sequence[Tok], root: int, skip: frozenset[int] = frozenset()) -> list[Tok]:
    keep = {root}
    changed = True
    while changed:
        changed = False
        for t in toks:
            if t.i not in keep and t.head in keep and t.i != t.head and t.i not in skip:
                keep.add(t.i)
                changed = True
    return [t for t in toks if t.i in keep]


def _words(tokens: Sequence[Tok]) -> str:
    text = "".join(t.text + t.ws for t in tokens).strip()
    text = re.sub(r"^(the|a|an)\s+", "", text, flags=re.I)
    return text.strip(" ,;:\"“”'")


def _actor(toks: Sequence[Tok], subject: Tok) -> str:
    """'Shushan Stepanyan (spokeswoman for the Armenian Ministry of Defense)'."""
    conjuncts = frozenset(t.i for t in _children(toks, subject.i) if t.dep in ("conj", "cc"))
    appos = [t for t in _children(toks, subject.i) if t.dep == "appos" and t.pos == "PROPN"]
    if appos and subject.pos != "PROPN":
        name = _words(_subtree(toks, appos[0].i))
        role = _words([t for t in _subtree(toks, subject.i, conjuncts | {appos[0].i})
                       if t.i not in {x.i for x in _subtree(toks, appos[0].i)}])
        return f"{name} ({role})"
    return _words(_subtree(toks, subject.i, conjuncts))


def _subjects(toks: Sequence[Tok], verb: Tok) -> list[Tok]:
    seen: set[int] = set()
    current = verb
    while current.i not in seen:
        seen.add(current.i)
        subject = [t for t in _children(toks, current.i) if t.dep in ("nsubj", "nsubjpass")]
        agent = [c for a in _children(toks, current.i) if a.dep == "agent"
                 for c in _children(toks, a.i) if c.dep == "pobj"]
        if agent:
            subject = agent
        elif subject and subject[0].dep == "nsubjpass":
            return []  # "Turkey accused of ...": the accuser is not named
        if subject:
            first = subject[0]
            return [first] + [t for t in toks if t.dep == "conj" and t.head == first.i]
        if current.dep not in ("advcl", "conj", "xcomp") or current.head == current.i:
            return []
        current = toks[current.head]
    return []


def _scope(toks: Sequence[Tok], verb: Tok) -> str:
    """The words a speech verb reports: its clausal complement where there is one."""
    if verb.dep == "relcl":
        return ""
    for child in _children(toks, verb.i):
        if child.dep in ("ccomp", "xcomp", "dobj"):
            return _words(_subtree(toks, child.i))
        if child.dep == "advcl":  # "tweeted ..., saying that ..."
            inner = [c for c in _children(toks, child.i) if c.dep == "ccomp"]
            if inner:
                return _words(_subtree(toks, inner[0].i))
    return _words([t for t in _subtree(toks, verb.i) if t.i >= verb.i])


def _proposition(stance: str, scope: str) -> str:
    if stance == "attributes":
        return "perpetrator"
    if re.search(r"\bcivilian|\bresidential|\bpeaceful (population|residents)", scope, re.I) \
            and stance in ("denies", "disputes"):
        return "target_type"
    if re.search(r"(?<!line of )\b(control|seized|captured|liberated|took|taken|occupied|retook)\b",
                 scope, re.I):  # not "the Line of Control"
        return "control"
    if re.search(r"\b(killed|dead|died|casualt|losses|wounded|injured|toll)", scope, re.I):
        return "casualties"
    return "happened"


class ClaimFinder:
    """Finds claims sentence by sentence, remembering the last speaker for pronouns."""

    def __init__(self) -> None:
        self.last_speaker: tuple[str, str | None] | None = None
        self.denied: dict[str, str] = {}  # speaker -> the proposition she last denied

    def find(self, sentence: Sentence, toks: Sequence[Tok]) -> list[ClaimProposal]:
        found: list[ClaimProposal] = []
        seen: set[tuple[str, str]] = set()
        for tok in toks:
            lower = tok.text.lower()
            if lower == "according" and tok.i + 1 < len(toks) and toks[tok.i + 1].text == "to":
                objects = [t for t in toks if t.head == tok.i + 1 and t.dep == "pobj"]
                speakers, stance, confidence = objects, "asserts", 0.7
            elif lower in STANCE_VERBS and tok.pos in ("VERB", "AUX") and tok.dep not in (
                    "amod", "compound", "acl", "pcomp", "pobj") and not (
                    tok.i + 1 < len(toks) and toks[tok.i + 1].text == "of"
                    and stance_of(lower) == "attributes"):
                stance, confidence = STANCE_VERBS[lower], 0.8
                speakers = _subjects(toks, tok)
            else:
                continue
            negated = any(t.dep == "neg" for t in _children(toks, tok.i))
            if negated:
                if stance in ("asserts", "denies"):
                    continue
                stance = "disputes" if stance == "confirms" else stance
            scope = _scope(toks, tok) or sentence.text
            if stance == "asserts" and _BLAME.search(scope):
                stance = "attributes"
            elif stance == "asserts" and _REFUTE.search(scope):
                stance = "denies"
            value = None
            if stance == "attributes":
                objects = [t for t in _children(toks, tok.i) if t.dep == "dobj"]
                value = _words(_subtree(toks, objects[0].i)) if objects else None
            channel = next((re.split(r"\bthat\b|,", _words(_subtree(toks, p.i))[len(p.text):])[0]
                            .translate(_NO_QUOTES).strip()
                            for p in _children(toks, tok.i) if p.dep == "prep"
                            and _CHANNEL.search(_words(_subtree(toks, p.i)))), None)
            quote = re.search(r"[\"“]([^\"”]{3,})[\"”]", sentence.text)
            joint = len(speakers) > 1 and bool(_JOINT.search(sentence.text)) and all(
                s.text.lower() not in _PRONOUNS | _VAGUE and _speaker_like(_subtree(toks, s.i))
                for s in speakers)
            if joint:  # one statement by all of them: one claim, no one party's
                actor = _joined([_actor(toks, s) for s in _coordinated(toks, speakers)])
                self.last_speaker = (actor, None)
                seen.add((actor.lower(), stance))
                found.append(ClaimProposal(
                    actor=actor, stance=stance, proposition=_proposition(stance, scope),
                    sentence=sentence.index, text=sentence.text, confidence=round(confidence, 2),
                    verb=tok.text if lower != "according" else "according to", party=None,
                    value=value, channel=channel, quote=quote.group(1) if quote else None,
                    offset=tok.idx if lower != "according" else None))
                continue
            for subject in speakers:
                if subject.text.lower() in _PRONOUNS and self.last_speaker:
                    actor, party = self.last_speaker
                    conf = confidence - 0.15
                elif subject.text.lower() in _PRONOUNS or subject.text.lower() in _VAGUE and not (
                        subject.text.lower() == "side"
                        and guess_party(_words(_subtree(toks, subject.i)))):
                    continue  # "each side", "observers"; "the Armenian side" speaks for Armenia
                elif not _speaker_like(_subtree(toks, subject.i)):
                    continue
                else:
                    actor, issued = issuer(_actor(toks, subject))
                    party, conf = guess_party(actor), confidence
                    self.last_speaker = (actor, party)
                    channel = issued or channel
                if not actor:
                    continue
                if (actor.lower(), stance) in seen:
                    k = next(k for k, c in enumerate(found)
                             if c.actor.lower() == actor.lower() and c.stance == stance)
                    if found[k].channel is None and channel:
                        found[k] = replace(found[k], channel=channel)
                    continue
                seen.add((actor.lower(), stance))
                proposition = _proposition(stance, scope)
                if stance in ("denies", "disputes"):
                    if proposition == "happened" and actor.lower() in self.denied:
                        # "denied any intention to target civilians ... 'These allegations
                        # are baseless'": the same denial again, not a denial of the strike
                        proposition = self.denied[actor.lower()]
                    elif proposition != "happened":
                        self.denied[actor.lower()] = proposition
                found.append(ClaimProposal(
                    actor=actor, stance=stance, proposition=proposition,
                    sentence=sentence.index, text=sentence.text, confidence=round(conf, 2),
                    verb=tok.text if lower != "according" else "according to", party=party,
                    value=value, channel=channel, quote=quote.group(1) if quote else None,
                    offset=tok.idx if lower != "according" else None))
        told = _IN_STATEMENT.search(sentence.text)
        if told and not found:
            actor = told.group("issuer")
            stance = "denies" if _REFUTE.search(sentence.text) else "asserts"
            self.last_speaker = (actor, guess_party(actor))
            found.append(ClaimProposal(
                actor=actor, stance=stance, proposition=_proposition(stance, sentence.text),
                sentence=sentence.index, text=sentence.text, confidence=0.7,
                verb="in a statement", party=guess_party(actor), channel="statement"))
        return found


_GENERIC_SPEAKER = Blind(r"^(?:the\s+)?(?:earlier|later|meanwhile|also\s+)?\s*(?:the\s+)?"
                              r"(?:ministry|ministries|army|military|office|center|centre|agency|"
                              r"headquarters|statement|ведомств\w*|министерств\w*|минобороны|"
                              r"военное ведомство|оборонное ведомство|пресс-служб\w*)$")
_LEAD_WORDS = Blind(r"^(?:earlier|later|meanwhile|also|then)\s+")


@lru_cache(maxsize=1024)
def _tokens(actor: str) -> frozenset[str]:
    return frozenset(w for w in re.findall(r"\w+", actor.lower()) if w not in ("the", "of", "a", "an"))


def _acronym_of(a: str, b: str) -> bool:
    """"ISPR" and "the Inter-Services Public Relations": one speaker, shortened."""
    short, full = (a, b) if len(a) < len(b) else (b, a)
    short = short.strip().removeprefix("the ").strip()
    if not (2 <= len(short) <= 6 and short.isupper() and short.isalpha()):
        return False
    words = [w for w in re.split(r"[\s-]+", full) if w[:1].isupper()]
    return "".join(w[0] for w in words).upper() == short.upper()


_DEFINED = re.compile(r"\b((?:[A-Z][\w'’-]*\s+){1,6}?[A-Z][\w'’-]*)\s*\(([A-Z]{2,6})\)")


def spell_out(claims: Sequence[ClaimProposal], text: str) -> list[ClaimProposal]:
    """A speaker named by an acronym the text defines ("Inter Services Public Relation
    (ISPR)", then "the ISPR said") is given its full name."""
    defined: dict[str, str] = {}
    for m in _DEFINED.finditer(text):
        words = [w for w in re.split(r"[\s-]+", m.group(1)) if w[:1].isupper()]
        for k in range(len(words)):  # the longest tail of capitalised words the letters fit
            if "".join(w[0] for w in words[k:]).upper() == m.group(2):
                defined[m.group(2)] = " ".join(m.group(1).split()[-(len(words) - k):]) \
                    if "-" not in m.group(1) else m.group(1).strip()
                break
    if not defined:
        return list(claims)
    return [replace(c, actor=defined[bare]) if (bare := c.actor.strip().removeprefix("the ")
                                                 .strip()) in defined else c for c in claims]


def one_per_speaker(claims: Sequence[ClaimProposal]) -> list[ClaimProposal]:
    """One claim per speaker and stance in a text: the same speaker saying so again ("the
    ministry said", "Hovhannisyan wrote" after "Artsrun Hovhannisyan said") is one claim,
    kept with its first event and its fullest name; a generic "the ministry" is the last
    speaker of that stance. Attributions read from wording stay one per event."""
    kept: list[ClaimProposal] = []
    for c in claims:
        actor = _LEAD_WORDS.sub("", c.actor)
        c = replace(c, actor=actor) if actor != c.actor else c
        mine = _tokens(actor)
        generic = bool(_GENERIC_SPEAKER.match(actor))
        same = next((k for k in range(len(kept) - 1, -1, -1) if kept[k].stance == c.stance
                     and kept[k].basis == c.basis == "speech"
                     and (generic or mine and (
                         mine <= _tokens(kept[k].actor) or _tokens(kept[k].actor) <= mine)
                         or _acronym_of(actor, kept[k].actor))), None)
        if same is None:
            kept.append(c)
            continue
        first = kept[same]
        if c.quote and c.quote not in first.text and c.quote not in (first.quote or ""):
            first = replace(first, quote=" … ".join(q for q in (first.quote, c.quote) if q))
        if c.channel and c.channel not in (first.channel or ""):  # said on Twitter, then to TASS
            first = replace(first, channel="; ".join(x for x in (first.channel, c.channel) if x))
        if len(actor) > len(first.actor) and not _GENERIC_SPEAKER.match(actor):
            first = replace(first, actor=actor)
        kept[same] = first
    return kept
