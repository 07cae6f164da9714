"""Read the shipped gazetteer CSV into places."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from ..data import DATA_DIR
from ..domain.places import Place

__all__ = ["GAZETTEER_CSV", "read_gazetteer"]

GAZETTEER_CSV = DATA_DIR / "gazetteer.csv"


def read_gazetteer(path: Path = GAZETTEER_CSV) -> Iterator[tuple[Place, str]]:
    """Yield (place, origin) for each row of a gazetteer CSV."""
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            alternates = tuple(n for n in (row.get("alternatenames") or "").split("|") if n)
            population = row.get("population") or ""
            yield Place(
                id=row["id"], name=row["name"], latitude=float(row["latitude"]),
                longitude=float(row["longitude"]), country=row["country"],
                admin1=row.get("admin1") or None,
                population=int(population) if population.isdigit() else None,
                alternatenames=alternates,
            ), row.get("origin") or "geonames"
