"""Dependencies shared by the routers, as Annotated aliases."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import Engine

from ..settings import Settings
from ..store.uow import UnitOfWork

__all__ = ["EngineDep", "SettingsDep", "UowDep"]


def get_engine(request: Request) -> Engine:
    return request.app.state.engine


def get_settings_dep(request: Request) -> Settings:
    return request.app.state.settings


def get_uow(request: Request) -> Iterator[UnitOfWork]:
    principal = getattr(request.state, "principal", None)
    actor = getattr(principal, "name", None)
    with UnitOfWork(request.app.state.engine, actor=actor) as uow:
        yield uow


EngineDep = Annotated[Engine, Depends(get_engine)]
SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
UowDep = Annotated[UnitOfWork, Depends(get_uow)]
