"""Case-blind patterns read lower-cased ASCII text case-sensitively: the same matches."""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import pytest

from truce.ingest.text.cleaning import clean
from truce.ingest.text.lowered import Blind
from truce.ingest.text.sentences import split_sentences

GOLD = Path(__file__).parents[2] / "data" / "ingest_gold"
STAGES = ("assemble", "attribution", "claims", "cleaning", "dates", "events", "numbers",
          "perpetrators", "pipeline", "places", "russian", "russian_words", "sentences", "speech",
          "truces")


def _dev_sentences() -> list[str]:
    out = []
    for name in ("dev.jsonl", "real_dev.jsonl", "real_dev2.jsonl"):
        for line in (GOLD / name).read_text(encoding="utf-8").splitlines():
            if line.strip():
                out += [s.text for s in split_sentences(clean(json.loads(line)["text"]).paragraphs)]
    return out


def _blind_patterns() -> list[tuple[str, Blind]]:
    found = []
    for stage in STAGES:
        module = importlib.import_module(f"truce.ingest.text.{stage}")
        for name, value in vars(module).items():
            values = value if isinstance(value, list) else [value]
            for k, item in enumerate(values):
                for part in item if isinstance(item, tuple) else (item,):
                    if isinstance(part, Blind):
                        found.append((f"{stage}.{name}[{k}]", part))
    return found


def test_every_stage_pattern_finds_what_the_case_blind_pattern_finds():
    sentences = _dev_sentences() + ["ARMENIAN FORCES SHELLED TARTAR ON 14 OCTOBER",
                                    "Azerbaijan's Army Says It Downed Two Drones",
                                    "МИНОБОРОНЫ АЗЕРБАЙДЖАНА: ВС АРМЕНИИ ОБСТРЕЛЯЛИ ТЕРТЕР"]
    patterns = _blind_patterns()
    assert len(patterns) > 50
    for name, pattern in patterns:
        for text in sentences:
            fast = [(m.span(), m.groups()) for m in pattern.finditer(text)]
            slow = [(m.span(), m.groups()) for m in pattern.blind.finditer(text)]
            assert fast == slow, (name, text)
            for at in (0, len(text) // 2):
                a, b = pattern.match(text, at), pattern.blind.match(text, at)
                assert (a and (a.span(), a.groups())) == (b and (b.span(), b.groups())), (name, text)


def test_a_match_in_lower_case_hands_back_the_words_as_written():
    m = Blind(r"\b(?P<verb>shell(?:ed|ing))\s+([A-Z]\w+)").search("Armenia Shelled Tartar.")
    assert m.group(0) == "Shelled Tartar" and m.group("verb") == "Shelled" and m[2] == "Tartar"
    assert Blind(r"[A-Z]\w+ said").search("the ministry said").group(0) == "ministry said"


def test_russian_is_read_in_lower_case_and_other_scripts_case_blind():
    assert Blind(r"обстрел\w* Тертер").search("ОБСТРЕЛЯЛИ ТЕРТЕР — ТАСС").group(0) == \
        "ОБСТРЕЛЯЛИ ТЕРТЕР"
    # "ſ" (long s) matches "s" case-blind; lower-casing would lose that
    assert Blind(r"\bshelled\b").search("ſhelled Tartar") is not None


def test_a_text_without_the_words_a_pattern_needs_is_skipped_and_empty_matches_stay():
    pattern = Blind(r"\b(?:shell(?:ed|ing)|bombard\w*)\b")
    assert pattern.needs == ("bombard", "shell")
    assert pattern.search("Calm prevailed in Tartar") is None
    assert Blind(r"^\s*$").search("").span() == (0, 0)


def test_a_pattern_with_case_sensitive_parts_is_refused():
    with pytest.raises(ValueError):
        Blind(r"(?-i:Baku) said")
