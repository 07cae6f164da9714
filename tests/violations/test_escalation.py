"""Escalation rules on synthetic series and signals."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from truce.domain.alerts import AlertKind
from truce.domain.escalation import (
    EscalationRules,
    Signal,
    escalation_alerts,
    poisson_upper_tail,
    spikes,
)

RULES = EscalationRules()
NOW = datetime(2020, 11, 1, tzinfo=UTC)
D0 = date(2020, 10, 1)


def series(counts: list[int]) -> dict[date, list[str]]:
    return {D0 + timedelta(days=n): [f"i{n}-{k}" for k in range(c)] for n, c in enumerate(counts)}


def test_poisson_upper_tail():
    assert poisson_upper_tail(0, 2.0) == 1.0
    assert abs(poisson_upper_tail(1, 2.0) - (1 - 0.1353352832)) < 1e-9
    assert poisson_upper_tail(3, 0.2) < 0.01 < poisson_upper_tail(2, 0.2)


def test_spike_is_raised_on_a_synthetic_sector_series():
    counts = [1, 0, 2, 1, 1, 0, 1, 9, 1]  # baseline ~0.86/day, then 9 in a day
    days = [D0 + timedelta(days=n) for n in range(len(counts))]
    found = spikes({"Aghdam": series(counts)}, days, RULES)
    assert [(s.sector, s.day, s.count) for s in found] == [("Aghdam", D0 + timedelta(days=7), 9)]
    assert found[0].p_value < RULES.spike_p_value


def test_no_spike_in_a_busy_sector_at_its_usual_level():
    counts = [6, 7, 5, 8, 6, 7, 6, 8]  # the eighth day against the seven before it
    assert spikes({"Aghdam": series(counts)}, [D0 + timedelta(days=7)], RULES) == []


def test_no_spike_without_enough_observed_baseline_days():
    counts = [0, 0, 5]
    days = [D0 + timedelta(days=2)]
    assert spikes({"Aghdam": series(counts)}, days, RULES, observed={D0 + timedelta(days=1)}) == []


def signal(id: str, hour: int, **fields) -> Signal:
    base = dict(incident=id, start=NOW - timedelta(days=10, hours=-hour), day=date(2020, 10, 22),
                weapon_class="artillery", strike=True, sovereign_country="AZ",
                in_disputed_region=True, distance_to_line_m=10_000.0, side="NKR")
    base.update(fields)
    return Signal(**base)


def test_ballistic_missile_after_only_artillery_is_a_new_weapon():
    alerts = escalation_alerts("t", [signal("a", 1), signal("b", 2),
                                     signal("c", 3, weapon_class="ballistic_missile")], RULES, NOW)
    new = [a for a in alerts if a.kind is AlertKind.NEW_WEAPON]
    assert [a.incident_ids for a in new] == [("a",), ("c",)]
    assert "artillery" in new[1].message


def test_first_strike_on_sovereign_territory_is_new_geography_once():
    alerts = escalation_alerts("t", [
        signal("in-nk", 1),
        signal("in-armenia", 2, sovereign_country="AM", in_disputed_region=False, side="ARM"),
        signal("again", 3, sovereign_country="AM", in_disputed_region=False, side="ARM"),
        signal("deep", 4, side="AZE", in_disputed_region=False, distance_to_line_m=120_000.0),
    ], RULES, NOW)
    geo = [(a.incident_ids, a.message.split(" ")[0]) for a in alerts
           if a.kind is AlertKind.NEW_GEOGRAPHY]
    assert [ids for ids, _ in geo] == [("in-armenia",), ("deep",), ("deep",)]


def test_civilian_harm_and_observer_danger_alerts_and_stable_ids():
    signals = [signal("a", 1, civilians_killed=12), signal("b", 2, endangers_observers=True),
               signal("c", 3, civilians_injured=3)]
    first = escalation_alerts("t", signals, RULES, NOW)
    kinds = {(a.kind, a.incident_ids) for a in first}
    assert (AlertKind.CIVILIAN_HARM, ("a",)) in kinds
    assert (AlertKind.OBSERVER_DANGER, ("b",)) in kinds
    assert not any(a.incident_ids == ("c",) and a.kind is AlertKind.CIVILIAN_HARM for a in first)
    again = escalation_alerts("t", signals, RULES, NOW + timedelta(days=1))
    assert [a.id for a in again] == [a.id for a in first]
