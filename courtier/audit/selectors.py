"""Reads of the audit trail, including the verification of its hash chain."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.utils.translation import gettext as _

from courtier.audit import rules
from courtier.audit.models import AuditChainHead, AuditEvent
from courtier.audit.services import content_of


@dataclass(frozen=True)
class ChainBreak:
    seq: int
    event_id: int | None
    reason: str


def verify_chain(batch_size: int = 2000) -> tuple[int, ChainBreak | None]:
    """Walk the chain in order up to its head; return how many events were checked and the
    first break. The head is read first: events appended while the walk runs (a task worker
    keeping documents) are after it and left to the next check, never taken for a break."""
    head = AuditChainHead.objects.filter(id=1).first()
    up_to = head.last_seq if head is not None else None
    expected_prev = rules.GENESIS_HASH
    expected_seq = 1
    checked = 0
    for event in _in_order(batch_size, up_to):
        if event.seq != expected_seq:
            return checked, ChainBreak(
                expected_seq,
                None,
                _("l'événement n° %(seq)s manque (supprimé ?)") % {"seq": expected_seq},
            )
        if event.prev_hash != expected_prev:
            return checked, ChainBreak(
                event.seq, event.pk, _("son empreinte précédente ne suit pas la chaîne")
            )
        if rules.chain_hash(event.prev_hash, content_of(event)) != event.hash:
            return checked, ChainBreak(
                event.seq, event.pk, _("son contenu ne correspond plus à son empreinte")
            )
        expected_prev = event.hash
        expected_seq += 1
        checked += 1
    if head is not None and (head.last_seq != checked or head.last_hash != expected_prev):
        return checked, ChainBreak(
            checked + 1,
            None,
            _("la chaîne s'arrête à l'événement n° %(seq)s alors que la tête indique n° %(head)s")
            % {"seq": checked, "head": head.last_seq},
        )
    return checked, None


def _in_order(batch_size: int, up_to: int | None = None) -> Iterator[AuditEvent]:
    """Keyset pagination: constant memory and no long-running cursor, on both databases."""
    last = 0
    events = (
        AuditEvent.objects.all() if up_to is None else AuditEvent.objects.filter(seq__lte=up_to)
    )
    while True:
        batch = list(events.filter(seq__gt=last).order_by("seq")[:batch_size])
        if not batch:
            return
        yield from batch
        last = batch[-1].seq
