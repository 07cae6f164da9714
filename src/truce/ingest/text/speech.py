"""Who says it, by rule: the common shapes of reported speech without a parser.

``rule_parse(sentence)`` returns the ``Tok`` tree that claim finding needs for
the shapes news and ministry statements use most, or ``None`` when the
sentence is ambiguous (then the dependency parser decides):

- "[Yesterday, ] SPEAKER[, NAME,] VERB [in a statement] [that] ...";
- "..., SPEAKER VERB [in a statement]." (the speaker after a quote or clause);
- "... according to SPEAKER, ...".

Only the parts claim finding reads are built: the verb (ROOT), its subject
(``nsubj``) with the speaker's words under it, an appositive name, a negation,
channel prepositions, the object of "accused", and the reported clause
(``ccomp``). A sentence with two speech verbs, a speaker with words that may be
verbs, or a relative clause is left to the parser.
"""

from __future__ import annotations

import re

from .claims import _SPEAKERS as SPEAKERS
from .claims import STANCE_VERBS, Tok
from .lowered import Blind

__all__ = ["rule_parse"]

_TOKEN = re.compile(r"['’]s\b|\w+(?:[-.]\w+)*|\S")
# lower-case words a speaker's name may hold ("the spokeswoman for the Armenian Ministry of Defense")
_SPEAKER_WORDS = frozenset("""the of for and de facto self-proclaimed 's ’s ministry army forces military
spokeswoman spokesman spokesperson office president minister prime foreign defense defence
government authorities official officials press service head chief general lieutenant colonel
major commander command headquarters staff secretary prosecutor prosecutor-general's
committee council mission observers monitors ombudsman embassy envoy correspondent reporter
agency media monitoring special state emergency situations human rights internal affairs
interior public relations inter-services director centre center operation joint
security border guard department spokesmen director-general deputy armed republic region
eyewitnesses witnesses residents sources officials spokespeople representative representatives
aide assistant adviser advisor ambassador envoy governor mayor chairman leader
""".split())
_ROLE_NOUNS = _SPEAKER_WORDS - {"the", "of", "for", "and", "de", "facto", "'s", "’s", "in"}
_WHEN = Blind(r"^(?:on (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)|"
                   r"later|earlier|also|yesterday|today|again|then|now)$")
_AUX = frozenset({"had", "has", "have", "was", "were", "is", "also", "initially", "later", "then",
                  "immediately", "again", "repeatedly", "promptly", "strongly", "flatly"})
_BOUNDARY = frozenset({",", "while", "and", "but", "whereas", "which", ";", "that"})
_PRONOUNS = frozenset({"he", "she", "it", "they", "we", "i"})
_NOUN_FORMS = frozenset({"claims", "reports", "states", "notes", "questions", "doubts", "warns",
                         "tells", "writes", "adds", "says", "statement"})
_CHANNEL_PREP = frozenset({"in", "on", "to", "via", "through", "during", "at"})
_INTRO = Blind(r"^(?:(?:yesterday|today|earlier|later|meanwhile|however|also|in addition|"
                    r"on \w+(?: \d+)?|(?:in|on|for|since|after|during|at|from|with|by|under)"
                    r"(?: [\w'’-]+){1,7})\s*,\s*)")
_HARD = Blind(r"\b(?:who|which|whom|whose|when|while|if|because|after|before|although|"
                   r"n't|not)\b|[;:()\[\]]")


def _tokens(text: str) -> list[tuple[str, int]]:
    return [(m.group(0), m.start()) for m in _TOKEN.finditer(text)]


def _speech_verbs(words: list[tuple[str, int]]) -> list[int]:
    """Speech verbs, not their adjective use ("the announced truce")."""
    return [i for i, (w, _o) in enumerate(words) if w.lower() in STANCE_VERBS
            and not (i and words[i - 1][0].lower() in ("the", "a", "an", "this", "that"))]


_NO_CLAIM = Blind(r"^(?:each side|both sides|the two sides|each|both)$")
_VAGUE_BEFORE = Blind(r"\b(?:each side|both sides|the two sides|each other)\s*$")
_PARTICIPLE_NOUNS = frozenset({"ceasefire", "truce", "agreement", "deal", "statement", "plan",
                               "moratorium", "regime", "cease-fire", "war", "independence"})


