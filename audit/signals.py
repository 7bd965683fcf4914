"""Signals of the audit mechanism; later stages subscribe, audit imports no stage."""

from django.dispatch import Signal

# Sent after the transaction that ran a transition commits: for notifications and other side
# effects that must not happen if the transition rolled back. Arguments: instance, name,
# source, target, actor, log_entry.
transition_committed = Signal()

# Sent inside the transaction that ran a transition, right after its log row: for work that must
# be queued with the transition or not at all (a transactional outbox — the notifications task
# row commits with the transition, in the same commit). Receivers must only queue work; a
# receiver that raises is logged by Django and the transition goes on. Same arguments.
transition_recorded = Signal()
