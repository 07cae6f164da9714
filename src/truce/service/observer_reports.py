"""Submitting an observer's signed field report, and its evidence files.

``submit_observer_report`` takes the body exactly as received (the signature
covers it) and the parsed ``ObserverReport``. It refuses, with the field and
the reason and nothing written: a bad signature (checked against the
observer's key valid at receipt, ``store.keys``), an observation in the
future, a position outside the theatre. A retry of a stored report returns
the stored one; the same id with other content is a Conflict.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, BinaryIO

from pyproj import Geod

from ..domain.actors import Source, SourceKind
from ..domain.canonical import canonical_bytes, sha256_hex
from ..domain.exceptions import Conflict, GeometryError, NotFound, PermissionDenied, ValidationError
from ..domain.incidents import Report
from ..store.uow import UnitOfWork, use_case
from . import signing, tasks
from .records import add_party_actor_source, add_report, report_content
from .report_format import ObserverReport
from .users import Principal, Role

__all__ = [
    "DEFAULT_BBOX", "Checked", "EvidenceFile", "Submitted", "add_evidence", "check_in_theatre",
    "check_observer_report", "estimate_position", "observer_source_id", "own_report", "store_observer_report",
    "submit_observer_report", "theatre_bbox",
]

DEFAULT_BBOX = (44.0, 38.3, 50.9, 41.95)  # min lon, min lat, max lon, max lat
DEFAULT_BEARING_UNCERTAINTY_DEG = 5.0
DEFAULT_DISTANCE_UNCERTAINTY = 0.25  # of the distance, when the observer gives none
_geod = Geod(ellps="WGS84")


@lru_cache
def theatre_bbox() -> tuple[float, float, float, float]:
    """The theatre's bounding box from the shipped scenario, else the default."""
    try:
        text = resources.files("truce.data").joinpath("scenario.json").read_text("utf-8")
        box = json.loads(text)["theatre"]["bbox"]
        return (float(box[0]), float(box[1]), float(box[2]), float(box[3]))
    except (OSError, KeyError, TypeError, ValueError, IndexError):
        return DEFAULT_BBOX


def check_in_theatre(latitude: float, longitude: float, field: str) -> None:
    """GeometryError naming ``field`` unless the point is inside the theatre."""
    west, south, east, north = theatre_bbox()
    if not (south <= latitude <= north and west <= longitude <= east):
        raise GeometryError(
            f"{latitude:.5f}, {longitude:.5f} is outside the theatre "
            f"(latitude {south}..{north}, longitude {west}..{east})", field=field,
            remedy="check the coordinates' order and sign")


def estimate_position(latitude: float, longitude: float, bearing_deg: float, distance_m: float, *,
                      distance_uncertainty_m: float | None = None,
                      bearing_uncertainty_deg: float | None = None,
                      observer_accuracy_m: float | None = None) -> dict[str, float]:
    """Where an observation was, from the observer's position, bearing and
    distance, on the WGS84 ellipsoid, with a one-sigma-like radius.

    The radius combines the error along the line of sight (the distance
    uncertainty, default 25 % of the distance), across it (the distance
    times the tangent of the bearing uncertainty, default 5 degrees) and the
    observer's own position accuracy, in quadrature.

    >>> e = estimate_position(40.0, 47.0, 90.0, 1000.0, distance_uncertainty_m=100.0)
    >>> round(e["latitude"], 4), round(e["longitude"], 4), e["along_m"]
    (40.0, 47.0117, 100.0)
    """
    lon2, lat2, _back = _geod.fwd(longitude, latitude, bearing_deg, distance_m)
    along = distance_uncertainty_m if distance_uncertainty_m is not None else (
        DEFAULT_DISTANCE_UNCERTAINTY * distance_m)
    bearing_sigma = (bearing_uncertainty_deg if bearing_uncertainty_deg is not None
                     else DEFAULT_BEARING_UNCERTAINTY_DEG)
    across = distance_m * math.tan(math.radians(bearing_sigma))
    own = observer_accuracy_m or 0.0
    return {"latitude": round(lat2, 6), "longitude": round(lon2, 6),
            "uncertainty_m": round(math.sqrt(along**2 + across**2 + own**2), 1),
            "along_m": round(along, 1), "across_m": round(across, 1)}


