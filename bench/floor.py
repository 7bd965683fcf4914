"""The floor under an audited vendor transition: its statements written by hand.

``vendor_cycle_by_hand`` sends what ``vendors.services.suspend_vendor``/``reinstate_vendor`` send
to the database — row lock, update, historical row, chain head lock, log row with the head moved,
notification task row, commit — as plain SQL through Django's own cursor (the same driver and
parameter binding), with values as wide as the real ones and a correctly chained log row. What
it leaves out is everything in Python around the statements: the ORM building and compiling
them, model instances, signals, django-fsm, django-simple-history and django-tasks. The ratio
of this to the bare update is the lowest an audited transition of this design can reach on this
machine; the service's own ratio is measured beside it (``bench/tasks.py transition``).
"""

from __future__ import annotations

import datetime
import json
import uuid

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone

from audit.models import TransitionLog
from audit.services import _append, _lock_head
from vendors.models import Vendor


def _columns(model) -> list[str]:
    return [f.column for f in model._meta.concrete_fields]


def _insert(model, columns: list[str], returning: str | None = None) -> str:
    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(map(quote, columns))}) "  # noqa: S608 (model tables)
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )
    return f"{sql} RETURNING {quote(returning)}" if returning else sql


class VendorCycleByHand:
    """Suspend and reinstate one verified vendor, each step in its own transaction."""

    def __init__(self, vendor: Vendor, actor):
        self.vendor_id, self.actor = vendor.pk, actor
        quote = connection.ops.quote_name
        self.vendor_columns = _columns(Vendor)
        self.history = Vendor.history.model
        own = set(self.vendor_columns)
        self.history_extra = [
            f.column
            for f in self.history._meta.concrete_fields
            if not f.primary_key and f.column not in own
        ]
        self.lock_sql = (
            f"SELECT {', '.join(map(quote, self.vendor_columns))} FROM {quote(Vendor._meta.db_table)} "  # noqa: S608
            f"WHERE id = %s{' FOR UPDATE' if connection.features.has_select_for_update else ''}"
        )
        self.update_sql = (
            f"UPDATE {quote(Vendor._meta.db_table)} SET status = %s, updated_at = %s "  # noqa: S608
            "WHERE id = %s AND status = %s"
        )
        self.history_sql = _insert(
            self.history, self.vendor_columns + self.history_extra, returning="history_id"
        )
        from django_tasks_db.models import DBTaskResult

        self.task_columns = _columns(DBTaskResult)
        self.task_sql = _insert(DBTaskResult, self.task_columns)
        self.content_type = ContentType.objects.get_for_model(Vendor)

    def step(self, name: str, source: str, target: str) -> None:
        now = timezone.now()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(self.lock_sql, [self.vendor_id])
            row = dict(zip(self.vendor_columns, cursor.fetchone(), strict=True))
            cursor.execute(self.update_sql, [target, now, self.vendor_id, source])
            row.update(status=target, updated_at=now)
            history = {
                "history_date": now,
                "history_change_reason": "bench",
                "history_type": "~",
                "history_user_id": self.actor.pk,
            }
            cursor.execute(
                self.history_sql,
                [row[c] for c in self.vendor_columns] + [history[c] for c in self.history_extra],
            )
            cursor.fetchone()
            # The chain is appended by the audit module's own statements, which are already
            # plain SQL through this cursor (audit/services.py).
            last_sequence, last_hash = _lock_head()
            entry = TransitionLog(
                sequence=last_sequence + 1,
                content_type=self.content_type,
                object_id=str(self.vendor_id),
                object_repr=row["legal_name"],
                transition=name,
                source_state=source,
                target_state=target,
                actor_id=self.actor.pk,
                actor_username=self.actor.get_username(),
                note="Bench, by hand.",
                created_at=now,
                prev_hash=last_hash,
            )
            entry.hash = entry.compute_hash()
            _append(entry)
            task = {
                "id": uuid.uuid4().hex if connection.vendor == "sqlite" else uuid.uuid4(),
                "status": "READY",
                "enqueued_at": now,
                "started_at": None,
                "finished_at": None,
                "args_kwargs": json.dumps({"args": [entry.sequence], "kwargs": {}}),
                "priority": 0,
                "task_path": "notifications.tasks.notify_of_transition",
                "worker_ids": "[]",
                "queue_name": "default",
                "backend_name": "default",
                "run_after": now + datetime.timedelta(days=3650),
                "return_value": "null",
                "exception_class_path": "",
                "traceback": "",
            }
            cursor.execute(self.task_sql, [task[c] for c in self.task_columns])
