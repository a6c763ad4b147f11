"""Bulk INSERT without the ORM's per-value machinery, for imports of 100k rows and more.

Django's ``bulk_create`` instantiates a model per row and prepares every value of every
field through the field API (two million calls for 20k places with their names and
history rows, 60 % of an import's time), then reads the new primary keys back. Here
rows are plain dicts; each model's columns are resolved once, with their defaults
prepared once; text and integer values pass through as they are, the few others (JSON,
dates, decimals, timestamps) go through their field's ``get_db_prep_save``. Primary
keys are reserved before the INSERT (``reserve_ids``), so nothing is read back, and rows
are written with ``executemany`` on SQLite and ``COPY`` on PostgreSQL. History rows
(django-simple-history) are copied inside the database from the rows just written
(``copy_history``), so imports keep their audit trail at bulk speed.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Sequence

from django.db import connection, models
from django.utils import timezone

_PLAIN = (
    models.CharField,
    models.TextField,
    models.IntegerField,
    models.BigIntegerField,
    models.PositiveIntegerField,
    models.BooleanField,
    models.ForeignKey,
)


class _Table:
    """A model's columns, their positions and prepared defaults, resolved once."""

    def __init__(self, model, *, explicit_pk: bool, table: str | None = None):
        self.fields = [
            f
            for f in model._meta.concrete_fields
            if explicit_pk or not (f.primary_key and isinstance(f, models.AutoField))
        ]
        self.position = {f.attname: i for i, f in enumerate(self.fields)}
        self.convert = {
            f.attname: f for f in self.fields if not isinstance(f, _PLAIN) or isinstance(f, models.JSONField)
        }
        # Imports stamp every row with the same timestamp: prepare each distinct value once.
        self.prepared: dict[tuple[str, object], object] = {}
        self.template = [
            None if f.primary_key else f.get_db_prep_save(f.get_default(), connection) for f in self.fields
        ]
        quote = connection.ops.quote_name
        names = ", ".join(quote(f.column) for f in self.fields)
        table = quote(table or model._meta.db_table)
        self.insert_sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(self.template))})"
        self.copy_sql = f"COPY {table} ({names}) FROM STDIN"

    def _prepare(self, field, value):
        if value is None:
            return value
        try:
            return self.prepared[(field.attname, value)]
        except (KeyError, TypeError):
            pass
        converted = field.get_db_prep_save(value, connection)
        try:
            if len(self.prepared) < 10_000:
                self.prepared[(field.attname, value)] = converted
        except TypeError:  # unhashable (JSON): not cached
            pass
        return converted

    def row(self, values: dict) -> tuple:
        out = self.template.copy()
        position, convert = self.position, self.convert
        for attname, value in values.items():
            i = position.get(attname)
            if i is None:
                continue  # a value for no column of this table
            out[i] = self._prepare(convert[attname], value) if attname in convert else value
        return tuple(out)


def reserve_ids(model, count: int) -> Sequence[int]:
    """``count`` new primary keys for ``model``, taken now so that rows can be written with them.

    On PostgreSQL they come from the table's sequence; on SQLite (whose tables Django
    creates AUTOINCREMENT) they follow the largest key ever used, and must be taken
    inside the transaction that writes them, after a first write has locked the database.
    """
    if count <= 0:
        return []
    table = model._meta.db_table
    column = model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)", [table, column, count]
            )
            ids = array("q")
            while rows := cursor.fetchmany(10_000):
                ids.extend(row[0] for row in rows)
            return ids
        cursor.execute(f"SELECT max({connection.ops.quote_name(column)}) FROM {connection.ops.quote_name(table)}")
        largest = cursor.fetchone()[0] or 0
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        found = cursor.fetchone()
        start = max(largest, found[0] if found else 0) + 1
        return range(start, start + count)


def insert(model, rows: Iterable[dict], *, explicit_pk: bool = True, table: str | None = None) -> int:
    """INSERT ``rows`` ({attname: value}; columns left out take the field's default) into
    ``model``'s table, or into ``table`` (a staging table of ``stage``)."""
    table = _Table(model, explicit_pk=explicit_pk, table=table)
    with connection.cursor() as cursor:
        return _write(cursor, table.insert_sql, table.copy_sql, map(table.row, rows))


def _write(cursor, insert_sql: str, copy_sql: str, rows: Iterable[tuple], batch: int = 5000) -> int:
    """Write ``rows`` a batch at a time (so that a stream of them never sits in memory whole)."""
    count = 0
    chunk: list[tuple] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == batch:
            count += _write_batch(cursor, insert_sql, copy_sql, chunk)
            chunk = []
    return count + (_write_batch(cursor, insert_sql, copy_sql, chunk) if chunk else 0)