def _silent_verb(words: list[tuple[str, int]], verb: int) -> bool:
    """A speech verb that reports no one's speech: "with Turkey accused of sending ...",
    "the ceasefire declared in 1994"."""
    following = words[verb + 1][0].lower() if verb + 1 < len(words) else ""
    previous = words[verb - 1][0] if verb else ""
    return following == "of" and previous[:1].isupper() and \
        STANCE_VERBS[words[verb][0].lower()] == "attributes" or \
        previous.lower() in _PARTICIPLE_NOUNS and following in ("in", "on", "by", "at")


def _pair(rows: list[list], between: list[int], verb: int) -> None:
    """"Ankara and Baku" as two subjects of ``verb``."""
    rows[between[0]][3], rows[between[0]][4] = "nsubj", verb
    rows[between[1]][3], rows[between[1]][4] = "cc", between[0]
    rows[between[2]][3], rows[between[2]][4] = "conj", between[0]
    for k in between[::2]:
        rows[k][2] = "PROPN"


def _silent(text: str, words: list[tuple[str, int]]) -> list[Tok]:
    """A tree in which no word is a speech verb: claim finding finds nothing."""
    return _finish(_toks(text, words))


def _no_acronym(words: list[str]) -> list[str]:
    """"the Inter-Services Public Relations ( ISPR )": the name without its acronym."""
    if len(words) >= 4 and words[-3] == "(" and words[-1] == ")" and words[-2].isupper():
        return words[:-3]
    return words


def _speaker_ok(words: list[str]) -> bool:
    """Only names, role nouns and their glue: nothing that may be a verb."""
    if not words:
        return False
    if len(words) == 1 and words[0].lower() in _PRONOUNS:
        return True
    if words[0].lower() in _PRONOUNS:
        return False
    words = _no_acronym(words)
    bare = [w for w in words if w != ","]
    if bare and bare[-1].lower() in _ROLE_NOUNS and sum(w[:1].islower() for w in bare) <= 4 \
            and all(w.isalpha() and not w.lower().endswith(("ed", "ing")) or w in ("the", "'s", "’s")
                    or w[:1].isupper() for w in bare):
        return True  # "medical authorities", "the ministry's press secretary"
    return any(w[:1].isupper() or w.lower() in _SPEAKER_WORDS - {"the", "of", "for", "and"}
               for w in words) and all(
        w[:1].isupper() or w.lower() in _SPEAKER_WORDS or w in (",", "-", "’s", "'s")
        or w in ("in", "to") and k + 1 < len(words) and words[k + 1][:1].isupper()
        for k, w in enumerate(words)) and "and" not in [w.lower() for w in words]


