"""PostGIS on PostgreSQL: each place's feature as a geometry column with a GiST index (issue #14).

Measured at 100k places (README, "Spatial queries"), PostGIS answers a ``bbox`` 4–8× faster
than the box index of ``registry.spatial_index`` followed by the exact test in Python, because
it tests lines and areas against the box inside the index scan. So where the database server
has PostGIS, ``registry_place`` gets one more column, ``feature geometry(Geometry, 4326)``:
the place's line or area (``geometry``, GeoJSON) where it has one, else its representative
point (``longitude``/``latitude``), the same feature a GIS client is served. A trigger
derives it on every insert and update, so every write path (the services, the importer's
``COPY`` and bulk rows, a raw ``UPDATE``) keeps it current and the GeoJSON stays the one
stored truth; ``place_feature_postgis`` indexes it.

Why a column the ORM does not know rather than GeoDjango's ``GeometryField``: the model is
shared with the embedded default, SQLite, where GeoDjango needs SpatiaLite loaded as an
extension, which the Python this project runs on cannot do (README, "Why not GeoDjango"); and
a bureau's DBA may not allow PostGIS, where the box index still answers (``available``).

``ensure`` runs after every ``migrate`` (``registry.apps``): it creates the extension if the
server offers it and the role may, adds the column, the trigger and the index, and fills the
column; a server that gains PostGIS later gets it on the next ``migrate``.
"""

from __future__ import annotations

import logging

from django.db import DatabaseError, connections, transaction
from django.db.models.expressions import RawSQL

log = logging.getLogger(__name__)

COLUMN = "feature"
INDEX = "place_feature_postgis"
FUNCTION = "registry_place_feature"
TRIGGER = "registry_place_feature"


def _feature(row: str) -> str:
    """The feature of one row (``NEW.`` in the trigger, no prefix in the fill): a JSON object in
    ``geometry`` is the line or area; otherwise the point, if there is one."""
    return (
        f"CASE WHEN jsonb_typeof({row}geometry) = 'object' "
        f"THEN ST_SetSRID(ST_GeomFromGeoJSON({row}geometry::text), 4326) "
        f"WHEN {row}longitude IS NOT NULL AND {row}latitude IS NOT NULL "
        f"THEN ST_SetSRID(ST_MakePoint({row}longitude::float8, {row}latitude::float8), 4326) END"
    )


_CHANGED = (
    "NEW.geometry IS DISTINCT FROM OLD.geometry OR NEW.longitude IS DISTINCT FROM OLD.longitude "
    "OR NEW.latitude IS DISTINCT FROM OLD.latitude"
)
_STATEMENTS = (
    f"ALTER TABLE registry_place ADD COLUMN IF NOT EXISTS {COLUMN} geometry(Geometry, 4326)",
    f"CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    f"IF TG_OP = 'INSERT' OR {_CHANGED} THEN NEW.{COLUMN} := {_feature('NEW.')}; END IF; RETURN NEW; END $$",
    f"DROP TRIGGER IF EXISTS {TRIGGER} ON registry_place",
    # Not ``UPDATE OF longitude, …``: a trigger's column list would make PostgreSQL refuse a
    # later migration that alters one of those columns' type.
    f"CREATE TRIGGER {TRIGGER} BEFORE INSERT OR UPDATE ON registry_place FOR EACH ROW EXECUTE FUNCTION {FUNCTION}()",
    f"CREATE INDEX IF NOT EXISTS {INDEX} ON registry_place USING gist ({COLUMN})",
)
_FILL = (
    f"UPDATE registry_place SET {COLUMN} = {_feature('')} "
    f"WHERE {COLUMN} IS NULL AND (longitude IS NOT NULL OR jsonb_typeof(geometry) = 'object')"
)

# Per database (alias and name, since the test runner renames it): whether ``feature`` is there.
_present: dict[tuple[str, str], bool] = {}


def _key(connection) -> tuple[str, str]:
    return connection.alias, str(connection.settings_dict.get("NAME"))


def _column_exists(cursor) -> bool:
    cursor.execute(
        "SELECT 1 FROM information_schema.columns WHERE table_name = 'registry_place' AND column_name = %s",
        [COLUMN],
    )
    return cursor.fetchone() is not None


def _extension_ready(cursor) -> bool:
    """Whether PostGIS is installed in the database, creating it if the server offers it."""
    cursor.execute("SELECT installed_version FROM pg_available_extensions WHERE name = 'postgis'")
    row = cursor.fetchone()
    if row is None:
        return False  # the server has no PostGIS package
    if row[0] is None:
        try:
            with transaction.atomic(using=cursor.db.alias):
                cursor.execute("CREATE EXTENSION IF NOT EXISTS postgis")
        except DatabaseError as error:  # a role without the right to create it: the DBA must
            log.warning("PostGIS is on the server but could not be created here: %s", error)
            return False
    return True


def ensure(connection) -> bool:
    """Give ``registry_place`` its PostGIS feature column where PostgreSQL has PostGIS; True if it did."""
    if connection.vendor != "postgresql":
        return False
    _present.pop(_key(connection), None)
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('registry_place')")
        if cursor.fetchone()[0] is None or not _extension_ready(cursor):
            return False
        with transaction.atomic(using=connection.alias):
            for statement in _STATEMENTS:
                cursor.execute(statement)
            cursor.execute(_FILL)
    return True


def available(alias: str) -> bool:
    """Whether the database ``alias`` answers boxes from the PostGIS column (asked once per database)."""
    connection = connections[alias]
    if connection.vendor != "postgresql":
        return False
    key = _key(connection)
    if key not in _present:
        with connection.cursor() as cursor:
            _present[key] = _column_exists(cursor)
    return _present[key]


def forget() -> None:
    """Ask the databases again (a test or a benchmark that drops or adds the column)."""
    _present.clear()


def meeting(west: float, south: float, east: float, north: float) -> RawSQL:
    """The ids of the places whose feature meets the box, edges included (``ST_Intersects`` on the
    index). The box as ``box2d`` cast to a geometry, not ``ST_MakeEnvelope``: a box of no width
    or height then becomes the point or the line it is (an envelope would be an empty polygon)."""
    box = "ST_SetSRID(ST_MakeBox2D(ST_Point(%s, %s), ST_Point(%s, %s))::geometry, 4326)"
    return RawSQL(f"SELECT id FROM registry_place WHERE ST_Intersects({COLUMN}, {box})", (west, south, east, north))
