"""The spatial index of places: an R*Tree on SQLite, a GiST on PostgreSQL (issue #14).

Each located place is indexed by one rectangle, the union of its geometry's envelope
(``geometry_west/south/east/north``) and its representative point
(``longitude``/``latitude``): so the same index serves ``bbox``, which meets a place's
line or area where it has one and its point otherwise, and ``near``, which measures from
the point. A search asks the index for the rectangles meeting a box (``narrow``);
``registry.spatial`` then keeps the exact answer from those few rows (the R*Tree stores
32-bit floats, rounded outwards, so its answer holds a little more, never less).

- **SQLite** (the embedded default): the R*Tree module built into SQLite,
  ``registry_place_rtree(id, west, east, south, north)``, kept in step with
  ``registry_place`` by three triggers, so every write path (the services, the
  importer's bulk rows, a raw ``UPDATE``) keeps it current. Django rebuilds a table on
  SQLite for some migrations (``ALTER`` it cannot do in place), dropping its triggers:
  ``ensure`` (run after every ``migrate``, ``registry.apps``) puts them back and refills
  the tree if it had fallen behind.
- **PostgreSQL**: a partial GiST index, ``place_feature_gist``, on the expression
  ``box(point(west, south), point(east, north))`` of the same rectangle; a query repeats
  the expression with ``&&`` (overlaps, edges included), which the planner answers from
  the index.

Migration ``0028_spatial_index`` creates both (each on its own database) and replaces
the B-tree indexes ``place_location`` and ``place_geometry_box``.
"""

from __future__ import annotations

from django.db import connections
from django.db.models import BooleanField, F, FloatField, Func, Q, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast

RTREE = "registry_place_rtree"
GIST = "place_feature_gist"
TRIGGERS = ("registry_place_rtree_insert", "registry_place_rtree_update", "registry_place_rtree_delete")
LOCATED = "(longitude IS NOT NULL OR geometry_west IS NOT NULL)"

# SQLite: min()/max() with several arguments are scalar there, and NULL if any is NULL: hence
# each side COALESCEd with the other. PostgreSQL's LEAST/GREATEST skip NULLs.
_SQLITE_RECT = {
    "west": "min(COALESCE({p}geometry_west, CAST({p}longitude AS REAL)), COALESCE(CAST({p}longitude AS REAL), {p}geometry_west))",
    "east": "max(COALESCE({p}geometry_east, CAST({p}longitude AS REAL)), COALESCE(CAST({p}longitude AS REAL), {p}geometry_east))",
    "south": "min(COALESCE({p}geometry_south, CAST({p}latitude AS REAL)), COALESCE(CAST({p}latitude AS REAL), {p}geometry_south))",
    "north": "max(COALESCE({p}geometry_north, CAST({p}latitude AS REAL)), COALESCE(CAST({p}latitude AS REAL), {p}geometry_north))",
}
PG_RECT = (
    "box(point(LEAST(geometry_west, longitude::float8), LEAST(geometry_south, latitude::float8)), "
    "point(GREATEST(geometry_east, longitude::float8), GREATEST(geometry_north, latitude::float8)))"
)


def _rect(prefix: str) -> str:
    return ", ".join(_SQLITE_RECT[side].format(p=prefix) for side in ("west", "east", "south", "north"))


def _new_row(prefix: str) -> str:
    located = f"({prefix}longitude IS NOT NULL OR {prefix}geometry_west IS NOT NULL)"
    return f"INSERT OR REPLACE INTO {RTREE} (id, west, east, south, north) SELECT {prefix}id, {_rect(prefix)} WHERE {located};"


SQLITE_TRIGGERS = {
    TRIGGERS[0]: f"AFTER INSERT ON registry_place BEGIN {_new_row('NEW.')} END",
    TRIGGERS[1]: (
        "AFTER UPDATE OF id, longitude, latitude, geometry_west, geometry_south, geometry_east, geometry_north "
        f"ON registry_place BEGIN DELETE FROM {RTREE} WHERE id = OLD.id; {_new_row('NEW.')} END"
    ),
    TRIGGERS[2]: f"AFTER DELETE ON registry_place BEGIN DELETE FROM {RTREE} WHERE id = OLD.id; END",
}


