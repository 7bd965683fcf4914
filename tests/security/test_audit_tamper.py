"""Tampering with the transition log behind Kurasi's back, the way someone with database access
would: raw SQL through ``connection.cursor()``, ``QuerySet.update()`` and ``_raw_delete()``,
which skip the model's refusal to change or delete a row. ``manage.py verify_audit`` must fail
and name the first row where the chain no longer holds.

Not detectable, and so not tested: someone who rewrites rows, recomputes every later hash and
moves the chain head as well (the hash has no secret key). Only a copy of the head kept outside
the database would show that.
"""

from __future__ import annotations

import datetime
import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction

from audit.models import ChainHead, TransitionLog
from tests import factories
from vendors import services
from vendors.models import Product

pytestmark = pytest.mark.django_db

TABLE = TransitionLog._meta.db_table
ROWS = 6


@pytest.fixture
def chain():
    """Six transitions of two vendors (owner and officer acting in turn)."""
    officer = factories.staff()
    for _ in range(2):
        owner = factories.applicant()
        vendor = services.submit_vendor(
            vendor=factories.vendor_ready_to_submit(owner=owner), by=owner
        )
        vendor = services.return_vendor(vendor=vendor, by=officer, reason="Foto KTP buram.")
        services.submit_vendor(vendor=vendor, by=owner)
    assert TransitionLog.objects.count() == ROWS
    return list(TransitionLog.objects.order_by("sequence"))


def verify() -> str:
    out = io.StringIO()
    call_command("verify_audit", stdout=out)
    return out.getvalue().strip()


def broken_at(sequence: int, problem: str = "") -> str:
    """What verify_audit says; asserts it names ``sequence`` (and ``problem``, if given)."""
    with pytest.raises(CommandError) as caught:
        verify()
    message = str(caught.value)
    assert f"broken at entry #{sequence}:" in message, message
    assert problem in message, message
    return message


def sql(statement: str, params=()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement.format(table=TABLE), params)


def row_values(entry: TransitionLog, **changes) -> dict:
    values = {
        "sequence": entry.sequence,
        "content_type_id": entry.content_type_id,
        "object_id": entry.object_id,
        "object_repr": entry.object_repr,
        "transition": entry.transition,
        "source_state": entry.source_state,
        "target_state": entry.target_state,
        "actor_id": entry.actor_id,
        "actor_username": entry.actor_username,
        "note": entry.note,
        "created_at": entry.created_at,
        "prev_hash": entry.prev_hash,
        "hash": entry.hash,
    }
    values.update(changes)
    return values


def insert(values: dict) -> None:
    """INSERT one row with raw SQL (the model's save() is never involved)."""
    params = dict(values)
    params["created_at"] = connection.ops.adapt_datetimefield_value(params["created_at"])
    columns = ", ".join(params)
    marks = ", ".join(["%s"] * len(params))
    sql(f"INSERT INTO {{table}} ({columns}) VALUES ({marks})", list(params.values()))


def hashed(values: dict) -> dict:
    """``values`` with the hash Kurasi itself would compute for them."""
    entry = TransitionLog(**values)
    entry.content_type = ContentType.objects.get_for_id(values["content_type_id"])
    return {**values, "hash": entry.compute_hash()}


def make_room_at(sequence: int) -> None:
    """Renumber the rows from ``sequence`` on one up (in two steps: sequence is unique)."""
    sql("UPDATE {table} SET sequence = sequence + 1000 WHERE sequence >= %s", [sequence])
    sql("UPDATE {table} SET sequence = sequence - 999 WHERE sequence >= %s", [1000 + sequence])


# --- the untouched chain --------------------------------------------------------------------


def test_untouched_chain_verifies(chain):
    assert verify() == f"audit chain intact: {ROWS} entries"


# --- changing a row -------------------------------------------------------------------------


def _other_content_type():
    return ContentType.objects.get_for_model(Product).pk


def _other_actor():
    return factories.applicant().pk


# Every column but the surrogate key ``id``, which means nothing (order is by sequence).
CHANGES = {
    "content_type_id": (_other_content_type, "row content does not match its hash"),
    "object_id": (lambda: "999999", "row content does not match its hash"),
    "object_repr": (lambda: "CV Lain", "row content does not match its hash"),
    "transition": (lambda: "verify", "row content does not match its hash"),
    "source_state": (lambda: "draft", "row content does not match its hash"),
    "target_state": (lambda: "verified", "row content does not match its hash"),
    "actor_id": (_other_actor, "row content does not match its hash"),
    "actor_username": (lambda: "someone-else", "row content does not match its hash"),
    "note": (lambda: "Semua lengkap.", "row content does not match its hash"),
    "prev_hash": (lambda: "f" * 64, "previous hash does not match"),
    "hash": (lambda: "e" * 64, "row content does not match its hash"),
}


