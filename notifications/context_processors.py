"""The bell in the header: the number of unread notifications, counted only when shown."""

from django.utils.functional import SimpleLazyObject


def notifications(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "unread_notifications": SimpleLazyObject(
            lambda: user.notifications.filter(read_at__isnull=True).count()
        )
    }
