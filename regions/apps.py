from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegionsConfig(AppConfig):
    name = "regions"
    verbose_name = _("Regions")

    def ready(self):
        # Connects the receivers that clear the cached region names when one changes.
        from regions import selectors  # noqa: F401
