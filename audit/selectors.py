"""Reads of the audit trail, for timelines."""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet

from audit.models import TransitionLog


def transitions_for(obj: models.Model) -> QuerySet[TransitionLog]:
    return (
        TransitionLog.objects.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
        )
        .select_related("actor")
        .order_by("sequence")
    )


def latest_transition(obj: models.Model, *, target: str | None = None) -> TransitionLog | None:
    entries = transitions_for(obj)
    if target is not None:
        entries = entries.filter(target_state=target)
    return entries.order_by("-sequence").first()


def _state_labels(obj: models.Model) -> dict[str, str]:
    from django_fsm import FSMFieldMixin

    labels: dict[str, str] = {}
    for field in obj._meta.concrete_fields:
        if isinstance(field, FSMFieldMixin):
            labels.update({str(value): str(label) for value, label in field.flatchoices})
    return labels


def _transition_label(obj: models.Model, name: str) -> str:
    meta = getattr(getattr(type(obj), name, None), "_django_fsm", None)
    if meta is not None:
        for fsm_transition in meta.transitions.values():
            label = fsm_transition.custom.get("label")
            if label:
                return str(label)
    return name.replace("_", " ")


def timeline_for(obj: models.Model) -> list[TransitionLog]:
    """The object's transitions in order, with state and action names in the user's language."""
    labels = _state_labels(obj)
    entries = list(transitions_for(obj))
    for entry in entries:
        entry.source_label = labels.get(entry.source_state, entry.source_state)
        entry.target_label = labels.get(entry.target_state, entry.target_state)
        entry.transition_label = _transition_label(obj, entry.transition)
    return entries