def rule_parse(text: str) -> list[Tok] | None:
    """A ``Tok`` tree for a simple reported-speech sentence, or None to ask the parser."""
    words = _tokens(text)
    verbs = [v for v in _speech_verbs(words) if not _silent_verb(words, v)]
    according = [i for i, (w, _o) in enumerate(words[:-1])
                 if w.lower() == "according" and words[i + 1][0].lower() == "to"]
    # "according to what the two sides announced": the verb belongs to the source's phrase
    verbs = [v for v in verbs if not any(a < v and not any(w in ",.;" for w, _o in words[a:v])
                                         for a in according)]
    if not verbs and len(according) == 1:
        return _according(text, words, according[0])
    if not verbs:
        return _silent(text, words) if not according and _speech_verbs(words) else None
    if len(verbs) + len(according) > 1:
        return _several(text, words, verbs, according)
    verb = verbs[0]
    if words[verb][0].lower() in _NOUN_FORMS or verb == 0:
        return None
    following = words[verb + 1][0].lower() if verb + 1 < len(words) else ""
    if following in ("of", "by") and STANCE_VERBS[words[verb][0].lower()] != "attributes":
        return None
    quote_end = max((i for i, (w, _o) in enumerate(words[:verb]) if w in ",\"”"), default=-1)
    before = text[:words[verb][1]]
    intro = _INTRO.match(before)
    start = len(_tokens(intro.group(0))) if intro else 0
    stop = _adverbs(words, start, verb)
    head = [w for w, _o in words[start:stop]]
    if _NO_CLAIM.match(" ".join(head)) or _VAGUE_BEFORE.search(before):
        return _silent(text, words)  # "each side asserts": no one in particular
    # "SPEAKER[, NAME,] VERB ..." from the start of the sentence
    if _speaker_ok(head) and not _HARD.search(before[intro.end() if intro else 0:].replace(
            "(", "").replace(")", "")):
        return _build(text, words, verb, start, stop)
    # "SPEAKER describes ..., and accuses ...": the subject of the first verb
    if words[verb - 1][0].lower() == "and":
        first = next((k for k in range(start, verb) if words[k][0][:1].islower()
                      and words[k][0].lower() not in _SPEAKER_WORDS), None)
        if first is not None and first > start and words[first][0].lower().endswith(("s", "ed")) \
                and _speaker_ok([w for w, _o in words[start:first]]):
            rows = _toks(text, words)
            built = _build(text, words, verb, start, first, rows=rows)
            if built is not None:
                return _finish(built)
    # "\"...,\" said SPEAKER[, ROLE]." : the speaker after the verb
    if quote_end == verb - 1 and words[quote_end][0] in ",\"”" and verb + 1 < len(words):
        tail = [w for w, _o in words[verb + 1:]]
        if tail[-1] in (".", "!", "?"):
            tail = tail[:-1]
        if _speaker_ok([w for w in tail if w != ","]) and tail.count(",") <= 1:
            return _build(text, words, verb, verb + 1, verb + 1 + len(tail),
                          reported=(0, quote_end))
    # "..., SPEAKER VERB ." at the end: a quote or clause reported
    tail = [w for w, _o in words[quote_end + 1:verb]]
    if quote_end >= 0 and tail and _tail_ok(words, verb) and not any(
            w[:1].isupper() for w in tail) and not SPEAKERS.search(" ".join(tail)) and \
            not any(w.lower() in _PRONOUNS for w in tail) and len(tail) <= 3:
        return _silent(text, words)  # "..., the statement said": no one speaks
    # "... that Baku said was carried out by Armenia": a speaker in a relative clause
    rel = next((k for k in range(verb - 1, 0, -1) if words[k][0].lower() in ("that", "which")),
               None)
    if rel is not None and verb - rel <= 5 and words[rel + 1][0][:1].isupper():
        rows = _toks(text, words)
        rows[verb][2], rows[verb][3], rows[verb][4] = "VERB", "relcl", verb
        between = list(range(rel + 1, verb))
        if len(between) == 3 and rows[between[1]][1] == "and" and all(
                rows[k][1][:1].isupper() for k in (between[0], between[2])):
            _pair(rows, between, verb)  # "which Ankara and Baku deny"
            return _finish(rows)
        if _speaker_ok([w for w, _o in words[rel + 1:verb]]) and \
                _np(rows, rel + 1, verb, verb, "nsubj") is not None:
            return _finish(rows)
        return None
    if quote_end >= 0 and _speaker_ok([w for w, _o in words[quote_end + 1:verb]]) and \
            not any(w in ",\"”“" for w, _o in words[quote_end + 1:verb]) and \
            _tail_ok(words, verb):
        return _build(text, words, verb, quote_end + 1, verb, reported=(0, quote_end))
    # "..., a statement issued by the Inter-Services Public Relations stated on Tuesday."
    issued = _issued_by(words, quote_end + 1, verb) if quote_end >= 0 else None
    if issued is not None and _tail_ok(words, verb):
        return _build(text, words, verb, issued, verb, reported=(0, quote_end))
    return None


_STATEMENT_NOUNS = frozenset({"statement", "communiqué", "communique", "release", "bulletin"})
_ISSUE_VERBS = frozenset({"issued", "released", "published", "circulated", "distributed"})


def _issued_by(words: list[tuple[str, int]], a: int, verb: int) -> int | None:
    """Where the issuer's words start in "a statement issued by the ministry" (words a..verb),
    or None: the issuer speaks, the statement is how."""
    low = [w.lower() for w, _o in words[a:verb]]
    if "by" not in low:
        return None
    by = low.index("by")
    lead = [w for w in low[:by] if w not in ("a", "an", "the", "its", "joint", "written",
                                              "official", "press")]
    if not (2 <= len(lead) <= 3 and lead[0] in _STATEMENT_NOUNS and lead[-1] in _ISSUE_VERBS):
        return None
    issuer = [w for w, _o in words[a + by + 1:verb]]
    return a + by + 1 if _speaker_ok(issuer) and "," not in issuer else None


