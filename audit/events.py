"""Domain events that are not transitions, announced inside the transaction that made them.

Transitions announce themselves through ``perform_transition``; a service that changes
something else a person should hear about (a curator assigned, a document uploaded, a result
released) calls ``announce`` inside its transaction. Subscribers (notifications) receive
``event_recorded`` there and only queue work, which therefore commits or rolls back with the
change; a failing subscriber is logged by Django, never raised into the request of the person
who acted.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.dispatch import Signal

# Arguments: event (str), instance, actor, plus the event's own keyword arguments.
event_recorded = Signal()


def announce(event: str, *, instance, actor, **context: Any) -> None:
    """Tell subscribers about ``event`` on ``instance``; call inside the change's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("announce() belongs inside the transaction of the change")
    # send_robust: a failing subscriber is logged by Django ("django.dispatch"), not raised.
    event_recorded.send_robust(
        sender=type(instance), event=event, instance=instance, actor=actor, **context
    )
