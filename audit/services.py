"""Appending to the transition log; the only code that writes TransitionLog rows.

Every audited transition in Kurasi pays for this module, so it speaks to the database more
directly than the rest of the code: the chain head is read and locked with one small statement,
and the log row's INSERT is compiled by Django once per database and reused, its values still
prepared by each field exactly as ``save()`` would. Through the ORM the two statements cost
about a millisecond of Python per transition, more than the database spends on them
(docs/performance.md).
"""

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models
from django.db.models import sql
from django.utils import timezone

from audit.models import ChainHead, TransitionLog

_HEAD = connection.ops.quote_name(ChainHead._meta.db_table)
# Every column but the id, in the order the compiled INSERT names them.
_LOG_FIELDS = [f for f in TransitionLog._meta.concrete_fields if not f.primary_key]
_compiled: dict[str, str] = {}


def record_transition(
    *, obj: models.Model, transition: str, source: str, target: str, actor, note: str = ""
) -> TransitionLog:
    """Append one hash-chained row; call inside the transaction that changed ``obj``."""
    last_sequence, last_hash = _lock_head()
    entry = TransitionLog(
        sequence=last_sequence + 1,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        object_repr=str(obj)[:255],
        transition=transition,
        source_state=str(source),
        target_state=str(target),
        actor=actor,
        actor_username=actor.get_username(),
        note=note,
        created_at=timezone.now(),
        prev_hash=last_hash,
    )
    entry.hash = entry.compute_hash()
    _append(entry)
    return entry


def _lock_head() -> tuple[int, str]:
    """The chain's last sequence and hash, with its row locked until the transaction ends.

    Concurrent writers queue here, so the chain never forks (SQLite has one writer anyway).
    """
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT last_sequence, last_hash FROM {_HEAD} WHERE id = 1{lock}")  # noqa: S608 (a model's table name)
        row = cursor.fetchone()
    if row is None:
        raise ChainHead.DoesNotExist("The audit chain head is missing (migration audit 0002).")
    return row


def _insert_sql() -> str:
    """Django's INSERT of one log row returning its id, compiled once per database."""
    if connection.vendor not in _compiled:
        query = sql.InsertQuery(TransitionLog)
        query.insert_values(_LOG_FIELDS, [TransitionLog(created_at=timezone.now())])
        compiler = query.get_compiler(connection=connection)
        compiler.returning_fields = [TransitionLog._meta.pk]
        ((statement, _params),) = compiler.as_sql()
        _compiled[connection.vendor] = statement
    return _compiled[connection.vendor]


def _append(entry: TransitionLog) -> None:
    """Insert ``entry`` and move the head to it; the head row is already locked by the caller.

    On PostgreSQL a data-modifying ``WITH`` does both in one statement.
    """
    values = [f.get_db_prep_save(getattr(entry, f.attname), connection) for f in _LOG_FIELDS]
    move = f"UPDATE {_HEAD} SET last_sequence = %s, last_hash = %s WHERE id = 1"  # noqa: S608
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"WITH moved AS ({move}) {_insert_sql()}",
                [entry.sequence, entry.hash, *values],
            )
            entry.pk = cursor.fetchone()[0]
        else:
            cursor.execute(_insert_sql(), values)
            entry.pk = cursor.fetchone()[0]
            cursor.execute(move, [entry.sequence, entry.hash])
    entry._state.adding = False
    entry._state.db = connection.alias
