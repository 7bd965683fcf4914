"""Forget the cached region names when an officer changes a region (connected at start-up)."""

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from regions.models import Province, Regency
from regions.selectors import NAMES_KEY


@receiver(post_save, sender=Province, dispatch_uid="regions.forget_names.save.province")
@receiver(post_save, sender=Regency, dispatch_uid="regions.forget_names.save.regency")
@receiver(post_delete, sender=Province, dispatch_uid="regions.forget_names.delete.province")
@receiver(post_delete, sender=Regency, dispatch_uid="regions.forget_names.delete.regency")
def _forget_names(sender, **kwargs) -> None:
    cache.delete(NAMES_KEY)
