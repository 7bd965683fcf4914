"""Account changes: applicant self sign-up and e-mail verification."""

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.models import User
from accounts.roles import Role
from accounts.tokens import email_verification_token


def register_applicant(
    *, email: str, password: str, full_name: str, language: str, base_url: str
) -> User:
    """Create an applicant account and send the verification link after commit."""
    first, _, last = full_name.strip().partition(" ")
    with transaction.atomic():
        user = User(
            username=email.lower(),
            email=email.lower(),
            first_name=first,
            last_name=last,
            language=language,
        )
        user.set_password(password)
        user.save()
        user.groups.add(Group.objects.get(name=Role.APPLICANT))
        transaction.on_commit(lambda: send_verification_email(user=user, base_url=base_url))
    return user


def send_verification_email(*, user: User, base_url: str) -> None:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = email_verification_token.make_token(user)
    link = base_url.rstrip("/") + reverse("accounts:verify_email", args=[uid, token])
    with translation.override(user.language):
        subject = render_to_string("accounts/email/verify_subject.txt").strip()
        body = render_to_string("accounts/email/verify_body.txt", {"user": user, "link": link})
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])


def verify_email(*, user: User) -> None:
    if user.email_verified_at is None:
        user.email_verified_at = timezone.now()
        user.save(update_fields=["email_verified_at"])


def set_language_preference(*, user: User, language: str) -> None:
    """Remember the language chosen in the menu, for e-mails and the next login."""
    if language in {code for code, _name in settings.LANGUAGES} and user.language != language:
        user.language = language
        user.save(update_fields=["language"])
