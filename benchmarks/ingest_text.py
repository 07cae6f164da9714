"""Text extraction throughput on one core, in English and Russian, with peak memory.

The texts are unseen: ~600-word articles assembled from the frozen test split of
the evaluation set (``tests/data/ingest_gold/real_test.jsonl``), whose documents
no rule was written against, one language at a time. Runs the whole pipeline
(language identification, cleaning to claims, spaCy for the English speech
sentences the rules leave, agreements) pinned to one CPU with one BLAS thread.
Models load and are warmed on a dev document before timing. The first pass over
the articles is timed apart from the later ones (word caches warm up).
Prints a Markdown table for BENCHMARKS.md.

    .venv/bin/python benchmarks/ingest_text.py [--rounds 5] [--words 600]
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import json  # noqa: E402
import resource  # noqa: E402
import time  # noqa: E402
from datetime import date  # noqa: E402
from pathlib import Path  # noqa: E402

from truce.ingest.text import extract  # noqa: E402
from truce.ingest.text.pipeline import default_index  # noqa: E402

GOLD = Path(__file__).parents[1] / "tests" / "data" / "ingest_gold"


def articles(lang: str, words: int) -> list[tuple[str, date]]:
    """Test-split documents of one language, joined into articles of about ``words``."""
    docs = [json.loads(line) for line in (GOLD / "real_test.jsonl").read_text(
        encoding="utf-8").splitlines() if line.strip()]
    docs = [d for d in docs if d.get("lang", "en") == lang]
    out: list[tuple[str, date]] = []
    current: list[str] = []
    published = date.fromisoformat(docs[0]["published"])
    for d in docs:
        current.append(d["text"])
        published = max(published, date.fromisoformat(d["published"]))
        if sum(len(t.split()) for t in current) >= words:
            out.append(("\n\n".join(current), published))
            current = []
    return out


def rate(texts: list[tuple[str, date]], rounds: int) -> tuple[float, float, float]:
    """(articles per second of wall time, per second of this process's CPU time, words per
    article): on a shared machine the CPU rate is what one free core would give."""
    started, cpu = time.perf_counter(), time.process_time()
    for _ in range(rounds):
        for text, published in texts:
            extract(text, published, "wire")
    n = rounds * len(texts)
    return n / (time.perf_counter() - started), n / (time.process_time() - cpu), \
        sum(len(t.split()) for t, _p in texts) / len(texts)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--words", type=int, default=600)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    default_index()
    dev = [json.loads(line) for line in (GOLD / "real_dev.jsonl").read_text(
        encoding="utf-8").splitlines() if line.strip()]
    for lang in ("en", "ru"):  # load spaCy, pymorphy3, py3langid; warm on dev text
        warm = next(d for d in dev if d.get("lang", "en") == lang)
        extract(warm["text"], date.fromisoformat(warm["published"]))
    rows = []
    for lang in ("en", "ru"):
        texts = articles(lang, args.words)
        first, first_cpu, words = rate(texts, 1)
        later, later_cpu, _w = rate(texts, args.rounds)
        rows.append((lang, len(texts), words, first, first_cpu, later, later_cpu))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("| language | articles | words/article | first pass, articles/s (wall / CPU) | "
          "later passes, articles/s (wall / CPU) |")
    print("|---|---:|---:|---:|---:|")
    for lang, n, words, first, first_cpu, later, later_cpu in rows:
        print(f"| {lang} | {n} | {words:.0f} | {first:.1f} / {first_cpu:.1f} | "
              f"{later:.1f} / {later_cpu:.1f} |")
    print(f"\nLoad average at the end: {os.getloadavg()[0]:.1f}")
    print(f"\nPeak resident memory of the process (models loaded): {peak:.0f} MiB")


if __name__ == "__main__":
    main()
