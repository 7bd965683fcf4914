"""The Django admin's side doors, closed: transition buttons that run through the stage's
services, and history pages that only show history.

django-fsm-2's ``FSMAdminMixin`` calls the transition method and saves the object itself,
which would skip permission reasons, the row lock and the audit log; ``ServiceFSMAdminMixin``
keeps its buttons and forms but hands the work to a service per transition.
django-simple-history's page of one historical version saves a POSTed form back onto the object
even with ``SIMPLE_HISTORY_REVERT_DISABLED`` (the setting only hides the button);
``HistoryEvidenceAdmin`` refuses that POST.
"""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from django_fsm.admin import FSMAdminMixin
from simple_history.admin import SimpleHistoryAdmin

from audit.workflow import TransitionRefused


class ServiceFSMAdminMixin(FSMAdminMixin):
    # transition name -> callable(obj, user, **form_data)
    fsm_services: dict[str, Callable] = {}

    def is_fsm_transition_visible(self, transition) -> bool:
        # Only transitions a service is wired for get a button; the rest (e.g. decisions
        # computed from scores) cannot be pressed in the admin at all.
        return transition.name in self.fsm_services

    def _get_fsm_transition_func(self, *, obj, transition_name):
        # The transition page takes its name from the URL: a name no service is wired for (a
        # typo, any other attribute of the model) is a page that does not exist, not a 500.
        if transition_name not in self.fsm_services:
            raise Http404
        return super()._get_fsm_transition_func(obj=obj, transition_name=transition_name)

    def _apply_fsm_transition(self, *, obj, transition_name, request, kwargs=None) -> bool:
        service = self.fsm_services.get(transition_name)
        if service is None:
            self.message_user(
                request, _("This transition is not available here."), level=messages.ERROR
            )
            return False
        try:
            service(obj, request.user, **(kwargs or {}))
        except (TransitionRefused, PermissionDenied) as refused:
            self.message_user(request, str(refused), level=messages.ERROR)
            return False
        self.message_user(
            request,
            _("Done: %(transition)s.") % {"transition": transition_name},
            level=messages.SUCCESS,
        )
        return True


class HistoryEvidenceAdmin(SimpleHistoryAdmin):
    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST" and self.revert_disabled(request):
            raise PermissionDenied(_("History is evidence: an old version cannot be restored."))
        return super().history_form_view(request, object_id, version_id, extra_context)
