"""Report submissions are stored by the group commit (``store.group_commit``).

One writer thread per app takes the submissions waiting at that moment,
checks each (signature, time, theatre: no lock), stores them under one
write lock in one transaction, and commits once. The request waits in the
event loop, at no cost, for its batch's commit: a 201 means committed. A
submission that cannot be stored within the lock timeout is answered 503
with Retry-After, like any write that could not get the lock; the event
loop itself never waits on the database.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, TypeVar

from fastapi import FastAPI, Request

from ..store.group_commit import GroupCommit

__all__ = ["group_commit", "stop_group_commit", "submit_write"]

T = TypeVar("T")


def group_commit(app: FastAPI) -> GroupCommit:
    """The app's group commit, started on first use."""
    state = app.state
    writer = getattr(state, "group_commit", None)
    if writer is None:
        settings = state.settings
        writer = state.group_commit = GroupCommit(state.engine, lock_timeout_s=settings.db_lock_timeout_s,
                                                  max_batch=settings.write_batch).start()
    return writer


def stop_group_commit(app: FastAPI) -> None:
    """Finish the writes queued and stop the writer thread (at shutdown)."""
    writer = getattr(app.state, "group_commit", None)
    if writer is not None:
        writer.stop()
        app.state.group_commit = None


async def submit_write(request: Request, actor: str | None, check: Callable[[Any], Any],
                       store: Callable[[Any, Any], T]) -> T:
    """``store(uow, check(uow))`` in the next group commit; its result once committed."""
    future = group_commit(request.app).submit(actor, check, store)
    return await asyncio.wrap_future(future)
