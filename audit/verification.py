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
    if head is not None and (head.last_sequence != count or head.last_hash != expected_prev):
        return ChainReport(
            False,
            count,
            count + 1 if head.last_sequence > count else count,
            "the chain ends before its recorded head: rows were removed",
        )
    return ChainReport(True, count)