def _fill_sqlite(cursor) -> None:
    cursor.execute(f"DELETE FROM {RTREE}")
    cursor.execute(
        f"INSERT INTO {RTREE} (id, west, east, south, north) SELECT id, {_rect('')} FROM registry_place WHERE {LOCATED}"
    )


def create(connection) -> None:
    """Create the index on ``connection`` and fill it (the migration's forward step)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS {RTREE} USING rtree(id, west, east, south, north)")
            for name, body in SQLITE_TRIGGERS.items():
                cursor.execute(f"CREATE TRIGGER IF NOT EXISTS {name} {body}")
            _fill_sqlite(cursor)
        elif connection.vendor == "postgresql":
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS {GIST} ON registry_place USING gist (({PG_RECT})) WHERE {LOCATED}"
            )


def drop(connection) -> None:
    """The migration's backward step."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for name in TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
            cursor.execute(f"DROP TABLE IF EXISTS {RTREE}")
        elif connection.vendor == "postgresql":
            cursor.execute(f"DROP INDEX IF EXISTS {GIST}")


def ensure(connection) -> bool:
    """On SQLite, where the R*Tree exists, put back any trigger a table rebuild dropped and
    refill the tree if it no longer holds one row per located place; True if it repaired."""
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger') AND name LIKE 'registry_place_rtree%'"
        )
        present = {row[0] for row in cursor.fetchall()}
        if RTREE not in present:
            return False  # not migrated so far (or migrated back)
        missing = [name for name in TRIGGERS if name not in present]
        for name in missing:
            cursor.execute(f"CREATE TRIGGER IF NOT EXISTS {name} {SQLITE_TRIGGERS[name]}")
        cursor.execute(f"SELECT (SELECT count(*) FROM {RTREE}), (SELECT count(*) FROM registry_place WHERE {LOCATED})")
        indexed, located = cursor.fetchone()
        if missing or indexed != located:
            _fill_sqlite(cursor)
            return True
    return False


def _pg_rect():
    """The indexed expression ``PG_RECT`` as an ORM expression, so that its columns carry the
    query's own table alias (the planner matches it to the index's expression)."""
    lon, lat = Cast("longitude", FloatField()), Cast("latitude", FloatField())

    def call(function, *args):
        return Func(*args, function=function, output_field=FloatField())

    low = call("point", call("LEAST", F("geometry_west"), lon), call("LEAST", F("geometry_south"), lat))
    high = call("point", call("GREATEST", F("geometry_east"), lon), call("GREATEST", F("geometry_north"), lat))
    return call("box", low, high)


def _pg_box(west, south, east, north):
    def call(function, *args):
        return Func(*args, function=function, output_field=FloatField())

    return call("box", call("point", Value(west), Value(south)), call("point", Value(east), Value(north)))


def narrow(queryset, west: float, south: float, east: float, north: float):
    """``queryset`` narrowed by the index to the places whose rectangle meets the box (edges
    included): on SQLite by the ids the R*Tree gives (a subquery), on PostgreSQL by the
    indexed expression with ``&&`` (and the index's own condition, so the planner may use
    it); unchanged on a database without the index (the caller's exact filter then does it all)."""
    vendor = connections[queryset.db].vendor
    if vendor == "sqlite":
        ids = RawSQL(
            f"SELECT id FROM {RTREE} WHERE west <= %s AND east >= %s AND south <= %s AND north >= %s",
            (east, west, north, south),
        )
        return queryset.filter(pk__in=ids)
    if vendor == "postgresql":
        overlaps = Func(
            _pg_rect(),
            _pg_box(west, south, east, north),
            template="(%(expressions)s)",
            arg_joiner=" && ",
            output_field=BooleanField(),
        )
        return queryset.filter(Q(longitude__isnull=False) | Q(geometry_west__isnull=False), overlaps)
    return queryset
