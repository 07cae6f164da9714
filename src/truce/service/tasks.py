"""Tasks: an analyst asks observers to check something.

A task names what to look for, a time window and, usually, a place (a
point with a radius, and a name). It goes to one observer or, with no
observer named, to every observer. Observers answer with ordinary signed
reports whose ``task`` field names it; each such report is linked to the
task when it is received.

Service API (used by the API, the CLI and, later, casework)::

    create_task(uow, title=..., look_for=..., window_start=..., window_end=..., now=...,
                place_name=None, latitude=None, longitude=None, radius_m=None,
                observer=None, case_id=None, created_by=None) -> Task
    list_tasks(uow, principal, status=None, case_id=None) -> list[Task]
    get_task(uow, principal, task_id) -> Task
    close_task(uow, task_id, now) -> Task
    check_answerable(uow, task_id, observer)   # before a report naming it is stored
    link_report(uow, task_id, report_id, now)  # after

Observers see open and closed tasks meant for them; mission staff see all.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from ..domain.bounds import check_moment
from ..domain.exceptions import NotFound, PermissionDenied, ValidationError
from ..store.tasks import Task
from ..store.uow import UnitOfWork, use_case
from . import observer_reports
from .users import Principal, Role

__all__ = [
    "Task", "TaskStatus", "check_answerable", "close_task", "create_task", "get_task", "link_report",
    "list_tasks",
]

TASK_ID = "task-{}"
MAX_RADIUS_M = 100_000


class TaskStatus:
    OPEN = "open"
    CLOSED = "closed"
    ALL = (OPEN, CLOSED)


def _text(value: str | None, field: str, limit: int, *, required: bool) -> str | None:
    value = (value or "").strip()
    if not value:
        if required:
            raise ValidationError("must not be empty", field=field)
        return None
    if len(value) > limit:
        raise ValidationError(f"at most {limit} characters", field=field)
    return value


@use_case
def create_task(uow: UnitOfWork, *, title: str, look_for: str, window_start: datetime,
                window_end: datetime, now: datetime, place_name: str | None = None,
                latitude: float | None = None, longitude: float | None = None,
                radius_m: float | None = None, observer: str | None = None,
                case_id: str | None = None, created_by: str | None = None) -> Task:
    """Store a new open task; ValidationError naming the field otherwise."""
    title_ = _text(title, "title", 200, required=True)
    look_for_ = _text(look_for, "look_for", 2000, required=True)
    place_ = _text(place_name, "place_name", 200, required=False)
    for name, value in (("window_start", window_start), ("window_end", window_end)):
        if value.tzinfo is None:
            raise ValidationError("give the time with its UTC offset", field=name)
        check_moment(value, name)  # the API's bounds, for every caller
    if window_end <= window_start:
        raise ValidationError("the window must end after it starts", field="window_end")
    if (latitude is None) != (longitude is None):
        raise ValidationError("give latitude and longitude together, or neither", field="latitude")
    if latitude is not None and longitude is not None:
        observer_reports.check_in_theatre(latitude, longitude, "latitude")
    elif radius_m is not None:
        raise ValidationError("a radius needs a place (latitude and longitude)", field="radius_m")
    if radius_m is not None and not 0 < radius_m <= MAX_RADIUS_M:
        raise ValidationError(f"between 0 and {MAX_RADIUS_M} m", field="radius_m")
    observer_id = None
    if observer:
        user = uow.users.find(observer)
        if user is None or user.role != Role.OBSERVER.value:
            raise ValidationError(f"no observer named {observer!r}", field="observer")
        observer_id = user.id
    task = Task(id=TASK_ID.format(uuid.uuid4().hex[:16]), title=title_ or "", look_for=look_for_ or "",
                place_name=place_, latitude=latitude, longitude=longitude, radius_m=radius_m,
                window_start=window_start, window_end=window_end, observer=observer or None,
                case_id=case_id, status=TaskStatus.OPEN, created_by=created_by, created_at=now)
    uow.tasks.add(task, observer_id)
    uow.record("task.add", task.id, _ledger_view(task))
    return task


def _ledger_view(task: Task) -> dict[str, Any]:
    return {"title": task.title, "look_for": task.look_for, "place_name": task.place_name,
            "latitude": task.latitude, "longitude": task.longitude, "radius_m": task.radius_m,
            "window_start": task.window_start.isoformat(), "window_end": task.window_end.isoformat(),
            "observer": task.observer, "case_id": task.case_id}


def _for(principal: Principal) -> str | None:
    """The observer whose tasks ``principal`` sees (None: every task, for staff)."""
    if principal.is_staff:
        return None
    if principal.role is Role.OBSERVER:
        return principal.id
    raise PermissionDenied("tasks are for mission staff and observers")


def list_tasks(uow: UnitOfWork, principal: Principal, *, status: str | None = None,
               case_id: str | None = None) -> list[Task]:
    """Tasks ``principal`` may see, newest window first."""
    if status is not None and status not in TaskStatus.ALL:
        raise ValidationError(f"one of {', '.join(TaskStatus.ALL)}", field="status")
    return uow.tasks.list(for_observer=_for(principal), status=status, case_id=case_id)


def get_task(uow: UnitOfWork, principal: Principal, task_id: str) -> Task:
    found = uow.tasks.list(for_observer=_for(principal), task_id=task_id)
    if not found:
        raise NotFound(f"no task {task_id!r} for you", field="task_id")
    return found[0]


@use_case
def close_task(uow: UnitOfWork, task_id: str, now: datetime) -> Task:
    """Close a task: observers still see it, and may no longer answer it."""
    if not uow.tasks.set_status(task_id, TaskStatus.CLOSED):
        raise NotFound(f"no task {task_id!r}", field="task_id")
    uow.record("task.close", task_id, {"at": now.isoformat()})
    return uow.tasks.list(task_id=task_id)[0]


def check_answerable(uow: UnitOfWork, task_id: str, observer: Principal) -> None:
    """ValidationError (field ``task``) unless ``observer`` may answer the open task."""
    found = uow.tasks.status_and_observer(task_id)
    if found is None or (found[1] is not None and found[1] != observer.id):
        raise ValidationError(f"no task {task_id!r} for you", field="task")
    if found[0] != TaskStatus.OPEN:
        raise ValidationError(f"task {task_id} is closed", field="task")


def link_report(uow: UnitOfWork, task_id: str, report_id: str, now: datetime) -> None:
    uow.tasks.link(task_id, report_id, now)
    uow.record("task.report", f"{task_id}/{report_id}", {"task": task_id, "report": report_id})