@pytest.mark.parametrize("column", sorted(CHANGES))
def test_changing_any_column_of_a_row_is_detected_at_that_row(chain, column):
    value, problem = CHANGES[column]
    sql(f"UPDATE {{table}} SET {column} = %s WHERE sequence = %s", [value(), 3])

    broken_at(3, problem)


def test_moving_a_row_by_one_microsecond_is_detected(chain):
    moved = chain[2].created_at + datetime.timedelta(microseconds=1)
    sql(
        "UPDATE {table} SET created_at = %s WHERE sequence = 3",
        [connection.ops.adapt_datetimefield_value(moved)],
    )

    broken_at(3, "row content does not match its hash")


def test_renumbering_a_row_is_detected_where_the_sequence_breaks(chain):
    sql("UPDATE {table} SET sequence = 99 WHERE sequence = 3")

    broken_at(4, "expected sequence 3, found 4")


def test_swapping_two_rows_is_detected_at_the_first(chain):
    sql("UPDATE {table} SET sequence = 1002 WHERE sequence = 2")
    sql("UPDATE {table} SET sequence = 2 WHERE sequence = 5")
    sql("UPDATE {table} SET sequence = 5 WHERE sequence = 1002")

    broken_at(2)


def test_queryset_update_of_several_rows_is_detected_at_the_first(chain):
    TransitionLog.objects.filter(sequence__gte=4).update(note="Semua lengkap.")

    broken_at(4, "row content does not match its hash")


def test_rehashing_a_changed_row_is_detected_at_the_next_row(chain):
    changed = hashed(row_values(chain[2], note="Semua lengkap."))
    sql(
        "UPDATE {table} SET note = %s, hash = %s WHERE sequence = 3",
        [changed["note"], changed["hash"]],
    )

    broken_at(4, "previous hash does not match")


def test_replacing_the_last_row_with_a_well_hashed_one_is_detected(chain):
    forged = hashed(row_values(chain[-1], note="Disetujui tanpa catatan."))
    sql(
        "UPDATE {table} SET note = %s, hash = %s WHERE sequence = %s",
        [forged["note"], forged["hash"], ROWS],
    )

    broken_at(ROWS, "it was replaced")


# --- deleting rows --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("deleted", "named", "problem"),
    [
        (1, 2, "expected sequence 1, found 2"),
        (3, 4, "expected sequence 3, found 4"),
        (ROWS, ROWS, "rows were removed"),
    ],
    ids=["first", "middle", "last"],
)
def test_deleting_a_row_with_sql_is_detected(chain, deleted, named, problem):
    sql("DELETE FROM {table} WHERE sequence = %s", [deleted])

    broken_at(named, problem)


def test_raw_delete_of_the_whole_log_is_detected(chain):
    TransitionLog.objects.all()._raw_delete(TransitionLog.objects.db)

    broken_at(1, "rows were removed")


def test_raw_delete_of_the_tail_is_detected_at_the_first_missing_row(chain):
    TransitionLog.objects.filter(sequence__gte=4)._raw_delete(TransitionLog.objects.db)

    broken_at(4, "rows were removed")


# --- inserting rows -------------------------------------------------------------------------


def test_inserting_a_made_up_row_at_the_end_is_detected(chain):
    insert(row_values(chain[-1], sequence=ROWS + 1, note="Disetujui.", hash="a" * 64))

    broken_at(ROWS + 1)


def test_appending_a_well_hashed_row_is_detected_against_the_head(chain):
    insert(
        hashed(
            row_values(
                chain[-1],
                sequence=ROWS + 1,
                transition="verify",
                source_state="submitted",
                target_state="verified",
                note="Disetujui.",
                prev_hash=chain[-1].hash,
            )
        )
    )

    broken_at(ROWS + 1, "rows were added")
    head = ChainHead.objects.get(pk=1)
    assert head.last_sequence == ROWS


def test_inserting_a_made_up_row_in_the_middle_is_detected_at_that_row(chain):
    make_room_at(3)
    insert(row_values(chain[2], sequence=3, note="Sisipan.", hash="b" * 64))

    broken_at(3)


def test_inserting_a_well_hashed_row_in_the_middle_is_detected_at_the_row_after_it(chain):
    make_room_at(3)
    insert(hashed(row_values(chain[2], sequence=3, note="Sisipan.", prev_hash=chain[1].hash)))

    # The inserted row links to row 2 correctly; the row after it no longer links to it.
    broken_at(4)


def test_the_database_refuses_a_second_row_with_the_same_sequence(chain):
    with pytest.raises(IntegrityError), transaction.atomic():
        insert(row_values(chain[2], hash="c" * 64))

    assert verify() == f"audit chain intact: {ROWS} entries"
