"""Log in with either the username or the e-mail address (UMKM owners remember the e-mail), and
the login throttle (django-axes) in front of it, which counts both spellings as one account."""

from axes.backends import AxesStandaloneBackend
from django.contrib.auth.backends import ModelBackend

from accounts.models import User


class UsernameOrEmailBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username and "@" in username:
            user = User.objects.filter(email__iexact=username.strip()).first()
            if user is None:
                # Run the hasher anyway so a missing account takes as long as a wrong password.
                User().set_password(password)
                return None
            if user.check_password(password) and self.user_can_authenticate(user):
                return user
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class LoginThrottleBackend(AxesStandaloneBackend):
    """Refuses every login attempt of a locked-out account (first in AUTHENTICATION_BACKENDS).

    ``authenticate()`` called from code without a request (a management command, a shell) is no
    login through the web: there is no client to throttle, so it is left to the next backend.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def login_identity(request, credentials) -> str:
    """The account a login attempt is aimed at, as django-axes counts failures.

    "siti", "Siti" and "siti@example.id" are one account: counted apart, each spelling would get
    its own allowance of wrong passwords.
    """
    typed = (credentials or {}).get("username")
    if typed is None and request is not None:
        typed = request.POST.get("username")
    # An e-mail address has at most 254 characters and a username 150: anything longer is no
    # account, and would only overflow the throttle's record of the attempt (255 characters).
    typed = (typed or "").replace("\x00", "").strip()[:254]
    if "@" in typed:
        username = (
            User.objects.filter(email__iexact=typed).values_list("username", flat=True).first()
        )
        if username is not None:
            return username.lower()
    return typed[: User._meta.get_field("username").max_length].lower()