def _adverbs(words: list[tuple[str, int]], start: int, verb: int) -> int:
    """Where the speaker ends before "on Monday", "later" and the like."""
    stop = verb
    while stop - 1 > start and (_WHEN.match(words[stop - 1][0]) or
                                words[stop - 1][0].lower() in ("had", "has", "have") or
                                words[stop - 1][0].endswith("ly") and words[stop - 1][0].islower()):
        stop -= 1  # "had stated", "categorically rejected"
    if stop - 2 > start and _WHEN.match(f"{words[stop - 2][0]} {words[stop - 1][0]}"):
        stop -= 2
    return stop


def _tail_ok(words: list[tuple[str, int]], verb: int) -> bool:
    """After a final speech verb: only a channel ("in a statement on Sunday") and the stop."""
    rest = [w.lower() for w, _o in words[verb + 1:]]
    if rest and rest[-1] in (".", "!", "?"):
        rest = rest[:-1]
    if rest and rest[-1] in ("\"", "”"):
        rest = rest[:-1]
    return not rest or (rest[0] in _CHANNEL_PREP and not _HARD.search(" ".join(rest))
                        and "that" not in rest and "," not in rest)


def _toks(text: str, words: list[tuple[str, int]]) -> list[list]:
    rows = []
    for i, (w, o) in enumerate(words):
        end = o + len(w)
        ws = text[end:end + 1] if end < len(text) and text[end] == " " else ""
        rows.append([i, w, "X", "dep", i, o, ws])
    return rows


def _finish(rows: list[list]) -> list[Tok]:
    return [Tok(*r) for r in rows]


def _np(rows: list[list], a: int, b: int, head_of: int, dep: str) -> int | None:
    """Tokens a..b-1 as one noun phrase hanging from ``head_of``: returns its head.
    "The spokeswoman for ..., Shushan Stepanyan," keeps the name as an appositive."""
    span = [i for i in range(a, b) if rows[i][1] not in (",",)]
    if not span:
        return None
    commas = [i for i in range(a, b) if rows[i][1] == ","]
    if len(commas) == 2 and commas[1] == b - 1 and not all(
            rows[i][1][:1].isupper() for i in range(commas[0] + 1, commas[1])):
        rows[commas[1]][3], rows[commas[1]][4] = "punct", head_of  # "NAME, ROLE, said"
        b, commas = b - 1, commas[:1]
        span = [i for i in range(a, b) if rows[i][1] != ","]
    name = None
    if len(commas) >= 1 and commas[0] > a:
        name = [i for i in range(commas[0] + 1, commas[1] if len(commas) > 1 else b)
                if rows[i][1] != ","]
        role = [i for i in range(a, commas[0])]
        name_caps = bool(name) and all(rows[i][1][:1].isupper() or rows[i][1] in "()"
                                       for i in name)
        role_caps = all(rows[i][1][:1].isupper() or rows[i][1] in "()" for i in role)
        if name_caps and not all(rows[i][1][:1].isupper() or rows[i][1].lower() == "the"
                                 for i in role):
            span = role  # "the spokeswoman for the ministry, Shushan Stepanyan"
        elif role_caps and name and not name_caps and len(commas) == 1:
            name = None  # "Shushan Stepanyan, the ministry's press secretary": one phrase
        else:
            return None  # "Baku, Moscow": a list, not a role and a name
    # the head: the first role noun or name after "the"
    head = next((i for i in span if rows[i][1].lower() not in ("the", "a", "an")), span[0])
    for i in span:
        if i != head:
            rows[i][3], rows[i][4] = "compound", head
    rows[head][3], rows[head][4] = dep, head_of
    for i in range(a, b):
        if rows[i][1] == "," and (name is None or i not in (commas[0],)):
            rows[i][3], rows[i][4] = "punct", head
    if rows[head][1][:1].isupper() and rows[head][1].lower() not in ("the",):
        rows[head][2] = "PROPN"
    if name:
        last = name[-1]
        for i in name[:-1]:
            rows[i][3], rows[i][4] = "compound", last
        rows[last][2], rows[last][3], rows[last][4] = "PROPN", "appos", head
        rows[commas[0]][3], rows[commas[0]][4] = "punct", head
    return head


