"""Reads of notifications: a person's own notifications and e-mail choices, and the outbox.

Every query a notification page makes is here and starts from the reader, so no page can show
someone else's notification; a notification shows only its own fields, so a page of them costs
the same few queries however many a person has.
"""

from __future__ import annotations

from django.db.models import Count, QuerySet

from accounts.models import User
from accounts.roles import role_names
from notifications.kinds import Kind, kinds_for
from notifications.models import EmailPreference, Notification, OutgoingEmail


def notifications_of(user: User) -> QuerySet[Notification]:
    """The user's notifications, newest first, with only the fields a list shows."""
    return (
        Notification.objects.filter(recipient=user)
        .only("pk", "recipient_id", "kind", "params", "url", "created_at", "read_at")
        .order_by("-created_at", "-pk")
    )


def unread_count(user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def kinds_relevant_to(user: User) -> list[Kind]:
    """The kinds of notification a user can receive in the roles they hold now."""
    return kinds_for(role_names(user))


def email_choices_of(user: User) -> dict[str, str]:
    """The user's stored e-mail choice per kind; a kind without a row is e-mailed at once."""
    return dict(EmailPreference.objects.filter(user=user).values_list("kind", "delivery"))


def outbox_counts() -> dict[str, int]:
    """How many outbox e-mails are in each status, for the operator's command output."""
    counts = dict(
        OutgoingEmail.objects.order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return {status: counts.get(status, 0) for status in OutgoingEmail.Status.values}
