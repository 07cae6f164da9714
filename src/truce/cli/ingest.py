"""`truce ingest FILE...` (text into proposals) and `truce ingest evaluate GOLD.jsonl`."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import click
import typer
from rich.table import Table
from rich.text import Text
from typer.core import TyperGroup

from ..ingest.text.model import highlight_spans
from ..service.review import Proposal, ingest_text, list_proposals
from .common import (
    DbOption,
    FormatOption,
    OutputFormat,
    console,
    emit_record,
    emit_rows,
    fail,
    parse_day,
    unit_of_work,
)


class _DefaultToText(TyperGroup):
    """`truce ingest FILE...` means `truce ingest text FILE...`; subcommands win."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = ["text", *args]
        return super().parse_args(ctx, args)


app = typer.Typer(cls=_DefaultToText, no_args_is_help=True,
                  help="Texts (articles, statements) into proposals for review; "
                       "`truce ingest FILE...` is `truce ingest text FILE...`.")


def _what(p: Proposal) -> str:
    d = p.payload
    why = "; ".join(f"{w['role']} «{w['text']}»" for w in d.get("why") or [])
    return _summary(p) + (f"\nwhy: {why}" if why else "")


def _marked(p: Proposal) -> Text:
    """The sentence with the words the proposal rests on highlighted."""
    sentence = p.sentence if len(p.sentence) <= 200 else p.sentence[:199] + "…"
    text = Text()
    for piece, role in highlight_spans(sentence, p.payload.get("why") or []):
        text.append(piece, style=_ROLE_STYLE.get(role or "", ""))
    return text


_ROLE_STYLE = {"trigger": "bold red", "place": "bold green", "date": "bold cyan",
               "perpetrator": "bold magenta", "figure": "bold yellow", "speaker": "bold blue",
               "verb": "underline"}


def _summary(p: Proposal) -> str:
    d = p.payload
    if p.kind == "agreement":
        return (f"agreement {d['name']}: from {d['start']}; parties {', '.join(d['parties'])}"
                + (f"; mediators {', '.join(d['mediators'])}" if d.get("mediators") else "")
                + f"; terms {', '.join(t['kind'] for t in d['terms'])}")
    if p.kind == "translation":
        return (f"in {d['language']}: for a translator; places "
                f"{', '.join(x['name'] for x in d['places']) or '-'}")
    if p.kind == "claim":
        extra = f" → {d['value']}" if d.get("value") else ""
        channel = f" (on {d['channel']})" if d.get("channel") else ""
        return f"{d['actor']}{channel} {d['stance']} {d['proposition']}{extra}"
    if p.kind == "figure":
        return f"{d['meaning']} {d['value']} {d['unit']}".strip()
    place = d.get("place") or {}
    where = place.get("name") or "?"
    if place and not place.get("resolved"):
        where += f" (unresolved, {place.get('country') or '?'})"
    elif place:
        where += f" ({place.get('precision')})"
    numbers = ", ".join(f"{n['meaning']} {n['value']}" + (f"/{n['whole']}" if n.get("whole") else "")
                        + f" {n['unit']}" for n in d.get("numbers", []))
    kind = d.get("event_type") or "calm"
    text = f"{kind} / {d.get('sub_type') or '-'}; {d['start']} ({d['time_precision']}); {where}"
    text += f"; weapon {d['weapon_class']}" if d.get("weapon_class") not in ("unknown", "none") else ""
    text += f"; {numbers}" if numbers else ""
    text += f"; harm: {', '.join(d['harm'])}" if d.get("harm") else ""
    text += f"; probably incident {d['link']}" if d.get("link") else ""
    text += f"; by {d['perpetrator']} (as the text says)" if d.get("perpetrator") else ""
    return text


