"""The catalogue follows certificates: connected at start-up, run inside the certificate's
transaction so that a listing can never disagree with its certificate."""

from django.dispatch import receiver

from catalogue.services import sync_listing
from certification.signals import certificate_changed


@receiver(certificate_changed, dispatch_uid="catalogue.sync_listing")
def _follow_certificate(sender, *, certificate, actor, **kwargs):
    sync_listing(certificate=certificate, actor=actor)
