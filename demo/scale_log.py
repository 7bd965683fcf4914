"""The transition log of generated scale data: collected compactly, written as one valid chain.

``generate_scale_data`` plans about five transitions per application (a million at 200,000
applications). They are collected here in typed arrays (a few dozen bytes each, instead of a
model instance each), sorted by time so that the sequence follows the clock as it does when
people act, and appended after the current ``ChainHead`` with every hash computed by the
model's own ``TransitionLog.compute_hash()``, so ``manage.py verify_audit`` passes afterwards.
"""

from __future__ import annotations

import datetime
from array import array
from collections.abc import Callable

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from audit.models import ChainHead, TransitionLog
from demo.fast_insert import insert_rows

EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
MICROSECOND = datetime.timedelta(microseconds=1)
COLUMNS = (
    "sequence",
    "content_type",
    "object_id",
    "object_repr",
    "transition",
    "source_state",
    "target_state",
    "actor",
    "actor_username",
    "note",
    "created_at",
    "prev_hash",
    "hash",
)


def to_micros(moment: datetime.datetime) -> int:
    return (moment - EPOCH) // MICROSECOND


def from_micros(value: int) -> datetime.datetime:
    # Exact integer arithmetic: a float timestamp would round away microseconds.
    return EPOCH + datetime.timedelta(microseconds=value)


class EventLog:
    """Transitions waiting to be written, one column per field."""

    def __init__(self) -> None:
        self.usernames: dict[int, str] = {}
        self.clear()

    def clear(self) -> None:
        """Forget the written transitions; the usernames of the actors stay known."""
        self.when = array("q")
        self.model = array("b")
        self.object = array("q")
        self.step = array("h")
        self.actor = array("q")
        self.note = array("i")
        self._models: list[type] = []
        self._model_index: dict[type, int] = {}
        self._steps: list[tuple[str, str, str]] = []
        self._step_index: dict[tuple[str, str, str], int] = {}
        self._notes: list[str] = [""]
        self._note_index: dict[str, int] = {"": 0}
        # object_repr: what a reader of the log sees as the object (part of the hash).
        self.reprs: dict[tuple[int, int], str] = {}

    def __len__(self) -> int:
        return len(self.when)

    def _intern(self, value, table: list, index: dict) -> int:
        found = index.get(value)
        if found is None:
            found = index[value] = len(table)
            table.append(value)
        return found

    def name(self, model: type, pk: int, text: str) -> None:
        kind = self._intern(model, self._models, self._model_index)
        self.reprs[(kind, pk)] = text[:255]

    def add(
        self,
        moment: datetime.datetime,
        model: type,
        pk: int,
        transition: str,
        source: str,
        target: str,
        actor_id: int,
        note: str = "",
    ) -> None:
        self.when.append(to_micros(moment))
        self.model.append(self._intern(model, self._models, self._model_index))
        self.object.append(pk)
        self.step.append(
            self._intern((transition, str(source), str(target)), self._steps, self._step_index)
        )
        self.actor.append(actor_id)
        self.note.append(self._intern(note, self._notes, self._note_index))

    def write(self, report: Callable[[str], None] | None = None) -> int:
        """Append every collected transition to the chain, oldest first; return how many.

        The chain head stays locked for the whole append, as ``record_transition`` locks it for
        one row, so a transition made meanwhile by a person waits instead of forking the chain.
        """
        total = len(self)
        if not total:
            return 0
        order = sorted(range(total), key=self.when.__getitem__)
        # One unsaved entry per object type, its fields set row by row: every hash comes from
        # the model's own compute_hash() without building a million model instances.
        scratch = [
            TransitionLog(content_type=ContentType.objects.get_for_model(m)) for m in self._models
        ]
        with transaction.atomic():
            head = ChainHead.objects.select_for_update().get(pk=1)
            state = {"sequence": head.last_sequence, "previous": head.last_hash}

            def rows():
                for done, index in enumerate(order, start=1):
                    entry = scratch[self.model[index]]
                    entry.sequence = state["sequence"] = state["sequence"] + 1
                    entry.object_id = str(self.object[index])
                    entry.object_repr = self.reprs.get((self.model[index], self.object[index]), "")
                    entry.transition, entry.source_state, entry.target_state = self._steps[
                        self.step[index]
                    ]
                    entry.actor_id = self.actor[index]
                    entry.actor_username = self.usernames[entry.actor_id]
                    entry.note = self._notes[self.note[index]]
                    entry.created_at = from_micros(self.when[index])
                    entry.prev_hash = state["previous"]
                    entry.hash = state["previous"] = entry.compute_hash()
                    if report and done % 200_000 == 0:
                        report(f"  transition log: {done:,} of {total:,} rows")
                    yield (
                        entry.sequence,
                        entry.content_type_id,
                        entry.object_id,
                        entry.object_repr,
                        entry.transition,
                        entry.source_state,
                        entry.target_state,
                        entry.actor_id,
                        entry.actor_username,
                        entry.note,
                        entry.created_at,
                        entry.prev_hash,
                        entry.hash,
                    )

            insert_rows(TransitionLog, COLUMNS, rows())
            ChainHead.objects.filter(pk=1).update(
                last_sequence=state["sequence"], last_hash=state["previous"]
            )
        self.clear()
        return total