MISSION_OBSERVERS = "s-mission-observers"


def observer_source_id(user_id: str) -> str:
    """The source every observer report cites: the mission's observers as one
    body. Not a per-observer pseudonym, which would let anyone follow one
    observer's reports; who filed a report is kept in the report itself,
    for mission staff only."""
    return MISSION_OBSERVERS


def _ensure_source(uow: UnitOfWork, user_id: str) -> str:
    source_id = observer_source_id(user_id)
    if not uow.directory.source_exists(source_id):
        add_party_actor_source(uow, Source(id=source_id, name="Mission observers",
                                           kind=SourceKind.OBSERVER))
    return source_id


def _check_own_report(uow: UnitOfWork, observer: Principal, report_id: str) -> None:
    """A correction names a report of the same observer. Whether the id is
    unknown or another observer's, the answer is the same: it must not tell
    one observer what exists of another's."""
    try:
        own_report(uow, observer, report_id)
    except NotFound:
        raise ValidationError(f"you have no report with id {report_id!r} to correct",
                              field="corrects", remedy="a correction names one of your own reports") from None


@dataclass(frozen=True)
class Submitted:
    report: Report
    content_hash: str
    replayed: bool


@dataclass(frozen=True)
class Checked:
    """A submission that passed every check needing no write lock
    (``check_observer_report``), ready for ``store_observer_report``."""

    observer: Principal
    report: Report
    content_hash: str
    signature: str | None
    task: str | None
    now: datetime
    replayed: Submitted | None  # already stored: a retry, answered as the first time


def _replay_of(uow: UnitOfWork, stored: Any, checked_observer: Principal, report: Report,
               content_hash: str, signature: str | None) -> Submitted | None:
    """The stored report if ``report`` is a retry of ``stored`` (same observer,
    content and signature), else None."""
    if (stored.observer_id == checked_observer.id and stored.content_hash == content_hash
            and stored.signature == signature):
        return Submitted(uow.reports.get(report.id), content_hash, replayed=True)
    return None


def check_observer_report(uow: UnitOfWork, observer: Principal, body: dict[str, Any],
                          parsed: ObserverReport, now: datetime, *,
                          future_tolerance_s: int = 300) -> Checked:
    """Every check of a submission that needs no write lock: the role, the
    canonical form, the signature against the key valid ``now``, the time,
    the theatre, the task. Reads only; raises the refusal with its field."""
    if observer.role is not Role.OBSERVER:
        raise PermissionDenied("only observers submit observer reports")
    unsigned = {k: v for k, v in body.items() if k != signing.SIGNATURE_FIELD}
    try:
        signed_bytes = canonical_bytes(unsigned)
    except (TypeError, ValueError) as exc:
        raise ValidationError(f"the body cannot be put in canonical form: {exc}", field="body") from None
    estimates = []
    for n, obs in enumerate(parsed.observations):
        if obs.bearing_deg is not None and obs.distance_m is not None:
            estimate = estimate_position(
                parsed.position.latitude, parsed.position.longitude, obs.bearing_deg,
                obs.distance_m, distance_uncertainty_m=obs.distance_uncertainty_m,
                bearing_uncertainty_deg=obs.bearing_uncertainty_deg,
                observer_accuracy_m=parsed.position.accuracy_m)
            estimates.append({"observation": n, **estimate})
    target = estimates[0] if estimates else None
    report = Report(
        id=str(parsed.id), source=observer_source_id(observer.id), received=now,
        summary=parsed.summary, observed_at=parsed.observed_at,
        corrects=str(parsed.corrects) if parsed.corrects else None,
        latitude=target["latitude"] if target else parsed.position.latitude,
        longitude=target["longitude"] if target else parsed.position.longitude,
        observer=observer.id, kind=parsed.kind.value,
        payload={"report": unsigned, "estimates": estimates},
    )
    content_hash = sha256_hex(canonical_bytes(report_content(report)))
    signature = body.get(signing.SIGNATURE_FIELD)
    checked = Checked(observer, report, content_hash, signature, str(parsed.task) if parsed.task else None,
                      now, None)
    try:
        _check_signed_report(uow, observer, parsed, signed_bytes, signature, estimates, now, future_tolerance_s)
    except (ValidationError, PermissionDenied):
        # A retry of a report already stored is answered as the first time, even
        # after the observer's key changed or its task closed: it was checked
        # against what held when it was received, and a device that lost the
        # answer must not see its report refused. (A retry that passes is
        # found under the lock, in store_observer_report.)
        stored = uow.reports.stored_as(report.id)
        replayed = None if stored is None else _replay_of(uow, stored, observer, report, content_hash, signature)
        if replayed is None:
            raise
        return dataclasses.replace(checked, replayed=replayed)
    return checked


