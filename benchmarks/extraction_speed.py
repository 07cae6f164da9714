"""Extraction speed on the dev split: per document, per ~600-word article, and through the service.

Three measures on ``tests/data/ingest_gold/real_dev.jsonl`` (the split rules are written
against; ``benchmarks/ingest_text.py`` times the frozen test split's texts):

- each dev document as one input (short excerpts, ~70 words), English and Russian;
- dev documents of one language joined into ~600-word articles (the issue's size);
- ``service.review.ingest_text`` into a fresh SQLite store holding the gazetteer (what
  ``truce ingest`` and ``POST /api/ingest`` run: the store's place index, the proposals
  and their ledger entries).

Pinned to one CPU with one BLAS thread; models loaded and warmed on one document first.
Only one pass is timed, each measure from emptied word and date caches (they would
flatter later passes). Prints
ms per input and inputs per second, on CPU (what a free core gives) and wall (this shared
machine), and the load average.

    .venv/bin/python benchmarks/extraction_speed.py [--words 600]
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import gc  # noqa: E402
import json  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from datetime import UTC, date, datetime  # noqa: E402
from pathlib import Path  # noqa: E402

from truce.ingest.text import extract  # noqa: E402
from truce.ingest.text.pipeline import default_index  # noqa: E402

DEV = Path(__file__).parents[1] / "tests" / "data" / "ingest_gold" / "real_dev.jsonl"


def joined(docs: list[dict], words: int) -> list[tuple[str, date]]:
    """Documents joined in order into texts of at least ``words`` words (the rest dropped)."""
    out, current, published = [], [], None
    for d in docs:
        current.append(d["text"])
        day = date.fromisoformat(d["published"])
        published = max(published or day, day)
        if sum(len(t.split()) for t in current) >= words:
            out.append(("\n\n".join(current), published))
            current, published = [], None
    return out


def forget() -> None:
    """Empty the caches that learn words and dates, so that each measure starts cold."""
    from truce.ingest.text import dates, russian_words
    from truce.ingest.text.places import PlaceIndex

    dates._parse_absolute.cache_clear()
    russian_words._parse.cache_clear()
    for obj in gc.get_objects():
        if isinstance(obj, PlaceIndex):
            obj.memo.clear()
            obj.candidates.cache_clear()


def timed(run: Callable[[str, date], object], texts: list[tuple[str, date]]) -> tuple[float, float]:
    """(CPU ms, wall ms) per text, one pass from cold caches."""
    forget()
    cpu, wall = time.process_time(), time.perf_counter()
    for text, published in texts:
        run(text, published)
    n = len(texts)
    return 1000 * (time.process_time() - cpu) / n, 1000 * (time.perf_counter() - wall) / n


def service_runner() -> Callable[[str, date], object]:
    """``ingest_text`` into a fresh SQLite store with the shipped gazetteer."""
    from truce.geo.gazetteer import read_gazetteer
    from truce.service.review import ingest_text
    from truce.store.engine import make_engine
    from truce.store.schema import upgrade
    from truce.store.uow import UnitOfWork

    engine = make_engine(str(Path(tempfile.mkdtemp()) / "speed.db"))
    upgrade(engine)
    with UnitOfWork(engine) as uow:
        uow.places.add_many(p for p, _o in read_gazetteer())
        uow.commit()
    now = datetime(2026, 1, 1, tzinfo=UTC)

    def run(text: str, published: date) -> object:
        with UnitOfWork(engine) as uow:
            return ingest_text(uow, text, published, "wire", now, language="auto")
    return run


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--words", type=int, default=600)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    docs = [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip()]
    default_index()
    service = service_runner()
    for lang in ("en", "ru"):  # load spaCy, pymorphy3, py3langid; warm on one document
        warm = next(d for d in docs if d.get("lang", "en") == lang)
        extract(warm["text"], date.fromisoformat(warm["published"]))
        service(warm["text"], date.fromisoformat(warm["published"]))
    rows = []
    for lang in ("en", "ru"):
        mine = [d for d in docs if d.get("lang", "en") == lang]
        single = [(d["text"], date.fromisoformat(d["published"])) for d in mine]
        articles = joined(mine, args.words)
        words = sum(len(t.split()) for t, _p in single) / len(single)
        rows.append((lang, "dev document", len(single), words, *timed(
            lambda t, p: extract(t, p, "wire"), single)))
        rows.append((lang, "dev document, through ingest_text", len(single), words,
                     *timed(service, single)))
        words = sum(len(t.split()) for t, _p in articles) / max(len(articles), 1)
        rows.append((lang, f"~{args.words}-word article", len(articles), words, *timed(
            lambda t, p: extract(t, p, "wire"), articles)))
    print("| language | input | n | words | CPU ms / input | articles/s on CPU | "
          "wall ms / input | articles/s wall |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for lang, what, n, words, cpu, wall in rows:
        print(f"| {lang} | {what} | {n} | {words:.0f} | {cpu:.1f} | {1000 / cpu:.1f} | "
              f"{wall:.1f} | {1000 / wall:.1f} |")
    print(f"\nLoad average (1 min) at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
