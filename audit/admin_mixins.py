"""Transition buttons in the Django admin that run through the stage's services.

django-fsm-2's ``FSMAdminMixin`` calls the transition method and saves the object itself,
which would skip permission reasons, the row lock and the audit log; this mixin keeps its
buttons and forms but hands the work to a service per transition.
"""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django_fsm.admin import FSMAdminMixin

from audit.workflow import TransitionRefused


class ServiceFSMAdminMixin(FSMAdminMixin):
    # transition name -> callable(obj, user, **form_data)
    fsm_services: dict[str, Callable] = {}

    def is_fsm_transition_visible(self, transition) -> bool:
        # Only transitions a service is wired for get a button; the rest (e.g. decisions
        # computed from scores) cannot be pressed in the admin at all.
        return transition.name in self.fsm_services

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