def _build(text: str, words: list[tuple[str, int]], verb: int, a: int, b: int,
           reported: tuple[int, int] | None = None, rows: list[list] | None = None,
           ) -> list[Tok] | list[list] | None:
    """The tree of one speech verb over ``words``; with ``rows`` given, fills and returns
    those rows (a prefix of a longer sentence) instead of tokens."""
    partial = rows is not None
    rows = rows if rows is not None else _toks(text, words)
    finish = (lambda r: r) if partial else _finish
    rows[verb][2], rows[verb][3], rows[verb][4] = "VERB", "ROOT", verb
    for i in range(0, a):  # intro words hang from the verb
        rows[i][4] = verb
    if a > 1 and rows[0][1].lower() in _CHANNEL_PREP | {"for"}:  # "In another statement, ..."
        rows[0][3] = "prep"
        for i in range(1, a):
            rows[i][4] = 0
        rows[1][3] = "pobj"
    if _np(rows, a, b, verb, "nsubj") is None:
        return None
    i = _channels(rows, verb, verb + 1, len(rows), reported is None)
    if reported is not None:
        first, last = reported
        body = [k for k in range(first, last + 1)]
        if not body:
            return None
        root = next((k for k in body if rows[k][1] not in ("\"", "“", "”", ",")), body[0])
        rows[root][3], rows[root][4] = "ccomp", verb
        for k in body:
            if k != root:
                rows[k][4] = root
        for k in range(max(i, b), len(rows)):
            rows[k][3], rows[k][4] = "punct", verb
        return finish(rows)
    if STANCE_VERBS[rows[verb][1].lower()] == "attributes":
        of = next((k for k in range(i, len(rows)) if rows[k][1].lower() == "of"), None)
        if of is None or of == i:
            return None
        rows[i][3], rows[i][4] = "dobj", verb
        for k in range(i + 1, of):
            rows[k][4] = i
        rows[of][3], rows[of][4] = "prep", verb
        for k in range(of + 1, len(rows)):
            rows[k][4] = of
        return finish(rows)
    while i < len(rows) and rows[i][1] in (",", ":"):
        rows[i][3], rows[i][4] = "punct", verb
        i += 1
    if i < len(rows) and rows[i][1].lower() == "that":
        rows[i][3], rows[i][4] = "mark", verb
        i += 1
    if i >= len(rows):
        return finish(rows)
    root = i
    rows[root][3], rows[root][4] = "ccomp", verb
    # "... that it had bombed ..., and Azerbaijan took control ...": a new clause with its
    # own subject is not what was reported
    stop = next((k for k in range(root + 1, len(rows) - 2) if rows[k][1] == "," and
                 rows[k + 1][1].lower() in ("and", "but", "while", "whereas") and
                 rows[k + 2][1][:1].isupper() and rows[k + 2][1] not in ("I",)), len(rows))
    for k in range(root + 1, len(rows)):
        rows[k][4] = root if k < stop else verb
    for k in range(stop, len(rows)):
        rows[k][3] = "conj" if k == stop + 2 else "dep"
    return finish(rows)


def _channels(rows: list[list], verb: int, i: int, stop: int, one_clause: bool) -> int:
    """Channels right after a speech verb ("in a statement", "on Twitter", "to Sputnik") as
    its prepositions; returns the index after them."""
    while i < stop and (rows[i][1].lower() in _CHANNEL_PREP or rows[i][1] == "," and
                        i + 1 < stop and rows[i + 1][1].lower() in _CHANNEL_PREP):
        if rows[i][1] == ",":
            rows[i][3], rows[i][4] = "punct", verb
            i += 1
        j = i + 1
        while j < stop and rows[j][1] not in (",", ".", ":") and \
                rows[j][1].lower() not in ("that", "on", "in", "to", "at") and \
                not (one_clause and j > i + 1 and rows[j][1].lower() in STANCE_VERBS):
            j += 1
        if j == i + 1:
            break
        rows[i][3], rows[i][4] = "prep", verb
        rows[i + 1][3], rows[i + 1][4] = "pobj", i
        for k in range(i + 2, j):
            rows[k][4] = i + 1
        i = j
    return i


def _according(text: str, words: list[tuple[str, int]], at: int) -> list[Tok] | None:
    """"..., according to Baku, ...": the speaker is the object of "to"."""
    end = next((k for k in range(at + 2, len(words)) if words[k][0] in (",", ".", ";")), len(words))
    speaker = [w for w, _o in words[at + 2:end]]
    if not any(w[:1].isupper() for w in speaker) and not SPEAKERS.search(" ".join(speaker)) or \
            speaker[:1] == ["what"] and re.search(r"\b(?:the two|both|each) sides?\b",
                                                  " ".join(speaker)):
        return _silent(text, words)  # "according to the statement": no one speaks
    if not _speaker_ok(speaker) or any(w.lower() in _PRONOUNS for w in speaker):
        return None
    rows = _toks(text, words)
    rows[at][3], rows[at][4] = "prep", at
    rows[at + 1][3], rows[at + 1][4] = "prep", at
    if _np(rows, at + 2, end, at + 1, "pobj") is None:
        return None
    return _finish(rows)


