"""The ministry dashboard page: filters in, figures and charts out (one selector call)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.roles import is_ministry_officer
from dashboard import charts, selectors
from dashboard.forms import DashboardFilterForm

CURATORS_SHOWN = 30


@login_required
@require_GET
def index(request):
    if not is_ministry_officer(request.user):
        raise PermissionDenied(_("Only ministry staff and approvers may see the dashboard."))
    form = DashboardFilterForm(request.GET or None)
    context = {
        "form": form,
        "figures": None,
        "charts": None,
        "expiry_days": selectors.EXPIRY_WINDOW_DAYS,
    }
    # Figures for filters that did not parse would look filtered while they are not.
    if not form.is_bound or form.is_valid():
        filters = form.filters()
        figures = selectors.dashboard_figures(filters)
        context["figures"] = figures
        context["filters"] = filters
        context["charts"] = charts.build_charts(
            figures, query=request.GET, curator_limit=CURATORS_SHOWN
        )
        context["curators_shown"] = min(CURATORS_SHOWN, len(figures.curators))
    return render(request, "dashboard/index.html", context)
