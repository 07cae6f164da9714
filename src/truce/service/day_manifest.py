"""The day's published record set, committed into the ledger.

A bundle's inclusion proofs show that what it holds is in the log, not that
it holds all of the day, nor which day it is. So the day's set is itself a
ledger entry, ``day.manifest`` with record id ``day/<YYYY-MM-DD>``:

    {"date": "2020-10-14", "supersedes": 2301 | null,
     "records": [{"table": "claims", "record_id": "claims/c-1", "content_hash": "<hex>"}, ...]}

one item per published record of that day (sorted by ``record_id``), with
the content hash of the newest row entry for it: the record exactly as it
was when the manifest was made. It is appended when a bundle of the day is
built and the set changed since the newest manifest of the day (which it
then supersedes), so building the same bundle twice adds nothing. A bundle
carries the manifest's entry and inclusion proof; ``truce.verifier`` checks
that the bundle's date is the manifest's and that it holds exactly the
manifest's records.
"""

from __future__ import annotations

from datetime import date

from ..store.uow import UnitOfWork

__all__ = ["ACTION", "commit_manifest", "manifest_id"]

ACTION = "day.manifest"


def manifest_id(day: date) -> str:
    return f"day/{day.isoformat()}"


def commit_manifest(uow: UnitOfWork, day: date, records: list[dict[str, str]]) -> int:
    """The sequence number of the newest manifest of ``day`` listing exactly
    ``records`` (``table``, ``record_id``, ``content_hash`` each), appending
    one when the day's set changed; the caller commits ``uow``."""
    items = sorted(records, key=lambda r: r["record_id"])
    newest = uow.newest_entry(manifest_id(day), ACTION)
    if newest is not None and newest[1].get("records") == items:
        return newest[0]
    content = {"date": day.isoformat(), "supersedes": newest[0] if newest else None, "records": items}
    uow.record(ACTION, manifest_id(day), content)
    return uow.ledger_head()[0]
