"""Rate limits on failed token checks, per client address and per token
prefix, kept in this process's memory; failed enrolment codes count against
the client address too.

A failed check beyond ``per_client`` failures from one address in
``window_s`` seconds, or beyond ``per_prefix`` wrong secrets for one token
prefix, is answered 429 (with Retry-After) instead of 401. A token that
verifies is never refused: someone flooding from a shared address (a NAT, a
proxy not named trusted) or on a valid token's prefix cannot lock its holder
out. Successful checks are never counted.
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable

from ..domain.exceptions import TooManyAttempts

__all__ = ["FailureThrottle"]


class _Window:
    """Failure times per key within the last ``window_s`` seconds (bounded keys)."""

    def __init__(self, limit: int, window_s: float, max_keys: int = 100_000):
        self.limit, self.window_s, self.max_keys = limit, window_s, max_keys
        self._hits: OrderedDict[str, deque[float]] = OrderedDict()

    def _recent(self, key: str, now: float) -> deque[float] | None:
        hits = self._hits.get(key)
        if hits is None:
            return None
        while hits and hits[0] <= now - self.window_s:
            hits.popleft()
        if not hits:
            del self._hits[key]
            return None
        return hits

    def wait_s(self, key: str, now: float, threshold: int) -> float:
        """Seconds until ``key`` has fewer than ``threshold`` failures in the window (0: now)."""
        hits = self._recent(key, now)
        if hits is None or len(hits) < threshold:
            return 0.0
        return hits[len(hits) - threshold] + self.window_s - now

    def add(self, key: str, now: float) -> None:
        hits = self._recent(key, now)
        if hits is None:
            hits = self._hits[key] = deque(maxlen=self.limit + 1)
        hits.append(now)
        self._hits.move_to_end(key)
        while len(self._hits) > self.max_keys:
            self._hits.popitem(last=False)


class FailureThrottle:
    def __init__(self, *, per_client: int = 30, per_prefix: int = 10, window_s: float = 60.0,
                 clock: Callable[[], float] = time.monotonic):
        self._clients = _Window(per_client, window_s)
        self._prefixes = _Window(per_prefix, window_s)
        self._lock = threading.Lock()
        self._clock = clock

    @staticmethod
    def _refuse(wait: float, what: str, checked: str) -> TooManyAttempts:
        remedy = ("check the token; `truce users token` issues a new one" if checked == "token"
                  else "check the code; an admin makes a new one with `truce users enrol`")
        return TooManyAttempts(f"too many failed {checked} checks {what}; wait before trying again",
                               retry_after_s=max(1, math.ceil(wait)), remedy=remedy)

    def failed(self, client: str, prefix: str | None, wrong_secret: bool, *, checked: str = "token") -> None:
        """Count a failure (of a token, or of another secret such as an
        enrolment code: ``checked``); raise TooManyAttempts if it crossed a limit."""
        with self._lock:
            now = self._clock()
            self._clients.add(client, now)
            # this failure is one more than allowed: 429 instead of 401
            waits = [(self._clients.wait_s(client, now, self._clients.limit + 1), "from this address")]
            if prefix is not None and wrong_secret:
                self._prefixes.add(prefix, now)
                waits.append((self._prefixes.wait_s(prefix, now, self._prefixes.limit + 1), "on this token"))
        wait, what = max(waits)
        if wait > 0:
            raise self._refuse(wait, what, checked)
