"""Each person's e-mail choice per kind: at once (the default), off (in Kurasi only) or in the
daily digest, which gathers everything pending into one e-mail per person and is sent once.
Reading: a person marks their own notifications read, never someone else's.
"""

from __future__ import annotations

import pytest
from django.core import mail
from django.utils import translation

from curation import services as curation
from notifications.kinds import KINDS
from notifications.models import EmailPreference, Notification, OutgoingEmail
from notifications.services import mark_read, notify, send_digests, set_email_preferences
from tests import factories
from tests.curation import builders

pytestmark = pytest.mark.django_db

REASON = "Foto label kurang jelas."


def subject(kind: str, language: str, **params) -> str:
    with translation.override(language):
        return "[Kurasi] " + KINDS[kind].render(params)[0]


def mails_to(user) -> list:
    return [message for message in mail.outbox if message.to == [user.email]]


def three_submitted_applications():
    """Three submitted applications of one vendor (its owner and a co-owner reading English)."""
    first = builders.submitted(one_chance=False)
    co_owner = factories.applicant(language="en")
    first.vendor.owners.add(co_owner)
    others = []
    for _index in range(2):
        case = builders.second_product(first)
        curation.submit_application(application=case.application, by=case.owner)
        others.append(case.refresh())
    return first, *others, co_owner


def test_email_turned_off_for_a_kind_leaves_the_notification_in_the_app_only(
    django_capture_on_commit_callbacks,
):
    first, second, _third, co_owner = three_submitted_applications()
    set_email_preferences(user=first.owner, choices={"application_returned": "off"})
    with django_capture_on_commit_callbacks(execute=True):
        curation.return_application(application=first.application, by=first.officer, reason=REASON)
        curation.request_sample(application=second.application, by=first.officer)

    returned = Notification.objects.get(recipient=first.owner, kind="application_returned")
    assert returned.email == Notification.Email.NONE
    assert not OutgoingEmail.objects.filter(
        recipient=first.owner, kind="application_returned"
    ).exists()
    # Another kind still comes at once, and the co-owner's choice is their own.
    assert [m.subject for m in mails_to(first.owner)] == [
        subject("sample_requested", "id", product="Masker kain 2 lapis")
    ]
    assert len(mails_to(co_owner)) == 2


def test_the_daily_digest_gathers_pending_notifications_into_one_email_per_person(
    django_capture_on_commit_callbacks,
):
    first, second, third, co_owner = three_submitted_applications()
    owner, officer = first.owner, first.officer
    set_email_preferences(
        user=owner, choices={"application_returned": "digest", "application_rejected": "digest"}
    )
    set_email_preferences(user=co_owner, choices={"application_returned": "digest"})
    with django_capture_on_commit_callbacks(execute=True):
        curation.return_application(application=first.application, by=officer, reason=REASON)
        curation.reject_application(application=second.application, by=officer, reason="Bukan APD.")
        curation.request_sample(application=third.application, by=officer)

    # Nothing chosen for the digest was e-mailed at once; the rest was.
    assert [m.subject for m in mails_to(owner)] == [
        subject("sample_requested", "id", product="Masker kain 2 lapis")
    ]
    assert sorted(m.subject for m in mails_to(co_owner)) == [
        f"[Kurasi] {second.application.reference} rejected",
        "[Kurasi] Please send a sample of Masker kain 2 lapis",
    ]
    pending = Notification.objects.filter(email=Notification.Email.DIGEST_PENDING)
    assert pending.filter(recipient=owner).count() == 2
    assert pending.filter(recipient=co_owner).count() == 1
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        assert send_digests() == 2

    (to_owner,) = mails_to(owner)
    (to_co_owner,) = mails_to(co_owner)
    assert len(mail.outbox) == 2
    assert "2" in to_owner.subject  # the owner reads Indonesian; the wording may be translated
    assert to_owner.body.startswith("Halo Test,")
    assert (
        subject("application_returned", "id", reference=first.application.reference).removeprefix(
            "[Kurasi] "
        )
        in to_owner.body
    )
    assert (
        subject("application_rejected", "id", reference=second.application.reference).removeprefix(
            "[Kurasi] "
        )
        in to_owner.body
    )
    assert REASON in to_owner.body and "Bukan APD." in to_owner.body
    assert (
        subject("sample_requested", "id", product="Masker kain 2 lapis").removeprefix("[Kurasi] ")
        not in to_owner.body
    )  # came at once
    assert to_co_owner.body.startswith("Hello Test,")
    assert f"{first.application.reference} returned for changes" in to_co_owner.body
    assert f"{second.application.reference} rejected" not in to_co_owner.body
    assert to_co_owner.subject == "[Kurasi] Your daily digest: 1 notification"
    assert OutgoingEmail.objects.filter(kind="digest", status="sent").count() == 2
    assert not Notification.objects.filter(email=Notification.Email.DIGEST_PENDING).exists()
    assert Notification.objects.filter(email=Notification.Email.DIGESTED).count() == 3

    # A second run the same day finds nothing left to send.
    with django_capture_on_commit_callbacks(execute=True):
        assert send_digests() == 0
    assert len(mail.outbox) == 2
    assert OutgoingEmail.objects.filter(kind="digest").count() == 2


