"""Appending to the transition log; the only code that writes TransitionLog rows."""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from audit.models import ChainHead, TransitionLog


def record_transition(
    *, obj: models.Model, transition: str, source: str, target: str, actor, note: str = ""
) -> TransitionLog:
    """Append one hash-chained row; call inside the transaction that changed ``obj``."""
    head = ChainHead.objects.select_for_update().get(pk=1)
    entry = TransitionLog(
        sequence=head.last_sequence + 1,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        object_repr=str(obj)[:255],
        transition=transition,
        source_state=str(source),
        target_state=str(target),
        actor=actor,
        actor_username=actor.get_username(),
        note=note,
        created_at=timezone.now(),
        prev_hash=head.last_hash,
    )
    entry.hash = entry.compute_hash()
    entry.save()
    ChainHead.objects.filter(pk=1).update(last_sequence=entry.sequence, last_hash=entry.hash)
    return entry
