"""In-app notifications, each user's e-mail choices, and the outbox of e-mails to deliver.

A notification stores its kind and the parameters of its message, not rendered text, so that it
reads in whichever language its recipient uses now. E-mails are rendered once, in the
recipient's language, into ``OutgoingEmail`` rows that a background task delivers and retries;
the outbox is what an operator looks at in the admin when mail does not arrive.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from notifications.kinds import KIND_CHOICES


class Notification(models.Model):
    class Email(models.TextChoices):
        NONE = "none", _("No e-mail")
        QUEUED = "queued", _("E-mailed")
        DIGEST_PENDING = "digest_pending", _("Waiting for the daily digest")
        DIGESTED = "digested", _("Sent in a digest")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=40, choices=KIND_CHOICES)
    params = models.JSONField(_("message parameters"), default=dict, blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("caused by"),
    )
    # Reminders carry a key so that a daily job tells a person about one overdue item once.
    dedupe_key = models.CharField(_("deduplication key"), max_length=200, blank=True)
    email = models.CharField(_("e-mail"), max_length=20, choices=Email.choices, default=Email.NONE)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            models.Index(fields=["recipient", "-created_at"]),
            models.Index(fields=["email", "recipient"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"],
                condition=~models.Q(dedupe_key=""),
                name="unique_notification_dedupe_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.recipient}: {self.kind}"

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


class EmailPreference(models.Model):
    """How one user wants e-mail of one kind; without a row, e-mail comes at once."""

    class Delivery(models.TextChoices):
        IMMEDIATE = "immediate", _("E-mail at once")
        DIGEST = "digest", _("In the daily digest")
        OFF = "off", _("No e-mail (in Kurasi only)")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="email_preferences",
        verbose_name=_("user"),
    )
    kind = models.CharField(_("kind"), max_length=40, choices=KIND_CHOICES)
    delivery = models.CharField(
        _("delivery"), max_length=10, choices=Delivery.choices, default=Delivery.IMMEDIATE
    )

    class Meta:
        verbose_name = _("e-mail preference")
        verbose_name_plural = _("e-mail preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="unique_email_preference")
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.kind} → {self.delivery}"


class OutgoingEmail(models.Model):
    """One e-mail to send, rendered in its recipient's language, with its delivery attempts."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RETRYING = "retrying", _("Waiting to retry")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recipient"),
    )
    to_address = models.EmailField(_("to"))
    kind = models.CharField(_("kind"), max_length=40)
    subject = models.CharField(_("subject"), max_length=300)
    body_text = models.TextField(_("text"))
    body_html = models.TextField(_("HTML"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.to_address}: {self.subject}"