def test_a_digest_for_someone_who_left_is_not_sent_but_is_cleared(
    django_capture_on_commit_callbacks,
):
    leaver, stayer = factories.applicant(), factories.applicant()
    for user in (leaver, stayer):
        set_email_preferences(user=user, choices={"vendor_verified": "digest"})
    notify(recipients=[leaver, stayer], kind="vendor_verified", params={"vendor": "Uji"})
    leaver.is_active = False
    leaver.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert send_digests() == 1
    assert [m.to for m in mail.outbox] == [[stayer.email]]
    assert not Notification.objects.filter(email=Notification.Email.DIGEST_PENDING).exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert send_digests() == 0


def test_a_new_notification_after_the_digest_waits_for_the_next_one(
    django_capture_on_commit_callbacks,
):
    user = factories.applicant()
    set_email_preferences(user=user, choices={"vendor_verified": "digest"})
    notify(recipients=[user], kind="vendor_verified", params={"vendor": "Uji Satu"})
    with django_capture_on_commit_callbacks(execute=True):
        send_digests()
    notify(recipients=[user], kind="vendor_verified", params={"vendor": "Uji Dua"})
    with django_capture_on_commit_callbacks(execute=True):
        assert send_digests() == 1
    assert len(mail.outbox) == 2
    assert "Uji Satu" in mail.outbox[0].body and "Uji Dua" not in mail.outbox[0].body
    assert "Uji Dua" in mail.outbox[1].body and "Uji Satu" not in mail.outbox[1].body


def test_choosing_email_at_once_again_removes_the_stored_choice():
    user = factories.applicant()
    set_email_preferences(
        user=user, choices={"vendor_verified": "off", "application_returned": "digest"}
    )
    stored = dict(EmailPreference.objects.filter(user=user).values_list("kind", "delivery"))
    assert stored == {"vendor_verified": "off", "application_returned": "digest"}
    set_email_preferences(
        user=user, choices={"vendor_verified": "immediate", "application_returned": "off"}
    )
    stored = dict(EmailPreference.objects.filter(user=user).values_list("kind", "delivery"))
    assert stored == {"application_returned": "off"}


@pytest.mark.parametrize(
    "choices",
    [{"vendor_verified": "off", "no_such_kind": "off"}, {"vendor_verified": "weekly"}],
)
def test_an_unknown_kind_or_delivery_is_refused_and_nothing_is_stored(choices):
    user = factories.applicant()
    with pytest.raises(ValueError):
        set_email_preferences(user=user, choices=choices)
    assert not EmailPreference.objects.filter(user=user).exists()


def test_a_person_marks_only_their_own_notifications_read():
    reader, other = factories.applicant(), factories.applicant()
    mine = notify(recipients=[reader], kind="vendor_verified", params={"vendor": "Uji"})
    mine += notify(recipients=[reader], kind="vendor_returned", params={"vendor": "Uji"})
    theirs = notify(recipients=[other], kind="vendor_verified", params={"vendor": "Lain"})

    assert mark_read(user=reader, notification_ids=[mine[0].pk, theirs[0].pk]) == 1
    assert Notification.objects.get(pk=theirs[0].pk).is_unread
    assert not Notification.objects.get(pk=mine[0].pk).is_unread
    assert Notification.objects.get(pk=mine[1].pk).is_unread

    assert mark_read(user=reader) == 1
    assert not Notification.objects.filter(recipient=reader, read_at__isnull=True).exists()
    assert Notification.objects.get(pk=theirs[0].pk).is_unread
