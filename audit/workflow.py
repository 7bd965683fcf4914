"""The one mechanism every state change in Kurasi goes through.

A stage's service calls ``perform_transition(obj, "submit", by=user, note=...)``. It locks the
row, asks the django-fsm transition whether it may run from the current state, whether the
actor may run it (``permission=``) and whether its ``conditions=`` hold — collecting the reasons
when not —, runs it, saves with the actor recorded in history, appends the hash-chained
TransitionLog row, sends ``transition_recorded`` inside the transaction (subscribers queue work
that must commit with it) and, after commit, ``transition_committed`` (a failing subscriber of
either is logged, never raised into the request). Any failure before commit rolls the whole thing
back, so a refused or broken transition leaves state and history untouched.

Permission and condition callables may return a plain bool or a ``Decision`` that says why.
"""

from __future__ import annotations

from collections.abc import Iterable
from copy import deepcopy
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition, FSMFieldMixin

from audit.services import record_transition
from audit.signals import transition_committed, transition_recorded


@dataclass(frozen=True)
class Decision:
    """Whether an action is allowed, and if not, the reasons a person can act on."""

    allowed: bool
    reasons: tuple[str, ...] = field(default_factory=tuple)

    def __bool__(self) -> bool:
        return self.allowed

    @property
    def reason(self) -> str:
        return " ".join(str(r) for r in self.reasons)

    @classmethod
    def allow(cls) -> Decision:
        return cls(True)

    @classmethod
    def deny(cls, *reasons: Any) -> Decision:
        return cls(False, tuple(str(r) for r in reasons))

    @classmethod
    def from_checks(cls, failures: Iterable[Any]) -> Decision:
        failures = tuple(str(r) for r in failures)
        return cls(not failures, failures)


class TransitionRefused(Exception):
    """The transition was not run; ``reasons`` say why, in the user's language."""

    def __init__(self, decision: Decision):
        self.decision = decision
        super().__init__(decision.reason)

    @property
    def reasons(self) -> tuple[str, ...]:
        return self.decision.reasons


def require(decision: Decision) -> None:
    """For changes that are not transitions: refuse with the decision's reasons (HTTP 403)."""
    if not decision:
        raise PermissionDenied(decision.reason)


def refuse(message: Any) -> None:
    """Refuse an action with one reason the user can act on; nothing has been changed."""
    raise TransitionRefused(Decision.deny(message))


def save_as(obj: models.Model, by, **kwargs) -> None:
    """Save a plain (non-transition) change with ``by`` recorded as the history actor."""
    obj._history_user = by
    obj.save(**kwargs)


def _fsm_meta(obj: models.Model, name: str):
    method = getattr(obj, name, None)
    meta = getattr(method, "_django_fsm", None)
    if meta is None:
        raise ValueError(f"{type(obj).__name__}.{name} is not a transition")
    return meta


def _state_field(obj: models.Model, meta) -> FSMFieldMixin:
    return meta.field if isinstance(meta.field, FSMFieldMixin) else obj._meta.get_field(meta.field)


def _as_decision(result: Any, fallback: str) -> Decision:
    if isinstance(result, Decision):
        return result
    return Decision.allow() if result else Decision.deny(fallback)


def check_transition(obj: models.Model, name: str, user) -> Decision:
    """Say whether ``user`` may run transition ``name`` on ``obj`` now, and why not."""
    meta = _fsm_meta(obj, name)
    state_field = _state_field(obj, meta)
    state = state_field.value_from_object(obj)
    if not meta.has_transition(state):
        return Decision.deny(
            _("This action is not possible while the %(object)s is “%(state)s”.")
            % {"object": obj._meta.verbose_name, "state": _state_label(obj, state_field)}
        )
    fsm_transition = meta.get_transition(state)
    if fsm_transition.permission is not None:
        if not user or not user.is_authenticated:
            return Decision.deny(_("Please log in first."))
        permission = fsm_transition.permission
        if callable(permission):
            decision = _as_decision(permission(obj, user), _("You are not allowed to do this."))
        else:
            decision = _as_decision(
                user.has_perm(permission, obj) or user.has_perm(permission),
                _("You are not allowed to do this."),
            )
        if not decision:
            return decision
    reasons: list[str] = []
    for condition in fsm_transition.conditions:
        decision = _as_decision(condition(obj), _("A condition for this action is not met."))
        reasons.extend(decision.reasons)
    return Decision.from_checks(reasons)


def _state_label(obj: models.Model, state_field: FSMFieldMixin) -> str:
    display = getattr(obj, f"get_{state_field.name}_display", None)
    return str(display()) if display else str(state_field.value_from_object(obj))


def _column_values(obj: models.Model) -> dict[str, Any]:
    values = {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}
    # JSON values are copied: a transition that edits one in place must still count as a change.
    return {k: deepcopy(v) if isinstance(v, dict | list) else v for k, v in values.items()}


def _changed_fields(obj: models.Model, before: dict[str, Any], state_field) -> list[str]:
    """The columns a transition changed, with the state and the ``auto_now`` stamps.

    The row is locked and freshly read, so saving only these writes the same row as a full
    save, with an UPDATE of a few columns instead of all of them (about 0.2 ms less per
    transition, docs/performance.md). History still copies every field.
    """
    changed = {state_field.attname}
    for column in obj._meta.concrete_fields:
        stamped = getattr(column, "auto_now", False)
        if stamped or before[column.attname] != getattr(obj, column.attname):
            changed.add(column.attname)
    return sorted(changed)


def perform_transition(
    obj: models.Model, name: str, *, by, note: str = "", **kwargs: Any
) -> models.Model:
    """Run transition ``name`` on ``obj`` as ``by``; return the updated, saved instance.

    Raises ``TransitionRefused`` with the reasons when it may not run; nothing is changed then.
    """
    model = type(obj)
    try:
        with transaction.atomic():
            locked = model._default_manager.select_for_update().get(pk=obj.pk)
            decision = check_transition(locked, name, by)
            if not decision:
                raise TransitionRefused(decision)
            meta = _fsm_meta(locked, name)
            state_field = _state_field(locked, meta)
            source = state_field.value_from_object(locked)
            before = _column_values(locked)
            getattr(locked, name)(**kwargs)
            target = state_field.value_from_object(locked)
            locked._history_user = by
            locked._change_reason = note[:100] if note else name
            locked.save(update_fields=_changed_fields(locked, before, state_field))
            entry = record_transition(
                obj=locked, transition=name, source=source, target=target, actor=by, note=note
            )
            details = {
                "sender": model,
                "instance": locked,
                "name": name,
                "source": source,
                "target": target,
                "actor": by,
                "log_entry": entry,
            }
            transition_recorded.send_robust(**details)
            transaction.on_commit(
                # A failing subscriber is logged by Django ("django.dispatch"), not raised.
                lambda: transition_committed.send_robust(**details)
            )
    except ConcurrentTransition:
        raise TransitionRefused(
            Decision.deny(
                _("Someone else changed this item just now. Reload the page and try again.")
            )
        ) from None
    return locked
