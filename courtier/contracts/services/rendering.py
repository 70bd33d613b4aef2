"""The PDFs of a contract and of its amendments, from the broker's versioned template (002 §2.5
steps 5-7, §3.5 steps 2-5, §4.5): French PDF/A through the one stack (``core.pdf``), the amounts
in figures and in words (``words``), the annexes the contract is made of, and the space the
broker's validation stamp needs left free at the bottom of the last page
(``documents.signing.STAMP_HEIGHT_MM``).

Run by ``tasks`` after the commit of the request (``services.generation``), never inside it:
each rendering is kept as a new version of the instrument's document, the drafts first, then
(by ``services.transitions``) the stamped final version and the signed copies."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from itertools import accumulate
from typing import Any

from babel.numbers import format_decimal
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from courtier.accounts.models import User
from courtier.catalogue.labels import DOCUMENT_KIND_LABELS
from courtier.catalogue.models import Qualification, SheetVersion, Unit
from courtier.contracts import rules, selectors
from courtier.contracts.models import (
    Amendment,
    AmendmentState,
    Contract,
    ContractKind,
    ContractSignatory,
    ContractState,
    Party,
)
from courtier.contracts.services.common import _lock, _lock_amendment, _record
from courtier.contracts.words import amount_in_words
from courtier.core.formatting import long_date, money, month_name, quantity
from courtier.core.pdf import PDF_CONTENT_TYPE, Grid, render_pdf
from courtier.documents.models import DocumentVersion
from courtier.documents.services.store import document_keep, document_version_add
from courtier.documents.signing import STAMP_HEIGHT_MM
from courtier.pricerequests.models import Remuneration
from courtier.pricerequests.rules import PriceLine, line_total_cents

FRENCH = "fr-ca"
LOCALE = "fr_CA"
CONTRACT_TEMPLATE = "contracts/documents/contract.html"
AMENDMENT_TEMPLATE = "contracts/documents/amendment.html"
CONTRACT_GENERATED = "contract.generated"
AMENDMENT_GENERATED = "amendment.generated"
# 002 §2.3.1: the sheet's contractual documents the contract is made of (its annexes).
CONTRACTUAL_KINDS = ("amending_annex", "supplier_conditions", "service_levels")
MONTHS_PER_TABLE = 6


# --- pure helpers -----------------------------------------------------------------------------


def monthly_schedule(monthly: Sequence[int] | None, months: int, total_cents: int) -> list[int]:
    """002 §2.5 (the strategy's amount and its spread over the duration): the strategy's
    monthly amounts while they still make up the contract's duration and total; else the total
    spread evenly over the months, the cents left over in the last one."""
    months = max(1, months)
    if monthly and len(monthly) == months and sum(int(c) for c in monthly) == total_cents:
        return [int(c) for c in monthly]
    share, left = divmod(total_cents, months)
    return [share] * (months - 1) + [share + left]


def month_label(start: date, index: int) -> str:
    """Contract month ``index`` (0 = the first) as « 1 — mai 2027 »."""
    return f"{index + 1} — {month_name(rules.add_months(start, index))}"


def _hours(value: Any) -> str:
    return format_decimal(Decimal(str(value or 0)), format="#,##0.##", locale=LOCALE)


def _figures_and_words(cents: int) -> str:
    """« 1 234,56 $ (mille deux cent trente-quatre dollars et cinquante-six cents) »."""
    return f"{money(cents)} ({amount_in_words(cents)})"


def _months(count: int) -> str:
    return _("{n} mois").format(n=count)


def _covered(generated_at: datetime | None, asked_at: str | None) -> bool:
    """A rendering that began after the request covers it (the same task run twice keeps one)."""
    return bool(asked_at and generated_at and generated_at > datetime.fromisoformat(asked_at))


# --- the contract's context -------------------------------------------------------------------


def _signatories(contract: Contract) -> dict[str, list[ContractSignatory]]:
    rows = list(contract.signatories.order_by("order", "id"))
    return {party: [s for s in rows if s.party == party] for party in Party.values}


def _sheet_versions(contract: Contract) -> dict[int, SheetVersion]:
    ids = [o.get("sheet_version") for o in contract.basis.get("offers") or []]
    return {v.pk: v for v in SheetVersion.objects.filter(pk__in=[i for i in ids if i])}


def _component_names(version: SheetVersion | None, offer_code: str) -> dict[str, str]:
    if version is None:
        return {}
    offers = [o for o in version.content.get("offers") or [] if o.get("code") == offer_code]
    return {
        str(c.get("code", "")): str(c.get("name", ""))
        for o in offers
        for c in o.get("components") or []
        if isinstance(c, dict)
    }


def _contractual_documents(versions: Sequence[SheetVersion], kinds: Sequence[str]) -> Grid:
    """The sheet's contractual documents of ``kinds`` (002 §2.3.1), named by their SHA-256."""
    return Grid(
        headers=[_("Version de la fiche"), _("Document"), _("Titre"), _("Empreinte SHA-256")],
        rows=[
            [
                version.name,
                str(DOCUMENT_KIND_LABELS.get(d.get("kind"), d.get("kind", ""))),
                str(d.get("title", "")),
                str(d.get("file_sha256", "")),
            ]
            for version in versions
            for d in version.content.get("documents") or []
            if d.get("kind") in kinds
        ],
    )


def _solutions_conditions(contract: Contract) -> dict[str, Any]:
    """002 §2.5: the supplier's conditions are those of the sheet versions the strategy rests on,
    with the offers, components and quantities over time it froze."""
    offers = contract.basis.get("offers") or []
    versions = _sheet_versions(contract)
    used = [versions[pk] for pk in sorted(versions)]
    units = dict(Unit.choices)
    components = [
        (o, c, _component_names(versions.get(o.get("sheet_version")), str(o.get("code", ""))))
        for o in offers
        for c in o.get("components") or []
    ]
    series = [
        (f"{o.get('code', '')}/{c.get('component', '')}", c.get("quantities") or [])
        for o, c, _names in components
    ]
    month_tables = [
        Grid(
            headers=[_("Mois"), *(label for label, _values in chunk)],
            rows=[
                [
                    month_label(contract.start_on, m),
                    *(quantity(values[m]) if m < len(values) else "" for _l, values in chunk),
                ]
                for m in range(contract.duration_months)
            ],
            numbers=frozenset(range(1, len(chunk) + 1)),
        )
        for chunk in (
            series[i : i + MONTHS_PER_TABLE] for i in range(0, len(series), MONTHS_PER_TABLE)
        )
    ]
    return {
        "sheets": Grid(
            headers=[_("Version de la fiche"), _("Publiée le")],
            rows=[[v.name, long_date(v.published_on)] for v in used],
        ),
        "offers": Grid(
            headers=[_("Offre"), _("Code"), _("Version de la fiche")],
            rows=[
                [
                    str(o.get("name", "")),
                    str(o.get("code", "")),
                    versions[o["sheet_version"]].name if o.get("sheet_version") in versions else "",
                ]
                for o in offers
            ],
        ),
        "components": Grid(
            headers=[_("Offre"), _("Composante"), _("Besoin"), _("Unité"), _("Quantité totale")],
            rows=[
                [
                    str(o.get("code", "")),
                    names.get(str(c.get("component", "")), "") or str(c.get("component", "")),
                    str(c.get("label", "")),
                    str(units.get(c.get("unit"), c.get("unit", ""))),
                    quantity(sum(int(q or 0) for q in c.get("quantities") or [])),
                ]
                for o, c, names in components
            ],
            numbers=frozenset({4}),
        ),
        "month_tables": month_tables,
        "supplier_documents": _contractual_documents(used, CONTRACTUAL_KINDS[1:]),
        "amending_documents": _contractual_documents(used, CONTRACTUAL_KINDS[:1]),
    }


def _services_conditions(contract: Contract) -> dict[str, Any]:
    """002 §3.5: a services contract rests on the file's qualifications and the response the
    client chose (its activities, rates and hours, or its lump sum)."""
    basis = contract.basis
    codes = [str(q) for q in basis.get("qualifications") or []]
    names = dict(Qualification.objects.filter(code__in=codes).values_list("code", "name"))
    chosen = basis.get("chosen") or {}
    lines = chosen.get("lines") or []
    totals = [
        line_total_cents(
            PriceLine(
                activity=str(line.get("activity", "")),
                rate_cents=int(line.get("rate_cents") or 0),
                hours=Decimal(str(line.get("hours") or 0)),
            )
        )
        for line in lines
    ]
    remuneration = basis.get("remuneration") or ""
    return {
        "qualifications": Grid(
            headers=[_("Code"), _("Qualification")],
            rows=[[code, names.get(code, code)] for code in codes],
        ),
        "remuneration": str(dict(Remuneration.choices).get(remuneration, remuneration)),
        "chosen": chosen,
        "lines": Grid(
            headers=[_("Activité"), _("Taux horaire"), _("Heures estimées"), _("Montant")],
            rows=[
                *(
                    [
                        str(line.get("activity", "")),
                        money(line.get("rate_cents")),
                        _hours(line.get("hours")),
                        money(total),
                    ]
                    for line, total in zip(lines, totals, strict=True)
                ),
                [_("Total"), "", "", money(sum(totals))],
            ],
            numbers=frozenset({1, 2, 3}),
            total=True,
        )
        if lines
        else None,
        "lump_sum": _figures_and_words(chosen["lump_sum_cents"])
        if chosen.get("lump_sum_cents")
        else "",
        "response_total": _figures_and_words(int(chosen.get("total_cents") or 0)),
        "response_documents": Grid(
            headers=[_("Document de la réponse"), _("Empreinte SHA-256")],
            rows=[
                [str(d.get("title", "")), str(d.get("sha256", ""))]
                for d in chosen.get("documents") or []
            ],
        )
        if chosen.get("documents")
        else None,
    }


def _schedule(contract: Contract) -> dict[str, Any]:
    """The consumption schedule: the authorised amount month by month and in total (002 §2.5,
    §4.4: consumption is followed against it)."""
    amounts = monthly_schedule(
        contract.basis.get("monthly_cents"), contract.duration_months, contract.authorised_cents
    )
    return {
        "schedule": Grid(
            headers=[_("Mois du contrat"), _("Montant"), _("Cumulatif")],
            rows=[
                *(
                    [month_label(contract.start_on, m), money(amount), money(total)]
                    for m, (amount, total) in enumerate(
                        zip(amounts, accumulate(amounts), strict=True)
                    )
                ),
                [_("Total"), money(sum(amounts)), ""],
            ],
            numbers=frozenset({1, 2}),
            total=True,
        ),
        "schedule_total": _figures_and_words(sum(amounts)),
        "schedule_even": amounts != [int(c) for c in contract.basis.get("monthly_cents") or []],
    }


def contract_context(contract: Contract) -> dict[str, Any]:
    """What ``contracts/documents/contract.html`` reads."""
    solutions = contract.kind == ContractKind.SOLUTIONS
    return {
        "contract": contract,
        "solutions": solutions,
        "kind": ContractKind(contract.kind).label,
        "supplier_role": _("Fournisseur") if solutions else _("Prestataire de services"),
        "source": contract.basis.get("source", {}).get("file", ""),
        "duration": _months(contract.duration_months),
        "authorised": _figures_and_words(contract.authorised_cents),
        "signatories": _signatories(contract),
        "stamp_height_mm": STAMP_HEIGHT_MM,
        **(_solutions_conditions(contract) if solutions else _services_conditions(contract)),
        **_schedule(contract),
    }


def contract_pdf(contract: Contract) -> bytes:
    with translation.override(FRENCH):
        return render_pdf(
            CONTRACT_TEMPLATE,
            contract_context(contract),
            title=_("Contrat spécifique {reference}").format(reference=contract.reference),
            reference=_("{reference} — gabarit {version}").format(
                reference=contract.reference, version=contract.template_version
            ),
        )


# --- the amendment's context ------------------------------------------------------------------


def change_label(
    change: dict[str, Any], offers: dict[int, str], qualifications: dict[str, str]
) -> str:
    """One change of an amendment as the document states it (002 §4.5)."""
    what = change.get("kind")
    if what == rules.ChangeKind.DURATION:
        return _("Prolongation de la durée de {months}").format(
            months=_months(int(change.get("months") or 0))
        )
    if what == rules.ChangeKind.AMOUNT:
        return _("Hausse du montant total autorisé de {amount}").format(
            amount=_figures_and_words(int(change.get("cents") or 0))
        )
    if what == rules.ChangeKind.COMPONENT:
        offer = offers.get(int(change.get("offer") or 0), str(change.get("offer", "")))
        return _("Ajout de la composante {component} à l'offre {offer}").format(
            component=change.get("component", ""), offer=offer
        )
    if what == rules.ChangeKind.SERVICES:
        code = str(change.get("qualification", ""))
        text = _("Ajout de services de la qualification {qualification}").format(
            qualification=qualifications.get(code, code)
        )
        return f"{text} : {change['description']}" if change.get("description") else text
    return str(change.get("description") or what or "")


def _terms_rows(contract: Contract, terms: rules.Terms) -> list[str]:
    return [
        _months(terms.months),
        long_date(rules.end_on(contract.start_on, terms.months)),
        _figures_and_words(terms.authorised_cents),
    ]


def amendment_context(amendment: Amendment) -> dict[str, Any]:
    """What ``contracts/documents/amendment.html`` reads: the terms before are the contract's
    current terms (its signed amendments in order), those after add this one (002 §4.5)."""
    contract = amendment.contract
    before = selectors.current_terms(contract)
    after = rules.apply_changes(before, amendment.number, amendment.changes)
    offers = {
        int(o["offer"]): f"{o.get('name', '')} ({o.get('code', '')})"
        for o in contract.basis.get("offers") or []
        if o.get("offer")
    }
    codes = [str(c.get("qualification", "")) for c in amendment.changes]
    qualifications = dict(Qualification.objects.filter(code__in=codes).values_list("code", "name"))
    terms_before, terms_after = _terms_rows(contract, before), _terms_rows(contract, after)
    labels = [_("Durée totale"), _("Fin prévue"), _("Montant total autorisé")]
    return {
        "amendment": amendment,
        "contract": contract,
        "supplier_role": _("Fournisseur")
        if contract.kind == ContractKind.SOLUTIONS
        else _("Prestataire de services"),
        "changes": [change_label(c, offers, qualifications) for c in amendment.changes],
        "terms": Grid(
            headers=[_("Terme"), _("Avant l'avenant"), _("Après l'avenant")],
            rows=[list(row) for row in zip(labels, terms_before, terms_after, strict=True)],
        ),
        "fee": _figures_and_words(amendment.fee_cents),
        "signatories": _signatories(contract),
        "stamp_height_mm": STAMP_HEIGHT_MM,
    }


def amendment_pdf(amendment: Amendment) -> bytes:
    contract = amendment.contract
    with translation.override(FRENCH):
        return render_pdf(
            AMENDMENT_TEMPLATE,
            amendment_context(amendment),
            title=_("Avenant n° {number} au contrat spécifique {reference}").format(
                number=amendment.number, reference=contract.reference
            ),
            reference=_("{reference}-A{number} — gabarit {version}").format(
                reference=contract.reference,
                number=amendment.number,
                version=contract.template_version,
            ),
        )


# --- keeping (run by tasks) -------------------------------------------------------------------


def _keep(
    by: User | None,
    holder: Contract | Amendment,
    subject: Contract,
    *,
    type: str,
    title: str,
    name: str,
    content: bytes,
) -> tuple[DocumentVersion, int | None]:
    """The rendering kept: the holder's document the first time (no event: the transmission to
    the broker is owed from the signature, DOMAIN §7), a new version of it later. The version
    and the number of the one before it."""
    if holder.document_id is None:
        holder.document = document_keep(
            by=by,
            subject=subject,
            type=type,
            title=title,
            name=name,
            content=content,
            content_type=PDF_CONTENT_TYPE,
        )
        return holder.document.versions.get(number=1), None
    version = document_version_add(
        by=by, document=holder.document, name=name, content=content, content_type=PDF_CONTENT_TYPE
    )
    return version, version.number - 1


def _facts(version: DocumentVersion, template_version: str) -> dict[str, Any]:
    return {
        "version": version.number,
        "sha256": version.sha256,
        "template_version": template_version,
    }


def contract_document_keep(
    *, contract_id: int, by_id: int | None, asked_at: str | None = None
) -> int | None:
    """Render the contract and keep it (type ``signed_contract``, its versions in order), in a
    transaction of its own, as the person who asked; ``generated_at`` is when the rendering read
    the contract (a change made meanwhile leaves it stale: ``checks.document_problems``). The
    version's id, or None when the contract left preparation or a later rendering covers it."""
    started = timezone.now()
    contract = Contract.objects.select_related("client", "supplier").filter(pk=contract_id).first()
    if contract is None or contract.state != ContractState.PREPARATION:
        return None
    if _covered(contract.generated_at, asked_at):
        return None
    content = contract_pdf(contract)  # before the transaction: nothing locked meanwhile
    with transaction.atomic():
        locked = _lock(contract)
        if locked.state != ContractState.PREPARATION or _covered(locked.generated_at, asked_at):
            return None
        by = User.objects.filter(pk=by_id).first() if by_id is not None else None
        version, previous = _keep(
            by,
            locked,
            locked,
            type="signed_contract",
            title=_("Contrat spécifique {reference}").format(reference=locked.reference),
            name=f"{locked.reference}-contrat.pdf",
            content=content,
        )
        locked.generated_at = started
        locked.save(update_fields=["document", "generated_at"])  # updated_at untouched
        _record(
            by,
            CONTRACT_GENERATED,
            locked,
            locked,
            {"version": previous} if previous else None,
            _facts(version, locked.template_version),
        )
        return version.pk


def amendment_document_keep(
    *, amendment_id: int, by_id: int | None, asked_at: str | None = None
) -> int | None:
    """The same for an amendment in preparation (type ``signed_amendment``, kept with the
    contract's documents)."""
    started = timezone.now()
    amendment = (
        Amendment.objects.select_related("contract__client", "contract__supplier")
        .filter(pk=amendment_id)
        .first()
    )
    if amendment is None or amendment.state != AmendmentState.PREPARATION:
        return None
    if _covered(amendment.generated_at, asked_at):
        return None
    content = amendment_pdf(amendment)
    with transaction.atomic():
        locked = _lock_amendment(amendment)
        if locked.state != AmendmentState.PREPARATION or _covered(locked.generated_at, asked_at):
            return None
        contract = locked.contract
        by = User.objects.filter(pk=by_id).first() if by_id is not None else None
        version, previous = _keep(
            by,
            locked,
            contract,
            type="signed_amendment",
            title=_("Avenant n° {number} au contrat spécifique {reference}").format(
                number=locked.number, reference=contract.reference
            ),
            name=f"{contract.reference}-avenant-{locked.number}.pdf",
            content=content,
        )
        locked.generated_at = started
        locked.save(update_fields=["document", "generated_at"])
        _record(
            by,
            AMENDMENT_GENERATED,
            locked,
            contract,
            {"version": previous} if previous else None,
            _facts(version, contract.template_version),
        )
        return version.pk