def _check_signed_report(uow: UnitOfWork, observer: Principal, parsed: ObserverReport, signed_bytes: bytes,
                         signature: str | None, estimates: list[dict[str, Any]], now: datetime,
                         future_tolerance_s: int) -> None:
    key = uow.keys.key_at(observer.id, now)
    if key is None:
        raise ValidationError(f"no signing key of {observer.name} is valid now", field="signature",
                              remedy="an admin registers the first key with `truce users key`, or enrols the device")
    if not signing.verify_bytes(signature, signed_bytes, key.public_key):
        raise ValidationError("the signature does not verify against the key registered to "
                              f"{observer.name}", field="signature",
                              remedy="sign the canonical form of the body without 'signature' "
                                     "(docs/canonical-form.md)")
    if parsed.observed_at > now + timedelta(seconds=future_tolerance_s):
        raise ValidationError(f"observed_at {parsed.observed_at.isoformat()} is in the future "
                              f"(server time {now.isoformat()})", field="observed_at",
                              remedy="check the device clock and its time zone")
    check_in_theatre(parsed.position.latitude, parsed.position.longitude, "position")
    for e in estimates:
        check_in_theatre(e["latitude"], e["longitude"], f"observations.{e['observation']}")
    if parsed.task:
        tasks.check_answerable(uow, str(parsed.task), observer)


def store_observer_report(uow: UnitOfWork, checked: Checked) -> Submitted:
    """Store a checked submission under the write lock (taken here if not
    yet held): a retry of a stored report is answered as the first time, the
    same id with other content is a Conflict. Not a use case: the caller
    commits (``submit_observer_report``, or the group commit of the API)."""
    if checked.replayed is not None:
        return checked.replayed
    report, observer = checked.report, checked.observer
    # From here on this transaction holds the write lock: the checks below
    # and the insert see the same database, across threads and processes.
    uow.begin_write()
    stored = uow.reports.stored_as(report.id)
    if stored is not None:
        replayed = _replay_of(uow, stored, observer, report, checked.content_hash, checked.signature)
        if replayed is not None:
            return replayed
        raise Conflict(f"report {report.id} was already received with different content",
                       field="id", remedy="a retry must resend the same signed body; a correction "
                                          "is a new report with its own id that names this one in 'corrects'")
    if report.corrects is not None:
        _check_own_report(uow, observer, report.corrects)
    _ensure_source(uow, observer.id)
    content_hash = add_report(uow, report, signature=checked.signature, known_new=True, now=checked.now,
                              content_hash=checked.content_hash)
    if checked.task:
        tasks.link_report(uow, checked.task, report.id, checked.now)
    return Submitted(report, content_hash, replayed=False)


