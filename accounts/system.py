"""The named system user: the actor of work no person did (decisions computed from scores,
commands, background tasks), so history and audit rows always name someone."""

from django.conf import settings

from accounts.models import User


def system_user() -> User:
    return User.objects.get(username=settings.SYSTEM_USERNAME)


def is_system_user(user) -> bool:
    return getattr(user, "username", None) == settings.SYSTEM_USERNAME
