"""Reads of the audit trail, including the verification of its hash chain."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.apps import apps
from django.db.models import Max, Q, QuerySet
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from courtier.accounts import permissions
from courtier.accounts.models import Organisation
from courtier.audit import labels, rules
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


# --- the trail as people read it: filtered by code, shown by label ------------------------------

PAGE_SIZE = 50
MAX_PAGE = 10_000  # deeper than anyone pages by hand; narrow the filters instead
CHOICES_SHOWN_UP_TO = 500  # people or organisations offered in one filter list


@dataclass(frozen=True)
class EventFilters:
    """What the trail is narrowed to, by code (the page's lists and the API share it)."""

    object_type: str = ""
    object_id: str = ""
    action: str = ""
    organisation_id: int | None = None
    actor_id: int | None = None
    since: date | None = None
    until: date | None = None


def events_visible(user: Any) -> QuerySet[AuditEvent]:
    return permissions.scope(user, AuditEvent.objects.all())


def events_filtered(user: Any, filters: EventFilters) -> QuerySet[AuditEvent]:
    """The person's events (permissions.scope: a client's auditor sees only their
    organisation's) narrowed by every filter given, newest first."""
    qs = events_visible(user)
    if filters.object_type:
        qs = qs.filter(object_type=filters.object_type)
    if filters.object_id:
        qs = qs.filter(object_id=filters.object_id)
    if filters.action:
        qs = qs.filter(action=filters.action)
    if filters.organisation_id is not None:
        qs = qs.filter(organisation_id=filters.organisation_id)
    if filters.actor_id is not None:
        qs = qs.filter(actor_id=filters.actor_id)
    if filters.since is not None:
        qs = qs.filter(created_at__gte=_start_of(filters.since))
    if filters.until is not None and filters.until < date.max:
        qs = qs.filter(created_at__lt=_start_of(filters.until + timedelta(days=1)))
    return qs.order_by("-seq")


def _start_of(day: date) -> datetime:
    """Midnight on the Quebec clock (DOMAIN §8: days are Quebec days)."""
    return timezone.make_aware(datetime.combine(day, time.min))


def page_of(qs: QuerySet[AuditEvent], number: int) -> dict[str, Any]:
    """One page without counting the whole trail (it only grows): reads one row past it."""
    number = min(max(number, 1), MAX_PAGE)
    start = (number - 1) * PAGE_SIZE
    rows = list(qs.select_related(None)[start : start + PAGE_SIZE + 1])
    return {
        "events": rows[:PAGE_SIZE],
        "number": number,
        "has_previous": number > 1,
        "has_next": len(rows) > PAGE_SIZE,
    }


def object_type_choices() -> list[tuple[str, str]]:
    """Every courtier model, by its French label (the trail records objects of any of them)."""
    found = [
        (model._meta.label_lower, capfirst(str(model._meta.verbose_name)))
        for model in apps.get_models()
        if model.__module__.startswith("courtier.") and model._meta.app_label not in NOT_AUDITED
    ]
    return sorted(found, key=lambda c: _sort_key(c[1]))


NOT_AUDITED = {"core"}  # form tokens and idempotent replies: machinery, never recorded


def action_choices() -> list[tuple[str, str]]:
    found = [(code, str(label)) for code, label in labels.ACTION_LABELS.items()]
    return sorted(found, key=lambda c: _sort_key(c[1]))


def organisation_choices(user: Any, *, also: int | None = None) -> list[tuple[int, str]]:
    """The organisations of the events the person sees (and the one asked for, if they see
    it): never an organisation's name they could not read anyway."""
    ids = events_visible(user).exclude(organisation_id=None).values("organisation_id")
    wanted = Q(pk__in=ids)
    if also is not None:
        wanted |= Q(pk__in=permissions.scope(user, Organisation.objects.filter(pk=also)))
    rows = Organisation.objects.filter(wanted).order_by("name")[:CHOICES_SHOWN_UP_TO]
    return [(o.pk, o.name) for o in rows]


def actor_choices(user: Any) -> list[tuple[int, str]]:
    """The people who did something in the events the person sees, by their recorded label."""
    rows = (
        events_visible(user)
        .exclude(actor_id=None)
        .values("actor_id")
        .annotate(label=Max("actor_label"))
        .order_by("label")[:CHOICES_SHOWN_UP_TO]
    )
    return [(r["actor_id"], r["label"]) for r in rows]


def _sort_key(label: str) -> str:
    return unicodedata.normalize("NFKD", label.casefold()).encode("ascii", "ignore").decode()
