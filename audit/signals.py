"""Signals of the audit mechanism; later stages subscribe, audit imports no stage."""

from django.dispatch import Signal

# Sent after the transaction that ran a transition commits: for notifications and other side
# effects that must not happen if the transition rolled back. Arguments: instance, name,
# source, target, actor, log_entry.
transition_committed = Signal()
