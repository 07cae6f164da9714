"""The tasks and task_reports tables: what analysts ask observers to check,
and the reports that answered."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, or_, select, update

from . import tables as t

__all__ = ["Task", "TaskRepository"]

_k = t.tasks.c
_tr = t.task_reports.c


@dataclass(frozen=True)
class Task:
    id: str
    title: str
    look_for: str
    place_name: str | None
    latitude: float | None
    longitude: float | None
    radius_m: float | None
    window_start: datetime
    window_end: datetime
    observer: str | None  # user name; None: every observer
    case_id: str | None
    status: str
    created_by: str | None
    created_at: datetime
    reports: tuple[str, ...] = ()


class TaskRepository:
    def __init__(self, connection: Connection):
        self.connection = connection

    def add(self, task: Task, observer_id: str | None) -> None:
        self.connection.execute(insert(t.tasks).values(
            id=task.id, title=task.title, look_for=task.look_for, place_name=task.place_name,
            latitude=task.latitude, longitude=task.longitude, radius_m=task.radius_m,
            window_start=task.window_start, window_end=task.window_end, observer_id=observer_id,
            case_id=task.case_id, status=task.status, created_by=task.created_by, created_at=task.created_at))

    def list(self, *, for_observer: str | None = None, status: str | None = None, case_id: str | None = None,
             task_id: str | None = None) -> list[Task]:
        """Tasks, newest window first, with the reports that answered each;
        ``for_observer`` (a user id): only those meant for them or for all."""
        query = (select(t.tasks, t.users.c.name.label("observer_name"))
                 .select_from(t.tasks.outerjoin(t.users, t.users.c.id == _k.observer_id)))
        if for_observer is not None:
            query = query.where(or_(_k.observer_id.is_(None), _k.observer_id == for_observer))
        if status is not None:
            query = query.where(_k.status == status)
        if case_id is not None:
            query = query.where(_k.case_id == case_id)
        if task_id is not None:
            query = query.where(_k.id == task_id)
        rows = list(self.connection.execute(query.order_by(_k.window_end.desc(), _k.id)).mappings())
        linked: dict[str, list[str]] = {}
        if rows:
            links = (select(_tr.task_id, _tr.report_id).where(_tr.task_id.in_([r["id"] for r in rows]))
                     .order_by(_tr.linked_at, _tr.report_id))
            for found, report_id in self.connection.execute(links):
                linked.setdefault(found, []).append(report_id)
        return [_task(r, linked.get(r["id"], ())) for r in rows]

    def set_status(self, task_id: str, status: str) -> bool:
        """Change the task's status; False if there is no such task."""
        result = self.connection.execute(update(t.tasks).where(_k.id == task_id).values(status=status))
        return result.rowcount > 0

    def status_and_observer(self, task_id: str) -> tuple[str, str | None] | None:
        """(status, observer id or None for all) of the task, or None if there is none."""
        row = self.connection.execute(select(_k.status, _k.observer_id).where(_k.id == task_id)).first()
        return None if row is None else (row.status, row.observer_id)

    def link(self, task_id: str, report_id: str, at: datetime) -> None:
        self.connection.execute(insert(t.task_reports).values(task_id=task_id, report_id=report_id, linked_at=at))

    def answered(self, report_ids: Iterable[str]) -> dict[str, str]:
        """report id -> the task it answered, for those of ``report_ids`` that did."""
        ids = list(report_ids)
        if not ids:
            return {}
        rows = self.connection.execute(select(_tr.task_id, _tr.report_id).where(_tr.report_id.in_(ids)))
        return {report_id: task_id for task_id, report_id in rows}


def _task(r: Any, reports: Iterable[str]) -> Task:
    return Task(id=r["id"], title=r["title"], look_for=r["look_for"], place_name=r["place_name"],
                latitude=r["latitude"], longitude=r["longitude"], radius_m=r["radius_m"],
                window_start=r["window_start"], window_end=r["window_end"], observer=r["observer_name"],
                case_id=r["case_id"], status=r["status"], created_by=r["created_by"], created_at=r["created_at"],
                reports=tuple(reports))
