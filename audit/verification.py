"""Walks the transition log and reports the first row that breaks the hash chain."""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType

from audit.models import GENESIS_HASH, ChainHead, TransitionLog


@dataclass(frozen=True)
class ChainReport:
    intact: bool
    entries: int
    broken_sequence: int | None = None
    problem: str = ""


def verify_chain() -> ChainReport:
    expected_prev = GENESIS_HASH
    expected_sequence = 1
    count = 0
    rows = TransitionLog.objects.order_by("sequence").iterator(chunk_size=2000)
    for entry in rows:
        # ContentType lookups are cached, so this costs no query per row.
        entry.content_type = ContentType.objects.get_for_id(entry.content_type_id)
        if entry.sequence != expected_sequence:
            return ChainReport(
                False,
                count,
                entry.sequence,
                f"expected sequence {expected_sequence}, found {entry.sequence}",
            )
        if entry.prev_hash != expected_prev:
            return ChainReport(
                False, count, entry.sequence, "previous hash does not match the row before it"
            )
        if entry.compute_hash() != entry.hash:
            return ChainReport(False, count, entry.sequence, "row content does not match its hash")
        expected_prev = entry.hash
        expected_sequence += 1
        count += 1
    head = ChainHead.objects.filter(pk=1).first()
    if head is None or (head.last_sequence, head.last_hash) == (count, expected_prev):
        return ChainReport(True, count)
    if head.last_sequence > count:
        return ChainReport(
            False, count, count + 1, "the chain ends before its recorded head: rows were removed"
        )
    if head.last_sequence < count:
        # Rows hashed like Kurasi's own, appended behind its back: the head never moved.
        return ChainReport(
            False,
            head.last_sequence,
            head.last_sequence + 1,
            f"the chain goes on after its recorded head #{head.last_sequence}: rows were added",
        )
    return ChainReport(
        False, count - 1, count, "the last row is not the one the head recorded: it was replaced"
    )
