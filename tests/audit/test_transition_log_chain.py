"""The hash-chained transition log: what verify_audit reports, and that nobody can rewrite it."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from audit.models import GENESIS_HASH, AppendOnlyError, ChainHead, TransitionLog
from tests import factories
from vendors import services

pytestmark = pytest.mark.django_db

RETURN_REASON = "Foto KTP pemilik tidak terbaca; unggah ulang."


@pytest.fixture
def owner():
    return factories.applicant(first_name="Siti", last_name="Rahayu")


@pytest.fixture
def officer():
    return factories.staff(first_name="Rudi", last_name="Hartono")


@pytest.fixture
def history(owner, officer):
    """submit → return (with reason) → submit → verify: four log entries."""
    vendor = factories.vendor_ready_to_submit(owner=owner)
    vendor = services.submit_vendor(vendor=vendor, by=owner)
    vendor = services.return_vendor(vendor=vendor, by=officer, reason=RETURN_REASON)
    vendor = services.submit_vendor(vendor=vendor, by=owner)
    vendor = services.verify_vendor(vendor=vendor, by=officer, note="NIB sesuai OSS")
    return vendor


def verify_audit() -> str:
    out = io.StringIO()
    call_command("verify_audit", stdout=out)
    return out.getvalue().strip()


def test_empty_log_is_intact():
    assert verify_audit() == "audit chain intact: 0 entries"


def test_verify_audit_counts_every_transition(history):
    assert verify_audit() == "audit chain intact: 4 entries"


def test_each_transition_is_logged_with_actor_states_and_note(history, owner, officer):
    rows = list(TransitionLog.objects.order_by("sequence"))

    assert [(r.sequence, r.transition, r.source_state, r.target_state) for r in rows] == [
        (1, "submit", "draft", "submitted"),
        (2, "return_for_changes", "submitted", "returned"),
        (3, "submit", "returned", "submitted"),
        (4, "verify", "submitted", "verified"),
    ]
    assert [r.actor for r in rows] == [owner, officer, owner, officer]
    assert rows[1].note == RETURN_REASON
    assert rows[1].actor_username == officer.username
    assert {r.object_id for r in rows} == {str(history.pk)}


def test_each_hash_links_to_the_previous_row(history):
    rows = list(TransitionLog.objects.order_by("sequence"))

    assert rows[0].prev_hash == GENESIS_HASH
    for before, after in zip(rows, rows[1:], strict=False):
        assert after.prev_hash == before.hash
    for row in rows:
        assert row.hash == row.compute_hash()
        assert len(row.hash) == 64
    head = ChainHead.objects.get(pk=1)
    assert (head.last_sequence, head.last_hash) == (4, rows[-1].hash)


def test_changing_a_note_behind_the_apps_back_is_detected(history):
    TransitionLog.objects.filter(sequence=2).update(note="Semua lengkap.")  # bypasses save()

    with pytest.raises(CommandError, match=r"entry #2\b") as caught:
        verify_audit()
    assert "row content does not match its hash" in str(caught.value)


def test_changing_a_row_with_raw_sql_is_detected(history):
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {TransitionLog._meta.db_table} SET target_state = %s WHERE sequence = %s",
            ["rejected", 4],
        )

    with pytest.raises(CommandError, match=r"entry #4\b"):
        verify_audit()


def test_rehashing_a_changed_row_still_breaks_the_next_link(history):
    row = TransitionLog.objects.get(sequence=2)
    row.note = "Semua lengkap."
    TransitionLog.objects.filter(pk=row.pk).update(note=row.note, hash=row.compute_hash())

    with pytest.raises(CommandError, match=r"entry #3\b") as caught:
        verify_audit()
    assert "previous hash" in str(caught.value)


def test_deleting_the_last_row_is_detected(history):
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TransitionLog._meta.db_table} WHERE sequence = 4")

    with pytest.raises(CommandError, match=r"entry #4\b") as caught:
        verify_audit()
    assert "rows were removed" in str(caught.value)


def test_deleting_a_middle_row_is_detected(history):
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TransitionLog._meta.db_table} WHERE sequence = 2")

    with pytest.raises(CommandError, match=r"broken at entry #3\b"):
        verify_audit()


def test_verify_audit_exits_non_zero_from_the_command_line(history):
    TransitionLog.objects.filter(sequence=1).update(actor_username="someone-else")
    with pytest.raises(CommandError) as caught:
        verify_audit()
    assert caught.value.returncode == 1
    assert "entry #1" in str(caught.value)


def test_saving_an_existing_row_is_refused(history):
    row = TransitionLog.objects.get(sequence=2)
    row.note = "rewritten"

    with pytest.raises(AppendOnlyError):
        row.save()

    assert TransitionLog.objects.get(sequence=2).note == RETURN_REASON


def test_deleting_a_row_is_refused(history):
    row = TransitionLog.objects.get(sequence=4)

    with pytest.raises(AppendOnlyError):
        row.delete()

    assert TransitionLog.objects.count() == 4
    assert verify_audit() == "audit chain intact: 4 entries"


def test_admin_can_read_but_not_add_change_or_delete_log_rows(client, history):
    admin = factories.UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    row = TransitionLog.objects.get(sequence=2)

    changelist = client.get(reverse("admin:audit_transitionlog_changelist"))
    assert changelist.status_code == 200
    assert client.get(reverse("admin:audit_transitionlog_add")).status_code == 403
    change_url = reverse("admin:audit_transitionlog_change", args=[row.pk])
    response = client.post(change_url, {"note": "rewritten"})
    assert response.status_code == 403
    delete_url = reverse("admin:audit_transitionlog_delete", args=[row.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    bulk = client.post(
        reverse("admin:audit_transitionlog_changelist"),
        {"action": "delete_selected", "_selected_action": [row.pk], "post": "yes"},
    )
    assert bulk.status_code in (200, 302, 403)
    assert TransitionLog.objects.get(pk=row.pk).note == RETURN_REASON
    assert TransitionLog.objects.count() == 4


def test_returned_vendor_page_shows_the_reason_and_who_returned_it(client, owner, officer):
    vendor = factories.vendor_ready_to_submit(owner=owner)
    vendor = services.submit_vendor(vendor=vendor, by=owner)
    services.return_vendor(vendor=vendor, by=officer, reason=RETURN_REASON)
    client.force_login(owner)

    response = client.get(reverse("vendors:detail", args=[vendor.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert html.count(RETURN_REASON) == 2  # the banner and the timeline entry
    assert "Rudi Hartono" in html
    assert "Siti Rahayu" in html
    timeline = response.context["timeline"]
    assert [entry.transition for entry in timeline] == ["submit", "return_for_changes"]


def test_vendor_timeline_lists_every_step_in_order_with_its_actor(client, history, officer):
    client.force_login(officer)

    response = client.get(reverse("vendors:detail", args=[history.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    section = html[html.index('class="timeline"') :]
    assert section.count("<li>") == 4
    assert RETURN_REASON in section and "NIB sesuai OSS" in section
    assert section.index("Rudi Hartono") > section.index("Siti Rahayu")
    entries = response.context["timeline"]
    assert [(e.actor.username, e.target_state) for e in entries] == [
        (history.owners.get().username, "submitted"),
        (officer.username, "returned"),
        (history.owners.get().username, "submitted"),
        (officer.username, "verified"),
    ]
    assert all(e.target_label and e.transition_label for e in entries)
