"""Appending to the transition log; the only code that writes TransitionLog rows."""

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models
from django.db.models import sql
from django.utils import timezone

from audit.models import ChainHead, TransitionLog


def record_transition(
    *, obj: models.Model, transition: str, source: str, target: str, actor, note: str = ""
) -> TransitionLog:
    """Append one hash-chained row; call inside the transaction that changed ``obj``."""
    head = ChainHead.objects.select_for_update().get(pk=1)
    entry = TransitionLog(
        sequence=head.last_sequence + 1,
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
        prev_hash=head.last_hash,
    )
    entry.hash = entry.compute_hash()
    if connection.vendor == "postgresql":
        _insert_and_move_head(entry)
    else:
        entry.save()
        ChainHead.objects.filter(pk=1).update(last_sequence=entry.sequence, last_hash=entry.hash)
    return entry


def _insert_and_move_head(entry: TransitionLog) -> None:
    """Insert ``entry`` and move the head to it in one statement (PostgreSQL).

    Every audited transition pays for this round trip, so PostgreSQL's data-modifying ``WITH``
    saves one of the transition's six statements. The INSERT is compiled by Django, so values
    are prepared exactly as ``save()`` would; the head row is already locked by the caller.
    """
    opts = TransitionLog._meta
    query = sql.InsertQuery(TransitionLog)
    query.insert_values([f for f in opts.concrete_fields if not f.primary_key], [entry])
    compiler = query.get_compiler(connection=connection)
    compiler.returning_fields = [opts.pk]
    ((insert, params),) = compiler.as_sql()
    head = connection.ops.quote_name(ChainHead._meta.db_table)
    with connection.cursor() as cursor:
        # Only the quoted table name and Django's compiled INSERT are formatted in; values are
        # parameters.
        statement = (
            f"WITH moved AS (UPDATE {head} SET last_sequence = %s, last_hash = %s WHERE id = 1) "  # noqa: S608
            f"{insert}"
        )
        cursor.execute(statement, [entry.sequence, entry.hash, *params])
        entry.pk = cursor.fetchone()[0]
    entry._state.adding = False
    entry._state.db = connection.alias
