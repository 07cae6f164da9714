"""ACLED event types and sub-types, and the weapon classes truce records."""

from __future__ import annotations

from enum import Enum

__all__ = [
    "EVENT_TYPES", "HEAVY_WEAPONS", "TERRITORY_SUB_TYPES", "WeaponClass", "check_event_type", "fire_family",
    "is_territory_change",
]

EVENT_TYPES: dict[str, tuple[str, ...]] = {
    "Battles": ("Armed clash", "Government regains territory", "Non-state actor overtakes territory"),
    "Explosions/Remote violence": (
        "Chemical weapon", "Air/drone strike", "Suicide bomb",
        "Shelling/artillery/missile attack", "Remote explosive/landmine/IED", "Grenade",
    ),
    "Violence against civilians": ("Sexual violence", "Attack", "Abduction/forced disappearance"),
    "Protests": ("Peaceful protest", "Protest with intervention", "Excessive force against protesters"),
    "Riots": ("Violent demonstration", "Mob violence"),
    "Strategic developments": (
        "Agreement", "Arrests", "Change to group/activity", "Disrupted weapons use",
        "Headquarters or base established", "Looting/property destruction",
        "Non-violent transfer of territory", "Other",
    ),
}


class WeaponClass(str, Enum):
    SMALL_ARMS = "small_arms"
    MORTAR = "mortar"
    ARTILLERY = "artillery"
    ROCKET = "rocket"
    MISSILE = "missile"
    BALLISTIC_MISSILE = "ballistic_missile"
    CLUSTER_MUNITION = "cluster_munition"
    ARMED_DRONE = "armed_drone"
    AVIATION = "aviation"
    TANK = "tank"
    LANDMINE = "landmine"
    NONE = "none"
    UNKNOWN = "unknown"


HEAVY_WEAPONS = frozenset({
    WeaponClass.ARTILLERY, WeaponClass.ROCKET, WeaponClass.MISSILE,
    WeaponClass.BALLISTIC_MISSILE, WeaponClass.CLUSTER_MUNITION,
    WeaponClass.ARMED_DRONE, WeaponClass.AVIATION, WeaponClass.TANK,
})

# Weapons an observer may mistake for one another (a rocket heard as artillery,
# a drone's strike seen as a missile's), and so of one kind of fire.
_FIRE_FAMILIES = {
    "indirect fire": (WeaponClass.MORTAR, WeaponClass.ARTILLERY, WeaponClass.ROCKET,
                      WeaponClass.CLUSTER_MUNITION),
    "strikes from the air": (WeaponClass.MISSILE, WeaponClass.BALLISTIC_MISSILE,
                             WeaponClass.ARMED_DRONE, WeaponClass.AVIATION),
    "direct fire": (WeaponClass.SMALL_ARMS, WeaponClass.TANK),
    "mines": (WeaponClass.LANDMINE,),
}
_FAMILY_OF = {weapon: family for family, weapons in _FIRE_FAMILIES.items() for weapon in weapons}

TERRITORY_SUB_TYPES = frozenset({"Government regains territory", "Non-state actor overtakes territory"})


def fire_family(weapon: WeaponClass | str | None) -> str | None:
    """The kind of fire a weapon class belongs to ("indirect fire" for
    artillery, rockets and mortars; "strikes from the air"; "direct fire";
    "mines"), or None when the weapon is unknown or none.

    >>> fire_family("rocket") == fire_family(WeaponClass.ARTILLERY)
    True
    """
    try:
        return _FAMILY_OF.get(WeaponClass(weapon)) if weapon is not None else None
    except ValueError:
        return None


def is_territory_change(event_type: str | None, sub_type: str | None) -> bool:
    """Ground taken or retaken (ACLED's territory sub-types of Battles): a change of
    control, not an exchange of fire."""
    return event_type == "Battles" and sub_type in TERRITORY_SUB_TYPES


def check_event_type(event_type: str, sub_type: str | None) -> None:
    """Raise ValueError unless the pair is in ACLED's taxonomy."""
    if event_type not in EVENT_TYPES:
        raise ValueError(f"unknown event type {event_type!r}; one of {', '.join(EVENT_TYPES)}")
    if sub_type is not None and sub_type not in EVENT_TYPES[event_type]:
        raise ValueError(
            f"sub-type {sub_type!r} is not a sub-type of {event_type!r}; "
            f"one of {', '.join(EVENT_TYPES[event_type])}"
        )