def _several(text: str, words: list[tuple[str, int]], verbs: list[int],
             according: list[int]) -> list[Tok] | None:
    """"X confirmed that ..., but denied ...", "X announced ..., while Y announced ...",
    "... which the army had denied", "... which, according to Baku, ...": each later speech
    verb shares the first one's speaker, has its own, or is a relative clause."""
    if any(words[v][0].lower() in _NOUN_FORMS for v in verbs) or verbs[0] == 0:
        return None
    first = verbs[0]
    if according and according[0] < first:
        return None
    before = text[:words[first][1]]
    intro = _INTRO.match(before)
    start = len(_tokens(intro.group(0))) if intro else 0
    if not _speaker_ok([w for w, _o in words[start:first]]) or \
            _HARD.search(before[intro.end() if intro else 0:]):
        return None
    # where each later clause starts: its boundary word before the verb or "according"
    marks = sorted([(v, "verb") for v in verbs[1:]] + [(a, "according") for a in according])
    clauses = []
    for at, kind in marks:
        if kind == "according":
            begin = at - 1 if words[at - 1][0] == "," else at
            clauses.append((begin, at, kind))
            continue
        c = at - 1
        while c > first and words[c][0].lower() not in _BOUNDARY:
            c -= 1
        if c <= first:
            return None
        clauses.append((c, at, kind))
    rows = _toks(text, words)
    end = clauses[0][0]
    built = _build(text, words[:end], first, start, first, rows=rows[:end])
    if built is None:
        return None
    rows[:end] = built
    for n, (c, at, kind) in enumerate(clauses):
        stop = clauses[n + 1][0] if n + 1 < len(clauses) else len(rows)
        for k in range(c, at):
            rows[k][3], rows[k][4] = "punct", at
        if kind == "according":
            close = next((k for k in range(at + 2, stop) if rows[k][1] in (",", ".", ";")), stop)
            speaker = [rows[k][1] for k in range(at + 2, close)]
            if not _speaker_ok(speaker) or any(w.lower() in _PRONOUNS for w in speaker):
                return None
            rows[at][3], rows[at][4] = "prep", first
            rows[at + 1][3], rows[at + 1][4] = "prep", at
            if _np(rows, at + 2, close, at + 1, "pobj") is None:
                return None
            for k in range(close, stop):
                rows[k][3], rows[k][4] = "punct", first
            continue
        between = [k for k in range(c + 1, at) if rows[k][1].lower() not in _AUX]
        if len(between) >= 2 and _WHEN.match(f"{rows[between[0]][1]} {rows[between[1]][1]}"):
            between = between[2:]  # "that on Sunday it had confirmed"
        if len(between) == 3 and rows[between[1]][1] == "and" and all(
                rows[k][1][:1].isupper() for k in (between[0], between[2])):
            rows[at][2], rows[at][3], rows[at][4] = "VERB", "relcl", first
            _pair(rows, between, at)  # "which Ankara and Baku deny"
            continue
        relative = rows[c][1].lower() == "which"
        participle = not between and rows[at][1].lower().endswith("ing")  # ", saying that"
        rows[at][2], rows[at][3], rows[at][4] = "VERB", (
            "relcl" if relative else "advcl" if participle else "conj"), first
        if between:
            if not _speaker_ok([rows[k][1] for k in between]) or \
                    _np(rows, between[0], between[-1] + 1, at, "nsubj") is None:
                return None
        elif relative:
            return None
        if STANCE_VERBS[rows[at][1].lower()] == "attributes":
            return None
        k = _channels(rows, at, at + 1, stop, True)
        while k < stop and rows[k][1] in (",", ":", "that"):
            rows[k][3], rows[k][4] = "mark", at
            k += 1
        if k < stop:
            rows[k][3], rows[k][4] = "ccomp", at
            for j in range(k + 1, stop):
                rows[j][4] = k
    return _finish(rows)
