from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import services
from accounts.forms import SignupForm
from accounts.tokens import email_verification_token


def signup(request):
    if request.user.is_authenticated:
        return redirect("home")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = services.register_applicant(
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password1"],
            full_name=form.cleaned_data["full_name"],
            language=form.cleaned_data["language"],
            base_url=request.build_absolute_uri("/"),
        )
        login(request, user, backend="accounts.backends.UsernameOrEmailBackend")
        messages.success(
            request,
            _("Welcome to Kurasi. We sent a verification link to %(email)s.")
            % {"email": user.email},
        )
        response = redirect("vendors:portal")
        response.set_cookie("django_language", user.language, samesite="Lax")
        return response
    return render(request, "accounts/signup.html", {"form": form})


def verify_email(request, uidb64, token):
    user_model = get_user_model()
    try:
        user = user_model.objects.get(pk=force_str(urlsafe_base64_decode(uidb64)))
    except (user_model.DoesNotExist, ValueError, TypeError, OverflowError):
        user = None
    if user is None or not email_verification_token.check_token(user, token):
        return render(request, "accounts/verify_failed.html", status=400)
    services.verify_email(user=user)
    messages.success(request, _("Your e-mail address is verified."))
    return redirect("home")


@login_required
@require_POST
def resend_verification(request):
    if request.user.email_verified:
        messages.info(request, _("Your e-mail address is already verified."))
    else:
        services.send_verification_email(
            user=request.user, base_url=request.build_absolute_uri("/")
        )
        messages.success(
            request,
            _("We sent a new verification link to %(email)s.") % {"email": request.user.email},
        )
    return redirect("vendors:portal")


def locked_out(request, original_response=None, credentials=None):
    """What a login attempt sees while django-axes holds the account locked (its
    ``AXES_LOCKOUT_CALLABLE``): the reason and how long to wait, as a page, with 429."""
    minutes = max(1, int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))
    return render(request, "registration/locked_out.html", {"cooloff_minutes": minutes}, status=429)
