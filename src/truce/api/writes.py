"""Hot write paths run in a small pool of their own.

Report submissions are short and CPU-bound around one short critical
section (the database's write lock). Run by as many threads as there are
connections, each critical section waits for the GIL behind every other
thread's parsing and signature checking, and writers convoy. A few threads
(``write_threads``, about the number of cores) keep the critical section
short; the rest wait in the event loop, at no cost, for at most the lock
timeout, then are answered 503 with Retry-After like a write that could not
get the lock.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import anyio
from fastapi import Request

from ..domain.exceptions import Unavailable

__all__ = ["run_write"]

T = TypeVar("T")


def _limiter(request: Request) -> anyio.CapacityLimiter:
    state = request.app.state
    limiter = getattr(state, "write_limiter", None)
    if limiter is None:  # made in the event loop, on first use
        limiter = state.write_limiter = anyio.CapacityLimiter(state.settings.write_threads)
    return limiter


async def run_write(request: Request, work: Callable[[], T]) -> T:
    """``work()`` in the write pool; Unavailable if no thread frees up in time."""
    limiter = _limiter(request)
    timeout = request.app.state.settings.db_lock_timeout_s
    try:
        with anyio.fail_after(timeout):
            await limiter.acquire()
    except TimeoutError:
        raise Unavailable(f"the server is busy with other writes (waited {timeout:g} s); nothing "
                          "was written", retry_after_s=1,
                          remedy="send the same request again; a retry is safe") from None
    try:
        return await anyio.to_thread.run_sync(work)  # its token is held: at most N at once
    finally:
        limiter.release()
