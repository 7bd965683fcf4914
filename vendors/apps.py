from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VendorsConfig(AppConfig):
    name = "vendors"
    verbose_name = _("Vendors")

    def ready(self) -> None:
        from django.conf import settings
        from PIL import Image

        # Pillow warns from MAX_IMAGE_PIXELS and refuses from twice that; the photo pipeline
        # turns the warning into a refusal, so this is the upload limit.
        Image.MAX_IMAGE_PIXELS = settings.PHOTO_MAX_PIXELS
