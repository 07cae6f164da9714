"""Text extraction throughput on one core, peak memory, and the dev-set scores.

Runs the whole pipeline (cleaning to claims, spaCy for the speech sentences)
on the development set's documents and on the long example article, pinned
to one CPU with one BLAS/torch thread. The model is loaded and warmed before
timing. Prints a Markdown table for BENCHMARKS.md.

    .venv/bin/python benchmarks/ingest_text.py [--rounds 20]
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import json  # noqa: E402
import resource  # noqa: E402
import time  # noqa: E402
import tracemalloc  # noqa: E402
from datetime import date  # noqa: E402
from pathlib import Path  # noqa: E402

from truce.ingest.text import extract  # noqa: E402
from truce.ingest.text.evaluate import evaluate_documents  # noqa: E402
from truce.ingest.text.pipeline import SpacyExtractor, default_index  # noqa: E402

GOLD = Path(__file__).parents[1] / "tests" / "data" / "ingest_gold" / "dev.jsonl"


def rate(docs: list[dict], rounds: int, extractor: SpacyExtractor | None = None,
         ) -> tuple[float, float]:
    """(articles per second, mean words per article)."""
    started = time.perf_counter()
    for _ in range(rounds):
        for d in docs:
            extract(d["text"], date.fromisoformat(d["published"]), d.get("source", ""),
                    extractor=extractor)
    elapsed = time.perf_counter() - started
    words = sum(len(d["text"].split()) for d in docs) / len(docs)
    return rounds * len(docs) / elapsed, words


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    docs = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines()]
    default_index()
    extract(docs[0]["text"], date(2020, 10, 15))  # load spaCy, warm caches
    short = [d for d in docs if len(d["text"].split()) < 300]
    long = [d for d in docs if len(d["text"].split()) >= 300]
    # the same run, both paths: the parser for every speech sentence (before), and the
    # speech rules with the parser only for sentences the rules leave (after)
    parser_only, hybrid = SpacyExtractor(rules=False), SpacyExtractor(rules=True)
    parser_only._nlp = hybrid.nlp  # one model in memory
    rates = {}
    for name, ex in (("parser for every speech sentence", parser_only),
                     ("speech rules, parser as fallback", hybrid)):
        extract(docs[0]["text"], date(2020, 10, 15), extractor=ex)
        ex.parsed = 0
        short_rate, short_words = rate(short, args.rounds, ex)
        long_rate, long_words = rate(long, max(1, args.rounds // 2) * 2, ex)
        rates[name] = (short_rate, long_rate, ex.parsed)
    tracemalloc.start()
    for d in docs:
        extract(d["text"], date.fromisoformat(d["published"]))
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    scores = evaluate_documents(docs)
    print(f"| path | short excerpts ({len(short)} docs, ~{short_words:.0f} words) | "
          f"full article ({len(long)} doc, ~{long_words:.0f} words) |")
    print("|---|---|---|")
    for name, (short_rate, long_rate, _parsed) in rates.items():
        print(f"| {name} | {short_rate:.1f} articles/s | {long_rate:.1f} articles/s |")
    print()
    print("| measure | value |")
    print("|---|---|")
    print(f"| peak Python allocations while extracting (tracemalloc) | {peak / 2**20:.1f} MiB |")
    print(f"| peak resident memory of the process, model loaded (ru_maxrss) | {rss_mb:.0f} MiB |")
    for what in ("events", "claims", "places", "numbers"):
        s = scores[what]
        print(f"| {what} P / R / F1 | {s['precision']:.3f} / {s['recall']:.3f} / {s['f1']:.3f} |")
    print(f"| stance accuracy | {scores['stance_accuracy']:.3f} ({scores['stance_pairs']} pairs) |")
    print(f"| place resolution accuracy | {scores['place_resolution_accuracy']:.3f} "
          f"({scores['place_pairs']} places) |")


if __name__ == "__main__":
    main()
