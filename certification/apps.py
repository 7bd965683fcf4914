from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificationConfig(AppConfig):
    name = "certification"
    verbose_name = _("Certification")

    def ready(self) -> None:
        from certification.views import application_panel
        from curation.panels import register_panel

        # The application page offers the permit decision and links here without curation
        # importing this stage.
        register_panel(application_panel)
