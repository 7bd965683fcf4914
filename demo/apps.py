from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Demo data for ``make demo``; sits at the end of the stream so it may use every stage."""

    name = "demo"
    verbose_name = _("Demo data")
