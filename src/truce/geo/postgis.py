"""The same geometry facts as ``truce.geo.facts``, computed by PostGIS in SQL.

Incidents carry a generated ``geom`` Point (SRID 4326) and line versions a
generated ``geom`` on PostgreSQL (revision 0002). Containment and nearest
neighbours are computed after ``ST_Transform`` to UTM 38N (EPSG:32638,
metres), as shapely does; the reported distance to the line is the
geodesic one (``geography``), which differs from the UTM distance by well
under 0.5 % in the theatre. Borders and the held area are not tables; they
are passed in as GeoJSON parameters from the same files shapely reads.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, text

from ..domain.violations import GeoFacts
from .facts import DEFAULT_CONTROL_RADIUS_M, DEFAULT_POPULATED_RADIUS_M
from .geometry import Theatre, theatre
from .lines import COUNTRY_SIDE, HELD_AREA_PARTY, LineHistory

__all__ = ["postgis_facts"]

_PLACES = """
DROP TABLE IF EXISTS truce_places_m;
CREATE TEMP TABLE truce_places_m ON COMMIT DROP AS
  SELECT id, ST_Transform(ST_SetSRID(ST_MakePoint(longitude, latitude), 4326), 32638) AS m
  FROM places;
CREATE INDEX ON truce_places_m USING gist (m);
ANALYZE truce_places_m;
"""

_FACTS = """
WITH versions AS MATERIALIZED (
  SELECT v.valid_from, v.drawn_from
  FROM jsonb_to_recordset(CAST(:versions AS jsonb)) AS v(valid_from date, drawn_from date)
), changes AS MATERIALIZED (
  SELECT c.place_id, c.side, c.since,
         ST_Transform(ST_SetSRID(ST_MakePoint(c.lon, c.lat), 4326), 32638) AS m
  FROM jsonb_to_recordset(CAST(:changes AS jsonb))
       AS c(place_id text, lon float8, lat float8, side text, since date)
), countries AS MATERIALIZED (
  SELECT e.key AS iso, ST_Transform(ST_SetSRID(ST_GeomFromGeoJSON(e.value::text), 4326), 32638) AS m
  FROM jsonb_each(CAST(:countries AS jsonb)) AS e
), held AS MATERIALIZED (
  SELECT ST_Transform(ST_SetSRID(ST_GeomFromGeoJSON(:held), 4326), 32638) AS m
), sectors AS MATERIALIZED (
  SELECT valid_from, sector, geom, ST_Transform(geom, 32638) AS m FROM line_versions
), pts AS (
  SELECT i.id, i.geom, ST_Transform(i.geom, 32638) AS m,
         CAST(i.start AT TIME ZONE :tz AS date) AS day
  FROM incidents i
  WHERE i.geom IS NOT NULL {where}
), judged AS (
  SELECT p.*, COALESCE((SELECT max(valid_from) FROM versions WHERE valid_from <= p.day),
                       (SELECT min(valid_from) FROM versions)) AS version
  FROM pts p
)
SELECT j.id, j.version, s.sector,
  ST_Distance(CAST(j.geom AS geography), CAST(s.geom AS geography)) AS distance_m,
  (SELECT c.iso FROM countries c WHERE ST_Contains(c.m, j.m) ORDER BY c.iso LIMIT 1) AS country,
  ST_Contains((SELECT m FROM held), j.m) AS in_held,
  (SELECT ch.side FROM (
      SELECT DISTINCT ON (place_id) place_id, side, m FROM changes
      WHERE since <= j.version ORDER BY place_id, since DESC) ch
   WHERE ST_DWithin(ch.m, j.m, :control_r)
   ORDER BY ST_Distance(ch.m, j.m), ch.place_id LIMIT 1) AS changed_side,
  (SELECT pl.id FROM truce_places_m pl WHERE ST_DWithin(pl.m, j.m, :populated_r)
   ORDER BY pl.m <-> j.m, pl.id LIMIT 1) AS place_id
FROM judged j
JOIN versions v ON v.valid_from = j.version
CROSS JOIN LATERAL (
  SELECT sector, geom FROM sectors WHERE valid_from = v.drawn_from
  ORDER BY ST_Distance(m, j.m), sector LIMIT 1) s
"""


def postgis_facts(connection: Connection, history: LineHistory, *, tz: str,
                  incident_ids: Sequence[str] | None = None,
                  populated_radius_m: float = DEFAULT_POPULATED_RADIUS_M,
                  control_radius_m: float = DEFAULT_CONTROL_RADIUS_M,
                  geometry: Theatre | None = None) -> dict[str, GeoFacts]:
    """Facts for every located incident (or those in ``incident_ids``), by id.

    Takes the connection of an open unit of work on PostgreSQL, the line
    history (for version dates and control changes; sector geometry comes
    from ``line_versions.geom``) and the theatre's time zone name, which
    defines an incident's day. Uses a temporary table dropped at commit.
    """
    if connection.dialect.name != "postgresql":
        raise RuntimeError("postgis_facts needs PostgreSQL with PostGIS")
    geo = geometry or theatre()
    for statement in filter(None, (s.strip() for s in _PLACES.split(";"))):
        connection.execute(text(statement))
    params: dict[str, Any] = {
        "versions": json.dumps([{"valid_from": v.valid_from.isoformat(),
                                 "drawn_from": v.drawn_from.isoformat()} for v in history.versions]),
        "changes": json.dumps([{"place_id": c.place_id, "lon": c.longitude, "lat": c.latitude,
                                "side": c.side, "since": c.since.isoformat()}
                               for c in history.changes]),
        "countries": json.dumps(geo.countries_lonlat),
        "held": json.dumps(geo.held_area_lonlat),
        "tz": tz, "control_r": control_radius_m, "populated_r": populated_radius_m,
    }
    where = ""
    if incident_ids is not None:
        where = "AND i.id = ANY(:ids)"
        params["ids"] = list(incident_ids)
    rows = connection.execute(text(_FACTS.format(where=where)), params).mappings()
    found: dict[str, GeoFacts] = {}
    for r in rows:
        side = r["changed_side"] or (HELD_AREA_PARTY if r["in_held"] else COUNTRY_SIDE.get(r["country"]))
        found[r["id"]] = GeoFacts(
            distance_to_line_m=float(r["distance_m"]), side=side, sector=r["sector"],
            sovereign_country=r["country"], in_disputed_region=bool(r["in_held"]),
            populated_place_id=r["place_id"], line_valid_from=r["version"],
        )
    return found
