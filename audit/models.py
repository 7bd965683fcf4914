"""The append-only, hash-chained log of every state transition in Kurasi.

Each row's hash covers the previous row's hash and a canonical form of the row itself, so
changing, deleting or inserting a row anywhere breaks the chain from that row on;
``manage.py verify_audit`` walks it. The single ``ChainHead`` row is locked while a row is
appended so that concurrent writers never fork the chain.
"""

import hashlib
import json
from datetime import UTC

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS_HASH = "0" * 64


class AppendOnlyError(Exception):
    """Raised when code tries to change or delete an audit row."""


class ChainHead(models.Model):
    """Where the chain currently ends; one row, locked by every append."""

    last_sequence = models.PositiveBigIntegerField(_("last sequence"), default=0)
    last_hash = models.CharField(_("last hash"), max_length=64, default=GENESIS_HASH)

    class Meta:
        verbose_name = _("audit chain head")

    def __str__(self) -> str:
        return f"#{self.last_sequence} {self.last_hash[:12]}"


class TransitionLog(models.Model):
    sequence = models.PositiveBigIntegerField(_("sequence"), unique=True)
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, verbose_name=_("object type")
    )
    object_id = models.CharField(_("object id"), max_length=64)
    object_repr = models.CharField(_("object"), max_length=255)
    transition = models.CharField(_("transition"), max_length=64)
    source_state = models.CharField(_("from"), max_length=32)
    target_state = models.CharField(_("to"), max_length=32)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("actor"),
    )
    actor_username = models.CharField(_("actor username"), max_length=150)
    note = models.TextField(_("note or reason"), blank=True)
    created_at = models.DateTimeField(_("time"))
    prev_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64, unique=True)

    class Meta:
        verbose_name = _("transition log entry")
        verbose_name_plural = _("transition log")
        ordering = ["sequence"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "sequence"]),
            # Covers the dashboard's funnel (distinct objects that reached each state) so it
            # reads the index alone instead of every row of the log (docs/performance.md).
            models.Index(
                fields=["content_type", "target_state", "object_id"], name="log_reached_state"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.object_repr}: {self.source_state} → {self.target_state}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("Transition log rows cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Transition log rows cannot be deleted.")

    def canonical(self) -> str:
        return json.dumps(
            {
                "sequence": self.sequence,
                "content_type": f"{self.content_type.app_label}.{self.content_type.model}",
                "object_id": self.object_id,
                "object": self.object_repr,
                "transition": self.transition,
                "source": self.source_state,
                "target": self.target_state,
                "actor_id": self.actor_id,
                "actor": self.actor_username,
                "note": self.note,
                "created_at": self.created_at.astimezone(UTC).isoformat(timespec="microseconds"),
            },
            sort_keys=True,
            ensure_ascii=False,
            separators=(",", ":"),
        )

    def compute_hash(self) -> str:
        return hashlib.sha256((self.prev_hash + self.canonical()).encode()).hexdigest()
