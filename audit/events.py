"""Domain events that are not transitions, announced after commit.

Transitions announce themselves through ``perform_transition``; a service that changes
something else a person should hear about (a curator assigned, a document uploaded, a result
released) calls ``announce`` inside its transaction. Subscribers (notifications) receive
``event_committed`` only once the transaction has committed, and a failing subscriber is
logged, never raised into the request of the person who acted.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.dispatch import Signal

logger = logging.getLogger(__name__)

# Arguments: event (str), instance, actor, plus the event's own keyword arguments.
event_committed = Signal()


def send_robustly(signal: Signal, **kwargs: Any) -> None:
    for receiver, result in signal.send_robust(**kwargs):
        if isinstance(result, Exception):
            logger.error(
                "%s receiver %r failed",
                kwargs.get("sender"),
                receiver,
                exc_info=(type(result), result, result.__traceback__),
            )


def announce(event: str, *, instance, actor, **context: Any) -> None:
    """Tell subscribers about ``event`` on ``instance`` once the current transaction commits."""
    transaction.on_commit(
        lambda: send_robustly(
            event_committed,
            sender=type(instance),
            event=event,
            instance=instance,
            actor=actor,
            **context,
        )
    )
