"""Writing many rows fast: ``COPY … FROM STDIN`` on PostgreSQL, ``executemany`` elsewhere.

The scale generator writes millions of rows. ``bulk_create`` (and simple-history's
``bulk_create_with_history`` built on it) spends most of that time in Python: on PostgreSQL,
Django 5.2 sends each batch as ``UNNEST`` arrays and psycopg escapes every text element of
those arrays in pure Python — measured at about four times the cost of COPY for the generator's
rows. Here ids are taken from the table's own sequence first, so related rows can point at each
other, and rows go out as plain tuples. Each value passes the same conversion the ORM applies
for the backend (JSON, date-times on SQLite, choices as plain strings), so what is stored is
what ``bulk_create`` would have stored; history rows are the ``+`` rows ``bulk_history_create``
would have made.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

from django.db import connection, models
from simple_history.utils import get_history_model_for_model

CHUNK = 5000


def _converter(field: models.Field):
    """How a value of ``field`` is passed to the database, or None when as it is."""
    postgres = connection.vendor == "postgresql"
    if isinstance(field, models.JSONField):
        return lambda value: json.dumps(value, cls=field.encoder)
    if isinstance(field, models.CharField | models.TextField):
        # Choices are str enums; the driver must see the plain value.
        return str
    if postgres:
        return None  # psycopg adapts dates, date-times (aware), decimals and UUIDs itself
    if isinstance(field, models.DateTimeField):
        return connection.ops.adapt_datetimefield_value
    if isinstance(field, models.DateField):
        return connection.ops.adapt_datefield_value
    if isinstance(field, models.DecimalField):
        return lambda value: connection.ops.adapt_decimalfield_value(
            value, field.max_digits, field.decimal_places
        )
    if isinstance(field, models.UUIDField):
        return lambda value: value.hex
    return None


def insert_rows(model: type[models.Model], columns: Sequence[str], rows: Iterable[tuple]) -> int:
    """Insert ``rows`` (tuples in the order of ``columns``, field names) into ``model``'s table."""
    fields = [model._meta.get_field(name) for name in columns]
    converters = [(i, c) for i, c in enumerate(map(_converter, fields)) if c is not None]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = ", ".join(quote(f.column) for f in fields)

    def converted(row: tuple) -> tuple:
        if not converters:
            return row
        row = list(row)
        for index, convert in converters:
            if row[index] is not None:
                row[index] = convert(row[index])
        return tuple(row)

    written = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(converted(row))
                    written += 1
            return written
        # Table and column names come from the model's metadata, quoted by the backend.
        marks = ", ".join(["%s"] * len(fields))
        sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608
        batch: list[tuple] = []
        for row in rows:
            batch.append(converted(row))
            if len(batch) >= CHUNK:
                cursor.executemany(sql, batch)
                written += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            written += len(batch)
    return written


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """``count`` new primary keys for ``model``, never handed out again by the database."""
    if not count:
        return []
    table = model._meta.db_table
    column = model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [connection.ops.quote_name(table), column, count],
            )
            return [row[0] for row in cursor.fetchall()]
        # SQLite: the writer holds the database lock for the transaction, so nobody else takes
        # ids meanwhile; AUTOINCREMENT's counter is honoured so deleted ids are not reused.
        quote = connection.ops.quote_name
        cursor.execute(f"SELECT COALESCE(MAX({quote(column)}), 0) FROM {quote(table)}")  # noqa: S608
        highest = cursor.fetchone()[0]
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        found = cursor.fetchone()
        start = max(highest, found[0] if found else 0) + 1
        return list(range(start, start + count))


def store(
    model: type[models.Model], objects: list[models.Model], *, history_reason: str | None = None
) -> list[models.Model]:
    """Save new ``objects`` of ``model`` with fresh ids; with a reason, their ``+`` history too.

    Each object's history row takes its ``_history_date`` and ``_history_user``, as
    simple-history's ``bulk_history_create`` does.
    """
    if not objects:
        return objects
    for obj, pk in zip(objects, reserve_ids(model, len(objects)), strict=True):
        obj.pk = pk
        obj._state.adding = False
        obj._state.db = connection.alias
    fields = model._meta.concrete_fields
    insert_rows(
        model,
        [f.name for f in fields],
        (tuple(getattr(obj, f.attname) for f in fields) for obj in objects),
    )
    if history_reason is not None:
        history = get_history_model_for_model(model)
        tracked = [f for f in history.tracked_fields]
        insert_rows(
            history,
            [f.name for f in tracked]
            + ["history_date", "history_change_reason", "history_type", "history_user"],
            (
                tuple(getattr(obj, f.attname) for f in tracked)
                + (obj._history_date, history_reason, "+", obj._history_user.pk)
                for obj in objects
            ),
        )
    return objects
