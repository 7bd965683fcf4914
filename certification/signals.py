"""What certification announces to later stages (the catalogue), synchronously, inside the
transaction that changed the certificate: a subscriber's failure rolls the change back."""

from django.dispatch import Signal

# Sent with ``certificate`` (saved, its new status set) and ``actor`` whenever a certificate is
# issued or changes status.
certificate_changed = Signal()
