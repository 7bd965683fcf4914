from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    name = "catalogue"
    verbose_name = _("Catalogue")

    def ready(self) -> None:
        from catalogue import subscribers  # noqa: F401 - connects to certificate_changed
        from catalogue.views import portal_section
        from vendors.portal import register_section

        # The applicant portal links the listings without vendors importing catalogue.
        register_section(portal_section)
