"""How a moment is written for a machine: the one rule every machine-readable
output follows (API JSON, GeoJSON and CSV exports, webhooks, the CLI's JSON
and CSV). People read moments in the theatre's zone (``service.labels``).
"""

from __future__ import annotations

from datetime import UTC, datetime

__all__ = ["utc_iso"]


def utc_iso(moment: datetime | None) -> str | None:
    """A moment as ISO 8601 in UTC with ``Z``, to the whole second (sub-second
    digits dropped, so every output writes one moment as one string); None
    for None. A naive datetime is refused, never guessed. Ledger content and
    content hashes keep their own format (``records.plain``), not this one.

    >>> from datetime import timedelta, timezone
    >>> utc_iso(datetime(2020, 10, 14, 11, 30, tzinfo=timezone(timedelta(hours=4))))
    '2020-10-14T07:30:00Z'
    >>> utc_iso(datetime(2026, 12, 2, 11, 50, 32, 667297, tzinfo=timezone.utc))
    '2026-12-02T11:50:32Z'
    """
    if moment is None:
        return None
    if moment.tzinfo is None:
        raise ValueError(f"naive datetime {moment!r}: a time zone is required")
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
