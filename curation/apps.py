from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CurationConfig(AppConfig):
    name = "curation"
    verbose_name = _("Curation")

    def ready(self) -> None:
        from curation.views import portal_section
        from vendors.portal import register_section

        # The applicant portal lists the applications without vendors importing curation.
        register_section(portal_section)