def _write_batch(cursor, insert_sql: str, copy_sql: str, rows: list[tuple]) -> int:
    if connection.vendor == "postgresql":
        # COPY is several times faster than executemany on PostgreSQL: one stream, no statement per row.
        with cursor.cursor.copy(copy_sql) as copy:
            for row in rows:
                copy.write_row(row)
    else:
        cursor.executemany(insert_sql, rows)
    return len(rows)


def copy_history(model, *, revision: int, user=None, reason: str = "import") -> int:
    """History rows ("+", created) for the rows of ``model`` stamped with ``revision``, copied
    inside the database (INSERT … SELECT): no row passes through Python.

    Call it right after writing them, while this transaction's revision marks only them.
    """
    historical = model.history.model
    stamp = _history_stamp(model, user, reason)
    own = [f.column for f in historical._meta.concrete_fields if not f.primary_key and f.attname not in stamp]
    return insert_select(
        historical,
        own + list(stamp),
        model,
        own + ["%s"] * len(stamp),
        where="revision = %s",
        params=[*stamp.values(), revision],
    )


def insert_select(model, columns: list[str], source, expressions: list[str], *, where: str, params: list) -> int:
    """INSERT INTO ``model`` (columns) SELECT expressions FROM ``source`` (a model or a table
    name) WHERE …: the number of rows."""
    quote = connection.ops.quote_name
    source = source if isinstance(source, str) else source._meta.db_table
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(c) for c in columns)}) "
        f"SELECT {', '.join(e if e == '%s' else quote(e) for e in expressions)} "
        f"FROM {quote(source)} WHERE {where}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def stage(model, name: str) -> str:
    """A temporary table ``name`` with ``model``'s columns and no index or constraint, for rows
    written before the last of their values is known (``publish`` moves them)."""
    with connection.cursor() as cursor:
        _temporary_table(cursor, name, model, ["*"])
    return name


def _temporary_table(cursor, name: str, model, columns: list[str]) -> None:
    """An empty temporary table ``name`` shaped like ``columns`` of ``model``'s table."""
    quote = connection.ops.quote_name
    selected = ", ".join(c if c == "*" else quote(c) for c in columns)
    cursor.execute(f"DROP TABLE IF EXISTS {quote(name)}")
    cursor.execute(
        f"CREATE TEMPORARY TABLE {quote(name)} AS SELECT {selected} FROM {quote(model._meta.db_table)} WHERE 1 = 0"
    )


def publish(model, staging: str, values: Iterable[tuple], columns: tuple[str, ...]) -> int:
    """Move the staged rows into ``model``'s table, with ``columns`` taken from ``values``
    ((primary key, values of columns…) for some rows) where it has the row; drop the
    staging table.

    One INSERT … SELECT does what an UPDATE of each row would, at the cost of a single
    write per row and index (on PostgreSQL an UPDATE writes each row and its index
    entries a second time).
    """
    quote = connection.ops.quote_name
    pk = model._meta.pk.column
    given = f"{staging}_values"
    with connection.cursor() as cursor:
        _temporary_table(cursor, given, model, [pk, *columns])
        names = ", ".join(quote(c) for c in (pk, *columns))
        insert_sql = f"INSERT INTO {quote(given)} ({names}) VALUES ({', '.join(['%s'] * (len(columns) + 1))})"
        _write(cursor, insert_sql, f"COPY {quote(given)} ({names}) FROM STDIN", values)
        every = [f.column for f in model._meta.concrete_fields]
        chosen = [f"COALESCE(v.{quote(c)}, s.{quote(c)})" if c in columns else f"s.{quote(c)}" for c in every]
        cursor.execute(
            f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(c) for c in every)}) "
            f"SELECT {', '.join(chosen)} FROM {quote(staging)} s LEFT JOIN {quote(given)} v ON v.{quote(pk)} = s.{quote(pk)}"
        )
        count = cursor.rowcount
        cursor.execute(f"DROP TABLE {quote(given)}")
        cursor.execute(f"DROP TABLE {quote(staging)}")
    return count


def _history_stamp(model, user, reason: str) -> dict:
    historical = model.history.model
    now = timezone.now()
    return {
        "history_date": historical._meta.get_field("history_date").get_db_prep_save(now, connection),
        "history_change_reason": reason,
        "history_type": "+",
        "history_user_id": getattr(user, "pk", None),
    }
