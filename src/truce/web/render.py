"""Templates for the pages, with the filters they share."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from ..domain.links import http_url
from ..geo.naming import place_label, sector_label
from ..service.labels import distance, local_time, uncertainty
from ..settings import get_settings

__all__ = ["STATIC_DIR", "page"]

WEB_DIR = Path(__file__).parent
STATIC_DIR = WEB_DIR / "static"


def _moment(value: datetime | None, fmt: str = "%-d %b %Y %H:%M") -> str:
    """A moment in the theatre's time zone, in ``fmt`` (the zone's name said once
    on the page); ``local_time`` writes it with the zone."""
    if value is None:
        return ""
    return value.astimezone(get_settings().tz).strftime(fmt)


@lru_cache
def templates() -> Jinja2Templates:
    t = Jinja2Templates(directory=str(WEB_DIR / "templates"))
    t.env.filters["moment"] = _moment
    t.env.filters["label"] = lambda s: (s or "").replace("_", " ")
    t.env.filters["http_url"] = http_url  # every link from data goes through it
    t.env.globals["timezone"] = lambda: get_settings().timezone
    t.env.globals["place_label"] = place_label
    t.env.globals["sector_label"] = sector_label
    t.env.globals.update(local_time=local_time, distance=distance, uncertainty=uncertainty)
    return t


def page(request: Request, name: str, *, title: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """Render ``templates/name`` with ``title`` and ``context``."""
    return templates().TemplateResponse(request, name, {"title": title, **context},
                                        status_code=status_code)