@use_case
def submit_observer_report(uow: UnitOfWork, observer: Principal, body: dict[str, Any],
                           parsed: ObserverReport, now: datetime, *,
                           future_tolerance_s: int = 300) -> Submitted:
    """Check and store one signed observer report, in its own transaction."""
    checked = check_observer_report(uow, observer, body, parsed, now, future_tolerance_s=future_tolerance_s)
    return store_observer_report(uow, checked)


@dataclass(frozen=True)
class EvidenceFile:
    sha256: str
    report_id: str
    filename: str
    content_type: str
    size: int
    received: datetime


def evidence_for_report(uow: UnitOfWork, report_id: str) -> list[EvidenceFile]:
    return [EvidenceFile(r["sha256"], r["report_id"], r["filename"], r["content_type"], r["size"],
                         r["received"]) for r in uow.reports.evidence(report_id)]


ALLOWED_EVIDENCE = ("image/", "video/", "audio/")


def own_report(uow: UnitOfWork, observer: Principal, report_id: str) -> Report:
    """The observer's own report ``report_id``. Unknown or another observer's,
    the answer is the same 404: it must not tell one observer what exists of
    another's."""
    stored = uow.reports.stored_as(report_id)
    if stored is None or stored.observer_id != observer.id:
        raise NotFound(f"no report with id {report_id!r} of yours", field="report_id")
    return uow.reports.get(report_id)


@use_case
def add_evidence(uow: UnitOfWork, observer: Principal, report_id: str, filename: str,
                 content_type: str, chunks: Iterator[bytes] | BinaryIO, evidence_dir: Path,
                 now: datetime, *, max_bytes: int) -> tuple[EvidenceFile, bool]:
    """Store a photo, video or audio file for the observer's own report, under
    its SHA-256; returns the record and whether it was new. A report that
    declared its evidence hashes accepts only those files."""
    report = own_report(uow, observer, report_id)
    if not content_type.startswith(ALLOWED_EVIDENCE):
        raise ValidationError(f"evidence must be a photo, video or audio file, not {content_type!r}",
                              field="file")
    evidence_dir.mkdir(parents=True, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    fd, tmp_name = tempfile.mkstemp(dir=evidence_dir, prefix=".upload-")
    try:
        with os.fdopen(fd, "wb") as out:
            read = chunks.read if hasattr(chunks, "read") else None
            iterator = iter(lambda: read(1 << 20), b"") if read else chunks
            for chunk in iterator:
                size += len(chunk)
                if size > max_bytes:
                    raise ValidationError(f"the file is larger than {max_bytes} bytes", field="file")
                digest.update(chunk)
                out.write(chunk)
        sha = digest.hexdigest()
        declared = report.payload.get("report", {}).get("evidence") or []
        if declared and sha not in declared:
            raise ValidationError(f"file SHA-256 {sha} is not among the evidence the signed report "
                                  "declared", field="file")
        existing = [e for e in evidence_for_report(uow, report_id) if e.sha256 == sha]
        if existing:
            return existing[0], False
        final = evidence_dir / sha[:2] / sha
        final.parent.mkdir(exist_ok=True)
        os.replace(tmp_name, final)
        tmp_name = ""
    finally:
        if tmp_name and os.path.exists(tmp_name):
            os.unlink(tmp_name)
    record = EvidenceFile(sha, report_id, Path(filename or "file").name[:200] or "file",
                          content_type, size, now)
    uow.reports.add_evidence(
        sha256=sha, report_id=report_id, filename=record.filename, content_type=content_type,
        size=size, stored_path=str(final.relative_to(evidence_dir)), received=now)
    uow.record("evidence.add", f"{report_id}/{sha}", {"sha256": sha, "report": report_id,
                                                       "size": size, "content_type": content_type},
               at=now)
    return record, True
