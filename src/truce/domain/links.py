"""Links taken from data (a source's URL) are shown only if they are plain
http(s) addresses: never ``javascript:``, ``data:`` or any other scheme that
a browser would run or open in place."""

from __future__ import annotations

from urllib.parse import urlsplit

__all__ = ["http_url"]


def http_url(value: object) -> str | None:
    """``value`` if it is an absolute http or https URL with a host, else None.

    >>> http_url("https://example.org/a?b=1")
    'https://example.org/a?b=1'
    >>> http_url(" javascript:alert(1)") is None, http_url("//evil.example") is None
    (True, True)
    """
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text or any(ord(c) < 0x20 or c in "\\\x7f" for c in text):
        return None  # browsers drop tabs and newlines inside schemes, and read '\' as '/'
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return text
