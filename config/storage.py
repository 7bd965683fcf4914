"""The private file storage, looked up lazily so a change of ``STORAGES`` reaches it.

A FileField evaluates its storage callable once, when the model class loads; returning this
lazy proxy instead of ``storages["private"]`` itself means the field follows the settings
(S3 in production, a temporary folder in tests).
"""

from django.core.files.storage import storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty


class PrivateStorage(LazyObject):
    def _setup(self):
        self._wrapped = storages["private"]


private_storage = PrivateStorage()


def get_private_storage():
    return private_storage


@receiver(setting_changed)
def _reset_private_storage(*, setting, **kwargs):
    if setting in ("STORAGES", "MEDIA_ROOT"):
        private_storage._wrapped = empty
