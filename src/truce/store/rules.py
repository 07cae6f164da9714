"""The SQL form of the domain's rules on incidents, each written once.

- the *effective grade* is the analyst's override where one was set, else the
  computed grade (``Incident.effective_grade``);
- an incident is *confirmed* when its effective grade is verified or
  corroborated (``Grade.confirmed``).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, func

from ..domain.grades import CONFIRMED
from . import tables as t

__all__ = ["CONFIRMED_VALUES", "confirmed", "effective_grade"]

CONFIRMED_VALUES = tuple(g.value for g in CONFIRMED)


def effective_grade(incidents: Any = t.incidents) -> ColumnElement[Any]:
    """``coalesce(grade_override, grade)`` on ``incidents`` (or an alias of it)."""
    return func.coalesce(incidents.c.grade_override, incidents.c.grade)


def confirmed(grade: Any) -> ColumnElement[bool]:
    """Whether a grade column or expression is a confirmed grade."""
    return grade.in_(CONFIRMED_VALUES)