def print_proposals(proposals: list[Proposal], title: str,
                    fmt: OutputFormat = OutputFormat.TABLE) -> None:
    if fmt is not OutputFormat.TABLE:
        emit_rows([{"id": p.id, "kind": p.kind, "status": p.status, "confidence": p.confidence,
                    "proposal": _what(p), "sentence": p.sentence, "payload": p.payload}
                   for p in proposals], fmt, columns=("id", "kind", "status", "confidence", "proposal",
                                                       "sentence"))
        return
    table = Table(title=title, show_lines=True)
    for column in ("id", "kind", "proposal", "conf.", "sentence"):
        table.add_column(column, no_wrap=column == "id")
    for p in proposals:
        table.add_row(p.id, p.kind, _what(p), f"{p.confidence:.2f}", _marked(p))
    console.print(table)


@app.command("text")
def text(
    files: Annotated[list[Path], typer.Argument(help="Text files (UTF-8), one article or statement each.")],
    published: Annotated[str, typer.Option("--published", help="Publication date (YYYY-MM-DD); "
                                           "'yesterday' in the text is the day before.")],
    source: Annotated[str | None, typer.Option("--source", help="Source id or name, e.g. 'AFP' "
                                               "(default: the file name); a name not in `truce sources "
                                               "list` is added as a news outlet.")] = None,
    language: Annotated[str, typer.Option("--language", help="Language of the text (ISO 639-1), "
                                          "or 'auto' to identify it.")] = "auto",
    db: DbOption = None,
) -> None:
    """Propose events, claims and figures from texts; they wait for review.

    Example: truce ingest tests/data/article-2020-10-15.txt --published 2020-10-15 --source AFP
    """
    day = parse_day(published, "published")
    assert day is not None
    now = datetime.now(UTC)
    for path in files:
        if not path.is_file():
            fail(f"{path}: no such file")
    contents = {}
    for path in files:  # every file is read before anything is stored
        try:
            contents[path] = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            fail(f"{path}: not UTF-8 text")
    with unit_of_work(db, actor="cli") as uow:
        for path, content in contents.items():  # each file's proposals are stored as one
            ids = ingest_text(uow, content, day, source or path.stem, now, language=language)
            by_id = {p.id: p for p in list_proposals(uow, status="pending")}
            shown = [by_id[i] for i in ids]
            print_proposals(shown, f"{path.name}: {len(shown)} proposals (pending review)")
    console.print("Review them with `truce review list`, then `truce review accept|reject ID`.")


@app.command("evaluate")
def evaluate(
    gold: Annotated[Path, typer.Argument(help="Gold annotations, JSON Lines (one document a line).")],
    fmt: FormatOption = OutputFormat.TABLE,
) -> None:
    """Score the extraction against hand-annotated gold: P/R/F1 and accuracies.

    Example: truce ingest evaluate tests/data/ingest_gold/dev.jsonl
    """
    from ..ingest.text.evaluate import evaluate_file

    if not gold.is_file():
        fail(f"{gold}: no such file")
    try:
        scores = evaluate_file(gold)
    except ValueError as exc:
        fail(f"{gold}: {exc}")
    emit_record(scores, fmt, lambda: print_scores(scores, gold.name))


def print_scores(scores: dict[str, Any], name: str) -> None:
    table = Table(title=f"Extraction vs {name} ({scores['documents']} documents)")
    for column in ("what", "precision", "recall", "F1", "tp", "fp", "fn"):
        table.add_column(column, justify="right" if column != "what" else "left")
    rows = [(what, scores[what]) for what in ("events", "claims", "places", "numbers",
                                              "agreements")]
    rows += [(f"events ({lang})", s) for lang, s in scores.get("events_by_language", {}).items()]
    for what, s in rows:
        table.add_row(what, f"{s['precision']:.3f}", f"{s['recall']:.3f}", f"{s['f1']:.3f}",
                      str(s["tp"]), str(s["fp"]), str(s["fn"]))
    console.print(table)
    console.print(f"perpetrator accuracy: {scores['perpetrator_accuracy']:.3f} "
                  f"({scores['perpetrator_events']} matched events whose text names one, of "
                  f"{scores['perpetrator_gold']})")
    console.print(f"stance accuracy: {scores['stance_accuracy']:.3f} "
                  f"({scores['stance_pairs']} claims matched by actor)")
    console.print(f"place resolution accuracy: {scores['place_resolution_accuracy']:.3f} "
                  f"({scores['place_pairs']} places found by name)")
