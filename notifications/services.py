"""Telling people: in-app notifications, e-mail by each person's choice, delivery and retries.

``notify`` is the one entry point, called from the notification tasks queued with each change
(the worker runs them once the change has committed) and from scheduled jobs, in its own
transaction, so neither a failure here nor a mail server that is down can undo or block the
change. E-mails go to the outbox and a task delivers them; a failed delivery is
retried with growing pauses and, after the last attempt, left as "failed" for the operator.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from notifications.kinds import KINDS
from notifications.models import EmailPreference, Notification, OutgoingEmail

logger = logging.getLogger(__name__)

# Pauses before the 2nd, 3rd, … attempt; after the last one the e-mail is marked failed.
RETRY_DELAYS = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=8),
)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1


def absolute_url(path: str) -> str:
    if not path or path.startswith(("http://", "https://")):
        return path
    return settings.SITE_URL.rstrip("/") + path


def _language(user: User) -> str:
    return user.language or settings.LANGUAGE_CODE


def _email_choice(preferences: dict[int, str], user: User) -> str:
    if not user.email:
        return Notification.Email.NONE
    choice = preferences.get(user.pk, EmailPreference.Delivery.IMMEDIATE)
    if choice == EmailPreference.Delivery.OFF:
        return Notification.Email.NONE
    if choice == EmailPreference.Delivery.DIGEST:
        return Notification.Email.DIGEST_PENDING
    return Notification.Email.QUEUED


def notify(
    *,
    recipients: Iterable[User],
    kind: str,
    params: dict | None = None,
    url: str = "",
    actor: User | None = None,
    dedupe_key: str = "",
) -> list[Notification]:
    """Notify each recipient (once, never the actor) in the app and by e-mail as they chose.

    With ``dedupe_key``, a recipient who already has a notification with that key gets no
    second one (daily reminders about the same overdue item).
    """
    if kind not in KINDS:
        raise ValueError(f"unknown notification kind {kind!r}")
    params = {key: "" if value is None else str(value) for key, value in (params or {}).items()}
    people = {
        user.pk: user
        for user in recipients
        if user is not None and user.is_active and (actor is None or user.pk != actor.pk)
    }
    if not people:
        return []
    with transaction.atomic():
        if dedupe_key:
            already = set(
                Notification.objects.filter(
                    recipient_id__in=people, dedupe_key=dedupe_key
                ).values_list("recipient_id", flat=True)
            )
            people = {pk: user for pk, user in people.items() if pk not in already}
        preferences = dict(
            EmailPreference.objects.filter(user_id__in=people, kind=kind).values_list(
                "user_id", "delivery"
            )
        )
        rows = [
            Notification(
                recipient=user,
                kind=kind,
                params=params,
                url=url,
                actor=actor,
                dedupe_key=dedupe_key,
                email=_email_choice(preferences, user),
            )
            for user in people.values()
        ]
        if not dedupe_key:
            created = Notification.objects.bulk_create(rows)
        else:
            try:
                with transaction.atomic():
                    created = Notification.objects.bulk_create(rows)
            except IntegrityError:
                # Another run of the same reminder job stored some of these since the check
                # above: keep its rows, add only the missing ones and e-mail only those.
                created = [stored for row in rows if (stored := _create_unless_present(row))]
        emails = [
            _render_notification_email(notification)
            for notification in created
            if notification.email == Notification.Email.QUEUED
        ]
        emails = OutgoingEmail.objects.bulk_create(emails)
        _deliver_after_commit([email.pk for email in emails if email.pk])
    return created


def _create_unless_present(row: Notification) -> Notification | None:
    """Store ``row`` unless its recipient already has its dedupe key; None when they had."""
    fields = {"kind": row.kind, "params": row.params, "url": row.url, "actor": row.actor}
    stored, created = Notification.objects.get_or_create(
        recipient=row.recipient, dedupe_key=row.dedupe_key, defaults={**fields, "email": row.email}
    )
    return stored if created else None


def _deliver_after_commit(email_ids: list[int]) -> None:
    if not email_ids:
        return

    def enqueue():
        from notifications.tasks import deliver_email

        for pk in email_ids:
            try:
                deliver_email.enqueue(pk)
            except Exception:
                # The outbox row stays queued; ``retry_emails`` picks it up.
                logger.exception("could not enqueue e-mail %s", pk)

    transaction.on_commit(enqueue, robust=True)


def _render(template: str, recipient: User, context: dict) -> tuple[str, str]:
    context = {"recipient": recipient, "site_url": settings.SITE_URL, **context}
    text = render_to_string(f"notifications/email/{template}.txt", context)
    html = render_to_string(f"notifications/email/{template}.html", context)
    return text, html


def _render_notification_email(notification: Notification) -> OutgoingEmail:
    recipient = notification.recipient
    with translation.override(_language(recipient)):
        title, body = KINDS[notification.kind].render(notification.params)
        text, html = _render(
            "notification",
            recipient,
            {"title": title, "body": body, "link": absolute_url(notification.url)},
        )
        return OutgoingEmail(
            recipient=recipient,
            to_address=recipient.email,
            kind=notification.kind,
            subject=f"[Kurasi] {title}"[:300],
            body_text=text,
            body_html=html,
        )


# Delivery


def deliver_outgoing_email(*, email_id: int, now: datetime | None = None) -> str:
    """Try to send one outbox e-mail now; return its status afterwards.

    The row is locked while sending so that two workers never send it twice. A failure is
    recorded with the error and the time of the next attempt; it never raises.
    """
    now = now or timezone.now()
    with transaction.atomic():
        # No join here: PostgreSQL cannot lock the nullable side of an outer join.
        email = OutgoingEmail.objects.select_for_update().filter(pk=email_id).first()
        if email is None:
            return "missing"
        if email.status not in (OutgoingEmail.Status.QUEUED, OutgoingEmail.Status.RETRYING):
            return email.status
        if email.next_attempt_at and email.next_attempt_at > now:
            return email.status
        recipient = email.recipient
        if recipient is None or not recipient.is_active or not recipient.email:
            email.status = OutgoingEmail.Status.CANCELLED
            email.last_error = _("The recipient no longer exists, is inactive or has no e-mail.")
            email.save(update_fields=["status", "last_error"])
            return email.status
        email.attempts += 1
        try:
            message = EmailMultiAlternatives(
                subject=email.subject,
                body=email.body_text,
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[recipient.email],
            )
            if email.body_html:
                message.attach_alternative(email.body_html, "text/html")
            message.send()
        except Exception as error:
            email.last_error = f"{type(error).__name__}: {error}"[:2000]
            if email.attempts >= MAX_ATTEMPTS:
                email.status = OutgoingEmail.Status.FAILED
                email.next_attempt_at = None
                logger.error("e-mail %s failed for good: %s", email.pk, email.last_error)
            else:
                email.status = OutgoingEmail.Status.RETRYING
                email.next_attempt_at = now + RETRY_DELAYS[email.attempts - 1]
                logger.warning(
                    "e-mail %s failed (attempt %s), retrying at %s: %s",
                    email.pk,
                    email.attempts,
                    email.next_attempt_at,
                    email.last_error,
                )
                _schedule_retry(email.pk, email.next_attempt_at)
        else:
            email.status = OutgoingEmail.Status.SENT
            email.sent_at = now
            email.next_attempt_at = None
            email.last_error = ""
        email.save(update_fields=["status", "attempts", "next_attempt_at", "last_error", "sent_at"])
        return email.status


def _schedule_retry(email_id: int, when: datetime) -> None:
    """Hand the retry to the task backend when it can run a task later; else the cron job."""
    from notifications.tasks import deliver_email

    if not deliver_email.get_backend().supports_defer:
        return

    def enqueue():
        deliver_email.using(run_after=when).enqueue(email_id)

    transaction.on_commit(enqueue, robust=True)


def retry_due_emails(*, now: datetime | None = None) -> int:
    """Deliver every outbox e-mail whose retry is due, or that was queued but never handed over."""
    now = now or timezone.now()
    stale = now - timedelta(minutes=10)
    due = list(
        OutgoingEmail.objects.filter(
            status=OutgoingEmail.Status.RETRYING, next_attempt_at__lte=now
        ).values_list("pk", flat=True)
    ) + list(
        OutgoingEmail.objects.filter(
            status=OutgoingEmail.Status.QUEUED, created_at__lte=stale
        ).values_list("pk", flat=True)
    )
    for pk in due:
        deliver_outgoing_email(email_id=pk, now=now)
    return len(due)


# Digest


def send_digests(*, now: datetime | None = None) -> int:
    """One e-mail per person gathering every notification they chose to get as a digest."""
    now = now or timezone.now()
    pending = (
        Notification.objects.filter(email=Notification.Email.DIGEST_PENDING)
        .select_related("recipient")
        .order_by("recipient_id", "created_at", "pk")
    )
    by_recipient: dict[int, list[Notification]] = defaultdict(list)
    for notification in pending:
        by_recipient[notification.recipient_id].append(notification)
    sent = 0
    for waiting in by_recipient.values():
        recipient = waiting[0].recipient
        with transaction.atomic():
            # Lock them and read them again: a second run started at the same time waits here,
            # then finds them digested and sends nothing twice.
            notifications = list(
                Notification.objects.select_for_update()
                .filter(pk__in=[n.pk for n in waiting], email=Notification.Email.DIGEST_PENDING)
                .order_by("created_at", "pk")
            )
            if not notifications:
                continue
            ids = [n.pk for n in notifications]
            if recipient.is_active and recipient.email:
                email = OutgoingEmail.objects.create(**_digest_fields(recipient, notifications))
                _deliver_after_commit([email.pk])
                sent += 1
            Notification.objects.filter(pk__in=ids).update(email=Notification.Email.DIGESTED)
    return sent


def _digest_fields(recipient: User, notifications: list[Notification]) -> dict:
    with translation.override(_language(recipient)):
        items = []
        for notification in notifications:
            title, body = KINDS[notification.kind].render(notification.params)
            items.append(
                {
                    "title": title,
                    "body": body,
                    "link": absolute_url(notification.url),
                    "created_at": notification.created_at,
                }
            )
        subject = ngettext(
            "[Kurasi] Your daily digest: %(count)s notification",
            "[Kurasi] Your daily digest: %(count)s notifications",
            len(items),
        ) % {"count": len(items)}
        text, html = _render("digest", recipient, {"items": items})
    return {
        "recipient": recipient,
        "to_address": recipient.email,
        "kind": "digest",
        "subject": subject,
        "body_text": text,
        "body_html": html,
    }


# Reading


def mark_read(*, user: User, notification_ids: Iterable[int] | None = None) -> int:
    """Mark the user's own notifications read (all when no ids are given)."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=list(notification_ids))
    return unread.update(read_at=timezone.now())


def set_email_preferences(*, user: User, choices: dict[str, str]) -> None:
    """Store the user's e-mail choice per kind; kinds left at "at once" need no row."""
    with transaction.atomic():
        for kind, delivery in choices.items():
            if kind not in KINDS or delivery not in EmailPreference.Delivery.values:
                raise ValueError(f"bad preference {kind}={delivery}")
            if delivery == EmailPreference.Delivery.IMMEDIATE:
                EmailPreference.objects.filter(user=user, kind=kind).delete()
            else:
                EmailPreference.objects.update_or_create(
                    user=user, kind=kind, defaults={"delivery": delivery}
                )
