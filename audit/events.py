"""Domain events that are not transitions, announced after commit.

Transitions announce themselves through ``perform_transition``; a service that changes
something else a person should hear about (a curator assigned, a document uploaded, a result
released) calls ``announce`` inside its transaction. Subscribers (notifications) receive
``event_committed`` only once the transaction has committed, and a failing subscriber is
logged, never raised into the request of the person who acted.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.dispatch import Signal

# Arguments: event (str), instance, actor, plus the event's own keyword arguments.
event_committed = Signal()


def announce(event: str, *, instance, actor, **context: Any) -> None:
    """Tell subscribers about ``event`` on ``instance`` once the current transaction commits."""
    transaction.on_commit(
        # send_robust: a failing subscriber is logged by Django ("django.dispatch"), not raised.
        lambda: event_committed.send_robust(
            sender=type(instance),
            event=event,
            instance=instance,
            actor=actor,
            **context,
        )
    )
