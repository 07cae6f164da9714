"""Tasks: analysts ask observers to check a place in a time window."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter

from ...service import tasks as service
from ...service.tasks import Task
from ..deps import CurrentPrincipal, Role, UowDep, require
from ..field_schemas import TaskCreate, TaskPublic
from ..schemas import ListOf

router = APIRouter(prefix="/api/tasks", tags=["tasks"])
staff = [require(Role.ANALYST, Role.ADMIN)]
readers = [require(Role.OBSERVER, Role.ANALYST, Role.ADMIN)]


def task_public(task: Task) -> TaskPublic:
    return TaskPublic(**{**task.__dict__, "reports": list(task.reports)})


@router.post("", status_code=201, response_model=TaskPublic, dependencies=staff)
def create_task(body: TaskCreate, uow: UowDep, principal: CurrentPrincipal) -> TaskPublic:
    """Ask one observer (or all, with no ``observer``) to check something."""
    task = service.create_task(uow, now=datetime.now(UTC), created_by=principal.name, **body.model_dump())
    return task_public(task)


@router.get("", response_model=ListOf[TaskPublic], dependencies=readers)
def list_tasks(uow: UowDep, principal: CurrentPrincipal, status: str | None = None,
               case_id: str | None = None) -> ListOf[TaskPublic]:
    """Staff: every task; an observer: those meant for them or for all."""
    tasks = service.list_tasks(uow, principal, status=status, case_id=case_id)
    return ListOf[TaskPublic](data=[task_public(x) for x in tasks], count=len(tasks))


@router.get("/{task_id}", response_model=TaskPublic, dependencies=readers)
def get_task(task_id: str, uow: UowDep, principal: CurrentPrincipal) -> TaskPublic:
    return task_public(service.get_task(uow, principal, task_id))


@router.post("/{task_id}/close", response_model=TaskPublic, dependencies=staff)
def close_task(task_id: str, uow: UowDep) -> TaskPublic:
    """No more answers; the task and its reports stay."""
    task = service.close_task(uow, task_id, datetime.now(UTC))
    return task_public(task)
