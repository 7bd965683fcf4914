"""The token in the e-mail verification link.

Not Django's ``default_token_generator``: that one hashes ``last_login``, so the link sent at
sign-up broke as soon as the new user was logged in (or logged in again later), and its tokens
would also be valid password-reset tokens. This one has its own salt and hashes only what
verification is about, the account and its address: a link for an address the user has since
changed no longer works, and opening a good link twice (or a mail scanner opening it first)
does no harm. Links expire after ``PASSWORD_RESET_TIMEOUT`` like reset links.
"""

from django.contrib.auth.tokens import PasswordResetTokenGenerator


class EmailVerificationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "accounts.tokens.EmailVerificationTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        return f"{user.pk}{user.email or ''}{timestamp}"


email_verification_token = EmailVerificationTokenGenerator()
