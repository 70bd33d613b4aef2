"""What publishing a proposal as a new dated version of its supplier's sheet checks and writes
(004 §3.2), bound to the workflow's ``publish`` move (catalogue/workflow.py; the service is
services/drafts.sheet_draft_publish): the proposed price lists may still be published that
day, the proposal changes something; then the version is frozen with its content, its prices
and the change history against the previous version, the rows the search reads are brought
up to date (offers, components, data centres) and the price lists published in place of
those they replace.

The service puts a ``Publication`` on the proposal it locked (``draft.publication``): the day
and the supplier, then what the guards find (the version in force, the price lists, the
changes) for the writes, so that nothing is read twice.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from django.utils import timezone

from courtier.accounts.models import Organisation
from courtier.audit.services import audit_event_record
from courtier.catalogue import rules
from courtier.catalogue.messages import DRAFT_OUTDATED, NOTHING_CHANGED, PRICE_UNKNOWN_OFFER
from courtier.catalogue.models import (
    Category,
    Component,
    DataCentre,
    Offer,
    OfferStatus,
    PriceLine,
    PriceList,
    PriceListStatus,
    SheetDraft,
    SheetVersion,
)
from courtier.catalogue.selectors import latest_version
from courtier.catalogue.services.prices import (
    in_force_conflict,
    offer_components,
    price_change_rows,
    price_date_error,
    published_before,
    published_lists,
)
from courtier.core.workflow import Outcome


@dataclass
class Publication:
    """A proposal being published on ``day`` (the local date, or an earlier day the demo gives
    to rebuild a history), for ``supplier`` (locked by the service)."""

    day: date
    supplier: Organisation
    previous: SheetVersion | None = None
    price_lists: list[PriceList] = field(default_factory=list)
    changes: dict[str, Any] = field(default_factory=dict)
    count: int = 0
    version: SheetVersion | None = None


# --- guards (each presumes the ones before it hold) ----------------------------------------------


def based_on_version_in_force(draft: SheetDraft) -> dict[str, Any]:
    """A version publishes the sheet in force with the proposal's changes: if another version
    was published since the proposal started, it would undo it."""
    publication = draft.publication
    publication.previous = latest_version(publication.supplier)
    previous = publication.previous
    if previous is not None and draft.base_version_id != previous.pk:
        return {"base_version": DRAFT_OUTDATED}
    return {}


def prices_publishable(draft: SheetDraft) -> dict[str, Any]:
    """The proposal's price lists, locked, in offer and date order: each takes effect on a
    first business day not past (DOMAIN §2), replaces no list already in force, and prices an
    offer of the sheet."""
    publication = draft.publication
    publication.price_lists = list(
        PriceList.objects.select_for_update()
        .filter(draft=draft, status=PriceListStatus.DRAFT)
        .order_by("offer_code", "effective_from")
    )
    components = offer_components(draft.content)
    day = publication.day
    for price_list in publication.price_lists:
        message = price_date_error(price_list.effective_from, today=day) or in_force_conflict(
            publication.supplier.pk, price_list.offer_code, price_list.effective_from, day
        )
        if message:
            return {"effective_from": f"{price_list.offer_code} : {message}"}
        if price_list.offer_code not in components:
            return {"offer_code": PRICE_UNKNOWN_OFFER % {"code": price_list.offer_code}}
    return {}


def changes_something(draft: SheetDraft) -> dict[str, Any]:
    """The change history against the version in force (004 §3.2), prices line by line; an
    empty one (also an empty first sheet) has nothing to publish."""
    publication = draft.publication
    previous = publication.previous
    rows = price_change_rows(publication.price_lists)
    publication.changes = rules.sheet_changes(
        previous.content if previous else None, draft.content, rows
    )
    publication.count = rules.change_count(publication.changes)
    return {} if publication.count else {"content": NOTHING_CHANGED}


# --- writes --------------------------------------------------------------------------------------


def version_create(outcome: Outcome) -> None:
    """The new dated version, named after the day (ranked after others of the same day), the
    rows the search reads, and the price lists published (before the move is recorded)."""
    draft: SheetDraft = outcome.subject
    publication: Publication = draft.publication
    supplier, day, previous = publication.supplier, publication.day, publication.previous
    same_day = SheetVersion.objects.filter(supplier=supplier, published_on=day).count()
    version = SheetVersion.objects.create(
        supplier=supplier,
        number=(previous.number + 1) if previous else 1,
        published_on=day,
        name=rules.version_name(supplier.name, day, same_day + 1),
        content=draft.content,
        changes=publication.changes,
        change_count=publication.count,
        previous=previous,
        draft=draft,
        published_by=outcome.by,
        published_at=_moment(day),
    )
    offers = _project(version)
    for price_list in publication.price_lists:
        _publish_price_list(price_list, version, offers[price_list.offer_code])
    publication.version = version


def version_record(outcome: Outcome) -> None:
    """The version's audit event, after the proposal's."""
    publication: Publication = outcome.subject.publication
    version, previous = publication.version, publication.previous
    audit_event_record(
        actor=outcome.by,
        action="sheet_version.published",
        obj=version,
        organisation=publication.supplier,
        before={"version": previous.name} if previous else None,
        after={
            "version": version.name,
            "changes": publication.count,
            "price_lists": [pl.pk for pl in publication.price_lists],
        },
    )


def _moment(day: date) -> datetime:
    """Now, or noon (local time) of an earlier ``day`` given explicitly (demo history)."""
    now = timezone.now()
    if day == timezone.localdate(now):
        return now
    return timezone.make_aware(datetime.combine(day, time(12)))


def _publish_price_list(price_list: PriceList, version: SheetVersion, offer: Offer) -> None:
    published = published_lists(price_list.supplier_id, price_list.offer_code)
    replaced = published_before(price_list, same_day=False)  # in force just before this one
    later = (
        published.filter(effective_from__gt=price_list.effective_from)
        .order_by("effective_from")
        .values_list("effective_from", flat=True)
        .first()
    )
    # A list published earlier for the same day is replaced by this one.
    same_day = published.filter(effective_from=price_list.effective_from)
    if same_day.exists():
        # Only a list that has not taken effect yet can be replaced (_in_force_conflict checked).
        same_day.update(status=PriceListStatus.DISCARDED, effective_until=price_list.effective_from)
    if replaced is not None and (
        replaced.effective_until is None or replaced.effective_until > price_list.effective_from
    ):
        PriceList.objects.filter(pk=replaced.pk).update(effective_until=price_list.effective_from)
    if price_list.offer_id is None:
        PriceLine.objects.filter(price_list=price_list).update(offer=offer)
    price_list.offer = offer
    price_list.status = PriceListStatus.PUBLISHED
    price_list.version = version
    price_list.effective_until = later
    price_list.save(update_fields=["offer", "status", "version", "effective_until"])


def _changed(row: Any, values: Mapping[str, Any]) -> bool:
    """Set ``values`` on ``row``; whether any of them differed."""
    changed = False
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed = True
    return changed


def _project(version: SheetVersion) -> dict[str, Offer]:
    """Write the version's content into the rows the search reads. Rows are kept by code: an
    offer that leaves the sheet stays, withdrawn, because acquisitions may point at it.
    Existing rows are read once and only what differs is written (publication stays quick
    for a large sheet)."""
    content, supplier = version.content, version.supplier
    categories = {c.code: c for c in Category.objects.all()}
    existing_centres = {dc.code: dc for dc in DataCentre.objects.filter(supplier=supplier)}
    centres: dict[str, DataCentre] = {}
    for dc in content.get("data_centres", []):
        since = dc.get("authorised_since") or None
        values = {
            "city": dc["city"],
            "province": dc.get("province") or "",
            "country": dc["country"].upper(),
            "role": dc["role"],
            "personal_information_authorised": bool(dc.get("personal_information_authorised")),
            "authorised_since": date.fromisoformat(since) if since else None,
            "active": True,
        }
        centre = existing_centres.get(dc["code"])
        if centre is None:
            centre = DataCentre.objects.create(supplier=supplier, code=dc["code"], **values)
        elif _changed(centre, values):
            centre.save(update_fields=list(values))
        centres[dc["code"]] = centre
    DataCentre.objects.filter(supplier=supplier, active=True).exclude(code__in=centres).update(
        active=False
    )
    dc_content = {dc["code"]: dc for dc in content.get("data_centres", [])}
    existing_offers = {o.code: o for o in Offer.objects.filter(supplier=supplier)}
    existing_components: dict[int, dict[str, Component]] = {}
    for row in Component.objects.filter(offer__supplier=supplier):
        existing_components.setdefault(row.offer_id, {})[row.code] = row
    offers: dict[str, Offer] = {}
    supplier_name = supplier.name
    now = timezone.now()
    for item in content.get("offers", []):
        used = [dc_content[c] for c in item.get("data_centres") or []]
        flags = rules.hosting(used)
        components = item.get("components") or []
        category = categories[item["category"]]
        values = {
            "name": item["name"],
            "category_id": category.pk,
            "status": item["status"],
            "description": item.get("description") or "",
            "training_languages": "," + ",".join(item.get("training_languages") or []) + ",",
            "search_text": rules.search_text(
                item["name"],
                item.get("description") or "",
                supplier_name,
                category.name,
                *(c["name"] for c in components),
            ),
            "hosted_in_canada_only": flags.canada_only,
            "hosted_in_quebec_only": flags.quebec_only,
            "personal_information_authorised": flags.personal_information_authorised,
            "version": version,
            "updated_at": now,
        }
        offer = existing_offers.get(item["code"])
        if offer is None:
            offer = Offer.objects.create(supplier=supplier, code=item["code"], **values)
        else:
            _changed(offer, values)
            offer.save(update_fields=list(values))
        offer.data_centres.set([centres[c] for c in item.get("data_centres") or []])
        rows = existing_components.get(offer.pk, {})
        new, changed = [], []
        for component in components:
            values = {
                "name": component["name"],
                "kind": component["kind"],
                "description": component.get("description") or "",
                "active": True,
            }
            row = rows.get(component["code"])
            if row is None:
                new.append(Component(offer=offer, code=component["code"], **values))
            elif _changed(row, values):
                changed.append(row)
        Component.objects.bulk_create(new)
        if changed:
            Component.objects.bulk_update(changed, ["name", "kind", "description", "active"])
        codes = {c["code"] for c in components}
        gone = [row.pk for code, row in rows.items() if code not in codes and row.active]
        if gone:
            Component.objects.filter(pk__in=gone).update(active=False)
        offers[item["code"]] = offer
    Offer.objects.filter(supplier=supplier).exclude(code__in=offers).update(
        status=OfferStatus.WITHDRAWN, version=version, updated_at=now
    )
    return offers
