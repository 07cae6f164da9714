"""Errors raised by truce's rules and use cases.

The tree::

    TruceError
    ├── ValidationError        bad input: names the field and the reason
    │   └── GeometryError      a coordinate or geometry that cannot be used
    ├── NotFound               the record asked for does not exist
    ├── Conflict               the request contradicts what is stored
    │   └── ImmutableRecord    an attempt to rewrite a stored report
    ├── PermissionDenied       the caller's role does not allow it
    ├── TooManyAttempts        too many failed attempts: wait, then retry
    ├── Unavailable            the database is busy: nothing written, retry
    └── LedgerTampered         the ledger chain does not verify

The API turns each into one HTTP status (see ``truce.api.errors``); the CLI
prints the message on one line and exits non-zero.
"""

from __future__ import annotations

import re

__all__ = [
    "Conflict",
    "GeometryError",
    "ImmutableRecord",
    "LedgerTampered",
    "NotFound",
    "PermissionDenied",
    "TooManyAttempts",
    "TruceError",
    "Unavailable",
    "ValidationError",
]


class TruceError(Exception):
    """Base of every error truce raises on purpose."""

    def __init__(self, message: str, *, field: str | None = None, remedy: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.remedy = remedy

    def __str__(self) -> str:
        """The message and its remedy: what a person reads on one line. The
        field is for machines (the problem+json ``errors``): a conflict, a
        refusal or a missing record is a sentence that names what it is
        about, so the field is not put before it; bad input names its field
        first (``ValidationError``), as that is what the person typed."""
        text = self.message
        if self.remedy:
            text = f"{text} ({self.remedy})"
        return text


class ValidationError(TruceError):
    """Input that breaks a rule; nothing was written."""

    def __str__(self) -> str:
        text = super().__str__()
        return f"{self.field}: {text}" if self.field and not names_field(text, self.field) else text


def names_field(text: str, field: str) -> bool:
    """Whether ``text`` already makes ``field`` obvious: it names it as a word
    (``public_key`` also as "public key" or ``--public-key``); then the field
    is not put before it (``say why (a reason is kept …)``, not ``reason: say
    why …``). The API keeps the field apart, in ``errors[].field``.

    >>> names_field("say why (a reason is kept with the change)", "reason"), names_field("nan is not", "lat")
    (True, False)
    """
    spellings = {field, field.replace("_", " "), field.replace("_", "-")}
    return any(re.search(rf"(?<![\w.]){re.escape(s)}(?![\w.])", text) for s in spellings)


class GeometryError(ValidationError):
    """A coordinate out of range or outside the theatre."""


class NotFound(TruceError):
    """The record asked for does not exist."""


class Conflict(TruceError):
    """The request contradicts what is already stored."""


class ImmutableRecord(Conflict):
    """Reports are never rewritten; corrections are new records."""


class PermissionDenied(TruceError):
    """The caller's role does not allow this."""


class LedgerTampered(TruceError):
    """A ledger entry does not match its hash or its predecessor."""


class Unavailable(TruceError):
    """A resource (the database's write lock) stayed busy for longer than its
    bound; nothing was written and the same request may be sent again after
    ``retry_after_s`` seconds."""

    def __init__(self, message: str, *, retry_after_s: int = 1, field: str | None = None,
                 remedy: str | None = None):
        super().__init__(message, field=field, remedy=remedy)
        self.retry_after_s = retry_after_s


class TooManyAttempts(TruceError):
    """Too many failed attempts from one client or on one token prefix; the
    caller waits ``retry_after_s`` seconds."""

    def __init__(self, message: str, *, retry_after_s: int = 1, field: str | None = None,
                 remedy: str | None = None):
        super().__init__(message, field=field, remedy=remedy)
        self.retry_after_s = retry_after_s
