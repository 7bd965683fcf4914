"""The outbox is where an operator sees undelivered e-mail: status, attempts and the error."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from notifications.models import Notification, OutgoingEmail
from notifications.services import deliver_outgoing_email


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    list_display = ("created_at", "to_address", "subject", "status", "attempts", "next_attempt_at")
    list_filter = ("status", "kind")
    search_fields = ("to_address", "subject")
    readonly_fields = [f.name for f in OutgoingEmail._meta.fields]
    actions = ["retry_now"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Try to deliver the selected e-mails again now"))
    def retry_now(self, request, queryset):
        retried = 0
        for email in queryset.exclude(status=OutgoingEmail.Status.SENT):
            # An operator's retry is attempted now, even before its automatic retry is due
            # or after the automatic attempts ran out.
            OutgoingEmail.objects.filter(pk=email.pk).update(
                status=OutgoingEmail.Status.RETRYING, next_attempt_at=None
            )
            deliver_outgoing_email(email_id=email.pk)
            retried += 1
        self.message_user(
            request,
            ngettext("%(n)s e-mail retried.", "%(n)s e-mails retried.", retried) % {"n": retried},
            messages.INFO,
        )


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("created_at", "recipient", "kind", "email", "read_at")
    list_filter = ("kind", "email")
    search_fields = ("recipient__username", "recipient__email")
    readonly_fields = [f.name for f in Notification._meta.fields]

    def has_add_permission(self, request):
        return False
