"""Pages of notifications: a person's own list, opening one (read, then on to what it is about),
marking all read, the unread count the header bell polls, and the e-mail preferences.

Function-based views like the stage apps. Every read starts from the signed-in user through the
selectors, so someone else's notification is simply not found (404). Messages are rendered from
the stored kind and parameters when shown, in the reader's current language.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from notifications import selectors, services
from notifications.forms import EmailPreferencesForm
from notifications.kinds import KINDS
from notifications.models import Notification

PAGE_SIZE = 25


def _row(notification: Notification) -> dict:
    kind = KINDS.get(notification.kind)
    # A kind retired from the registry keeps its old rows readable instead of breaking the page.
    title, body = kind.render(notification.params) if kind else (notification.kind, "")
    return {
        "notification": notification,
        "title": title,
        "body": body,
        "label": kind.label if kind else notification.kind,
    }


def _is_local_path(url: str) -> bool:
    """Only a path on this site is followed: a stored link must never send anyone elsewhere."""
    return url.startswith("/") and url_has_allowed_host_and_scheme(url, allowed_hosts=None)


@login_required
@require_safe
def notification_list(request):
    page = Paginator(selectors.notifications_of(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "notifications/list.html",
        {"page": page, "rows": [_row(notification) for notification in page]},
    )


@login_required
@require_POST
def open_notification(request, pk: int):
    notification = get_object_or_404(selectors.notifications_of(request.user), pk=pk)
    services.mark_read(user=request.user, notification_ids=[notification.pk])
    if not notification.url:
        return redirect("notifications:list")
    if not _is_local_path(notification.url):
        messages.error(
            request, _("The link of this notification leads outside Kurasi and was not opened.")
        )
        return redirect("notifications:list")
    return redirect(notification.url)


@login_required
@require_POST
def mark_all_read(request):
    count = services.mark_read(user=request.user)
    if count:
        messages.success(
            request,
            ngettext(
                "%(count)s notification marked as read.",
                "%(count)s notifications marked as read.",
                count,
            )
            % {"count": count},
        )
    else:
        messages.info(request, _("You had no unread notifications."))
    return redirect("notifications:list")


@never_cache
@require_safe
def unread_count(request):
    """The header bell's number; polled by kurasi.js, so an expired session answers 401, not a
    login page."""
    if not request.user.is_authenticated:
        return JsonResponse({"error": "login required"}, status=401)
    unread = selectors.unread_count(request.user)
    label = render_to_string("notifications/_bell_label.html", {"unread": unread}).strip()
    return JsonResponse({"unread": unread, "label": label})


@login_required
def email_settings(request):
    form = EmailPreferencesForm(
        request.POST if request.method == "POST" else None,
        kinds=selectors.kinds_relevant_to(request.user),
        current=selectors.email_choices_of(request.user),
    )
    if request.method == "POST" and form.is_valid():
        services.set_email_preferences(user=request.user, choices=form.cleaned_data)
        messages.success(request, _("Your e-mail choices are saved."))
        return redirect("notifications:settings")
    return render(request, "notifications/settings.html", {"form": form})
