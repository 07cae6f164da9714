"""Escalation: the rules that raise an alert an analyst must see at once.

Each rule reads ``Signal`` values (one per incident, with its geometry and
casualty figures already reduced to numbers) and returns ``Alert`` values
with the incidents that raised them. Pure: no clock (``now`` is passed in).

The rules, with their parameters in ``EscalationRules``:

- **spike** (Poisson upper tail): in a sector, the day's count ``k`` of
  violations (one per incident and term broken, as stored) is a spike when
  ``P(X >= k) < spike_p_value`` for ``X ~ Poisson(lam)``, ``lam`` the mean
  daily count over the *observed* days (days some agreement was in force)
  among the previous ``spike_baseline_days``, raised to at least
  ``spike_min_rate`` (a quiet sector is not one where nothing can happen),
  and ``k >= spike_min_count``. No test without ``spike_min_baseline_days``
  observed days: the first days of the first truce have no baseline (war
  before it is not a baseline of violations). With the defaults (p 0.01,
  7 days, floor 0.2) a quiet sector spikes at 3 violations in a day.
- **new weapon**: the first use, in the agreement's period, of a heavy
  weapon class (artillery, rockets, missiles, ballistic missiles, cluster
  munitions, armed drones, aviation, tanks). Light arms and mortars are the
  expected noise of a fragile truce and do not alert.
- **new geography**: the first strike in the period on a party's own
  sovereign territory outside the disputed region (one alert per state), and
  the first strike more than ``deep_strike_km`` behind the line on each side.
- **civilian harm**: an incident whose best estimate of civilians killed is
  at least ``civilians_killed_threshold`` or injured at least
  ``civilians_injured_threshold``.
- **observer danger**: any incident flagged as endangering observers.

Alert ids are derived from what raised them, so evaluating twice raises
nothing new. Every alert carries the time of what it concerns
(``event_at``): the start of the incident that raised it; for a spike, the
earliest start among its incidents.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from .alerts import Alert, AlertKind
from .taxonomy import HEAVY_WEAPONS

__all__ = [
    "EscalationRules", "Signal", "alert_id", "escalation_alerts", "poisson_upper_tail", "spikes",
]

_STATE_NAMES = {"AM": "Armenia", "AZ": "Azerbaijan"}
_HEAVY = frozenset(w.value for w in HEAVY_WEAPONS)


@dataclass(frozen=True)
class EscalationRules:
    spike_p_value: float = 0.01
    spike_baseline_days: int = 7
    spike_min_rate: float = 0.2
    spike_min_count: int = 3
    spike_min_baseline_days: int = 3
    deep_strike_km: float = 40.0
    civilians_killed_threshold: int = 5
    civilians_injured_threshold: int = 20


@dataclass(frozen=True)
class Signal:
    """What escalation needs to know about one incident."""

    incident: str
    start: datetime
    day: date
    weapon_class: str
    strike: bool  # explosions/remote violence: something fired at a place
    violation: bool = False  # breaks a term of the agreement
    sector: str | None = None
    sovereign_country: str | None = None
    in_disputed_region: bool = False
    distance_to_line_m: float | None = None
    side: str | None = None  # party holding the ground
    civilians_killed: int = 0
    civilians_injured: int = 0
    endangers_observers: bool = False


def alert_id(*key: str) -> str:
    """A stable id for what raised an alert: ``al-`` and 16 hex digits."""
    return "al-" + hashlib.sha256("\x1f".join(key).encode()).hexdigest()[:16]


def poisson_upper_tail(k: int, lam: float) -> float:
    """P(X >= k) for X ~ Poisson(lam).

    >>> round(poisson_upper_tail(3, 0.2), 5)
    0.00115
    """
    if k <= 0:
        return 1.0
    term = math.exp(-lam)
    below = term
    for i in range(1, k):
        term *= lam / i
        below += term
    return max(0.0, 1.0 - below)


@dataclass(frozen=True)
class Spike:
    sector: str
    day: date
    count: int
    baseline: float
    p_value: float
    incidents: tuple[str, ...]


def spikes(daily: Mapping[str, Mapping[date, Sequence[str]]], days: Iterable[date],
           rules: EscalationRules, observed: Collection[date] | None = None) -> list[Spike]:
    """Spikes on ``days`` in each sector's series of violations per day.

    ``daily`` maps sector -> day -> the incident id of each violation (an
    id repeats once per term broken; days absent count zero); ``observed``
    the days that count towards a baseline (default: every day).
    """
    found = []
    for sector, series in sorted(daily.items()):
        for day in sorted(days):
            ids = tuple(sorted(series.get(day, ())))
            k = len(ids)
            if k < rules.spike_min_count:
                continue
            before = [day - timedelta(days=n) for n in range(1, rules.spike_baseline_days + 1)]
            window = [len(series.get(d, ())) for d in before if observed is None or d in observed]
            if len(window) < rules.spike_min_baseline_days:
                continue
            baseline = sum(window) / len(window)
            lam = max(baseline, rules.spike_min_rate)
            p = poisson_upper_tail(k, lam)
            if p < rules.spike_p_value:
                found.append(Spike(sector, day, k, baseline, p, tuple(dict.fromkeys(ids))))
    return found


def _new_weapons(agreement: str, ordered: Sequence[Signal], now: datetime) -> list[Alert]:
    alerts: list[Alert] = []
    seen: set[str] = set()
    for s in ordered:
        if s.weapon_class in _HEAVY and s.weapon_class not in seen:
            before = ", ".join(sorted(seen)) or "none"
            seen.add(s.weapon_class)
            alerts.append(Alert(
                alert_id(agreement, "new_weapon", s.weapon_class), AlertKind.NEW_WEAPON, now,
                f"First use of {s.weapon_class.replace('_', ' ')} since the agreement began "
                f"(heavy weapons seen before in its period: {before}).",
                (s.incident,), agreement, s.sector, s.start))
    return alerts


def _new_geography(agreement: str, ordered: Sequence[Signal], rules: EscalationRules,
                   now: datetime) -> list[Alert]:
    alerts: list[Alert] = []
    states: set[str] = set()
    sides: set[str] = set()
    limit_m = rules.deep_strike_km * 1000.0
    for s in ordered:
        if not s.strike:
            continue
        state = s.sovereign_country
        if state in _STATE_NAMES and not s.in_disputed_region and state not in states:
            states.add(state)
            alerts.append(Alert(
                alert_id(agreement, "new_geography", "state", state), AlertKind.NEW_GEOGRAPHY, now,
                f"First strike since the agreement began on {_STATE_NAMES[state]}'s own territory "
                f"outside the disputed region ({(s.distance_to_line_m or 0) / 1000:.0f} km from "
                "the line of contact).", (s.incident,), agreement, s.sector, s.start))
        distance = s.distance_to_line_m
        if distance is not None and distance > limit_m and s.side and s.side not in sides:
            sides.add(s.side)
            alerts.append(Alert(
                alert_id(agreement, "new_geography", "deep", s.side), AlertKind.NEW_GEOGRAPHY, now,
                f"First strike since the agreement began more than {rules.deep_strike_km:g} km "
                f"behind the line, in ground held by {s.side} ({distance / 1000:.0f} km).",
                (s.incident,), agreement, s.sector, s.start))
    return alerts


def escalation_alerts(agreement: str, signals: Iterable[Signal], rules: EscalationRules,
                      now: datetime, *, sector_history: Mapping[str, Mapping[date, Sequence[str]]]
                      | None = None, days: Iterable[date] = (),
                      observed: Collection[date] | None = None,
                      sector_name: Callable[[str], str] = str) -> list[Alert]:
    """Every alert the agreement's period raises.

    ``signals`` are the incidents that began while the agreement was in
    force (discounted ones left out); ``sector_history`` the violations
    per sector per day (incident ids, one per term broken), before and
    during the period; ``days`` the period's days on which spikes are
    tested; ``observed`` the days any agreement was in force; ``sector_name``
    how a message names a sector (the theatre's naming setting).
    """
    ordered = sorted(signals, key=lambda s: (s.start, s.incident))
    alerts = _new_weapons(agreement, ordered, now) + _new_geography(agreement, ordered, rules, now)
    for s in ordered:
        killed = s.civilians_killed >= rules.civilians_killed_threshold
        if killed or s.civilians_injured >= rules.civilians_injured_threshold:
            alerts.append(Alert(
                alert_id(agreement, "civilian_harm", s.incident), AlertKind.CIVILIAN_HARM, now,
                f"Civilian harm above threshold: best estimate {s.civilians_killed} killed, "
                f"{s.civilians_injured} injured (thresholds {rules.civilians_killed_threshold} "
                f"killed, {rules.civilians_injured_threshold} injured).",
                (s.incident,), agreement, s.sector, s.start))
        if s.endangers_observers:
            alerts.append(Alert(
                alert_id(agreement, "observer_danger", s.incident), AlertKind.OBSERVER_DANGER, now,
                "Incident endangering the mission's observers.", (s.incident,), agreement, s.sector,
                s.start))
    starts = {s.incident: s.start for s in ordered}
    for spike in spikes(sector_history or {}, days, rules, observed):
        n = len(spike.incidents)
        known = [starts[i] for i in spike.incidents if i in starts]
        alerts.append(Alert(
            alert_id(agreement, "spike", spike.sector, spike.day.isoformat()), AlertKind.SPIKE, now,
            f"Spike in {sector_name(spike.sector)} on {spike.day}: {spike.count} violations "
            f"(from {n} incident{'' if n == 1 else 's'}) against a baseline of {spike.baseline:.2f}/day "
            f"over the previous {rules.spike_baseline_days} days "
            f"(Poisson P(X>={spike.count}) = {spike.p_value:.4f} < {rules.spike_p_value}).",
            spike.incidents, agreement, spike.sector,
            min(known) if known else datetime.combine(spike.day, time(12), UTC)))
    return alerts
