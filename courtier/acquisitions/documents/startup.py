"""Step 5 (002 §2.5): the startup meeting's agenda (its text kept on the meeting, its PDF with
the file's documents) and the acquisition strategy frozen after the meeting."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import accumulate

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courtier.acquisitions import rules
from courtier.acquisitions.documents.common import (
    NOT_SET,
    Rendered,
    _in_french,
    _iso,
    _month_label,
    _month_tables,
    _offer_label,
    _organisation_names,
    _pdf,
    _unit,
    _yes_no,
)
from courtier.acquisitions.models import (
    AcquisitionFile,
    AcquisitionStrategy,
    Scenario,
    StartupMeeting,
)
from courtier.catalogue.models import SheetVersion
from courtier.core.formatting import long_date, money, quantity
from courtier.core.pdf import Grid

ROLE_LABELS = {
    "client": _("Client"),
    "supplier": _("Fournisseur"),
    "broker": _("Courtier"),
    "partner": _("Partenaire du fournisseur"),
}


def _spread(quantities: Sequence[int], kind: str = rules.NeedKind.USAGE) -> str:
    """How a need's quantities spread over the contract: the first, peak and last month of a
    consumption; the months of a one-time entry or exit activity."""
    if not quantities:
        return ""
    if kind in (rules.NeedKind.ENTRY, rules.NeedKind.EXIT):
        return "; ".join(
            str(_("{q} au mois {m}")).format(q=quantity(q), m=m)
            for m, q in enumerate(quantities, start=1)
            if q
        )
    return str(_("{first} au 1er mois, {peak} au plus, {last} au dernier mois")).format(
        first=quantity(quantities[0]),
        peak=quantity(max(quantities)),
        last=quantity(quantities[-1]),
    )


def _agenda_sections(
    file: AcquisitionFile, meeting: StartupMeeting, chosen: Scenario | None
) -> tuple[str, list[tuple[str, list[str]]]]:
    """The agenda as (title, [(section heading, lines)]): the objectives, participants and next
    steps of 002 §2.5."""
    title = str(_("Ordre du jour - Rencontre de démarrage"))
    when = timezone.localtime(meeting.scheduled_for)
    contact = file.startup_contact_on or timezone.localdate()
    needs = {n.code: n for n in file.needs.all()}
    offers = list(chosen.offers.all().order_by("name")) if chosen else []
    mappings = {c.offer_id: c.mapping for c in file.candidates.filter(offer__in=offers)}
    supplier = chosen.supplier.name if chosen else str(_("à confirmer"))
    partner = file.supplier_partner

    facts = [
        str(_("Dossier : {reference} - {title}")).format(
            reference=file.reference, title=file.title
        ),
        str(_("Organisme client : {name}")).format(name=file.client.name),
        str(_("Fournisseur retenu : {name}")).format(name=supplier)
        + (" " + str(_("(partenaire : {name})")).format(name=partner) if partner else ""),
        str(_("Date : {day}, {hour} (heure de l'Est)")).format(
            day=long_date(when.date(), with_weekday=True), hour=when.strftime("%H h %M")
        ),
        str(_("Rencontre par visioconférence convoquée par le Courtier.")),
    ]
    participants = [
        f"- {p.get('name', '')} ({p.get('email', '')}), "
        f"{ROLE_LABELS.get(p.get('role', ''), p.get('role', ''))}"
        for p in meeting.participants or []
    ]

    strategy = [
        str(_("1. Valider la stratégie d'acquisition déterminée par le client :")),
        "   - "
        + str(_("durée du contrat : {n} mois, renouvellements compris")).format(
            n=file.duration_months or "?"
        ),
    ]
    if offers:
        strategy.append("   - " + str(_("solutions retenues :")))
        for offer in offers:
            strategy.append(f"     - {_offer_label(offer)}")
        strategy.append(
            "   - " + str(_("composantes, quantités et leur répartition sur la durée :"))
        )
        for offer in offers:
            for need_code, component in sorted(mappings.get(offer.pk, {}).items()):
                need = needs.get(need_code)
                if need is None:
                    continue
                strategy.append(
                    f"     - {offer.code} / {component} : {need.label} "
                    f"({_unit(need.unit)}) - {_spread(need.quantities, need.kind)}"
                )
    else:
        strategy.append("   - " + str(_("solutions retenues : à confirmer")))
    strategy.append(
        "   - "
        + str(_("montant total estimé : {amount}")).format(
            amount=money(chosen.total_cents) if chosen else str(_("à confirmer"))
        )
    )
    objectives = [
        *strategy,
        str(
            _(
                "2. Passer en revue les conditions du fournisseur ayant une incidence financière "
                "ou sur la durée du contrat (modalités de prix et de facturation, quantités "
                "minimales, durée minimale, hausses annuelles)."
            )
        ),
        str(_("3. Organiser le travail des intervenants pour la préparation du contrat.")),
    ]
    steps = [
        str(_("1. Le client valide l'admissibilité administrative du fournisseur.")),
        str(
            _(
                "2. Le Courtier prépare le contrat à partir du gabarit de contrat spécifique, avec "
                "l'annexe modificative et les conditions du fournisseur; le fournisseur complète "
                "les documents prévus à ses conditions contractuelles."
            )
        ),
        str(
            _(
                "3. Le Courtier assemble les documents contractuels et les transmet au client "
                "pour validation."
            )
        ),
        str(
            _(
                "4. La version finale, portant le sceau de validation du Courtier, est transmise "
                "au client pour signature."
            )
        ),
        str(
            _(
                "5. Le client fait signer le contrat par sa hiérarchie, puis le transmet au "
                "fournisseur, qui le signe et le retourne au client."
            )
        ),
        str(
            _(
                "6. Le client transmet au Courtier le contrat signé par les parties et le "
                "formulaire d'engagement de responsabilité signé dans les 5 jours ouvrables "
                "suivant la signature."
            )
        ),
    ]
    schedule = [
        str(
            _(
                "Prévoir au moins {days} jours entre le contact de démarrage du Courtier "
                "({contact}) et un contrat signé par le fournisseur : au plus tôt le {earliest}."
            )
        ).format(
            days=rules.STARTUP_TO_SIGNED_CONTRACT_DAYS,
            contact=long_date(contact),
            earliest=long_date(rules.earliest_signed_contract(contact)),
        )
    ]
    sections = [
        ("", facts),
        (str(_("Participants")), participants or [str(_("(à préciser)"))]),
        (str(_("Objectifs de la rencontre")), objectives),
        (str(_("Prochaines étapes")), steps),
        (str(_("Échéancier")), schedule),
    ]
    return title, sections


@_in_french
def agenda_text(file: AcquisitionFile, meeting: StartupMeeting, chosen: Scenario | None) -> str:
    """The startup meeting's agenda as plain text (002 §2.5), kept on the meeting and sent to
    its participants."""
    title, sections = _agenda_sections(file, meeting, chosen)
    parts = [title, "=" * len(title)]
    for heading, lines in sections:
        if heading:
            parts += ["", heading, "-" * len(heading)]
        else:
            parts.append("")
        parts += lines
    return "\n".join(parts) + "\n"


@_in_french
def agenda_pdf(file: AcquisitionFile, meeting: StartupMeeting) -> Rendered:
    """The agenda as a PDF (template ``acquisitions/documents/agenda.html``), kept with the
    file's documents."""
    chosen = file.scenarios.filter(chosen=True).select_related("supplier").first()
    title, sections = _agenda_sections(file, meeting, chosen)
    return _pdf(
        str(_("Ordre du jour de la rencontre de démarrage du {day}")).format(
            day=_iso(meeting.scheduled_for)
        ),
        f"{file.reference}-ordre-du-jour.pdf",
        "agenda.html",
        {"file": file, "sections": sections},
        heading=title,
        reference=file.reference,
    )


@_in_french
def strategy_pdf(strategy: AcquisitionStrategy) -> Rendered:
    """The acquisition strategy frozen after the startup meeting and handed to contract
    preparation (002 §2.5): supplier, offers and their sheet versions, components and quantities
    over time, duration, total and its monthly spread (template
    ``acquisitions/documents/strategy.html``)."""
    file = AcquisitionFile.objects.select_related("client").get(pk=strategy.file_id)
    content = strategy.content
    title = str(_("Stratégie d'acquisition figée"))
    start = file.planned_start
    offers = content.get("offers") or []
    versions = dict(
        SheetVersion.objects.filter(
            pk__in=[o.get("sheet_version") for o in offers if o.get("sheet_version")]
        ).values_list("pk", "name")
    )
    components = [(o, c) for o in offers for c in o.get("components") or []]
    kinds = dict(file.needs.values_list("code", "kind"))
    monthly = content.get("monthly_cents") or []
    shares = content.get("member_shares") or {}
    names = _organisation_names(shares.keys()) if shares else {}
    context = {
        "file": file,
        "strategy": strategy,
        "not_set": str(NOT_SET),
        "supplier_name": str(content.get("supplier_name", "")),
        "supplier_partner": str(content.get("supplier_partner") or NOT_SET),
        "duration": str(_("{n} mois")).format(n=strategy.duration_months),
        "is_lowest": _yes_no(bool(content.get("is_lowest"))),
        "offers": Grid(
            headers=[str(_("Offre")), str(_("Code")), str(_("Version de la fiche"))],
            rows=[
                [
                    str(o.get("name", "")),
                    str(o.get("code", "")),
                    versions.get(o.get("sheet_version"), ""),
                ]
                for o in offers
            ],
        ),
        "components": Grid(
            headers=[
                str(_("Offre")),
                str(_("Composante")),
                str(_("Besoin")),
                str(_("Unité")),
                str(_("Répartition")),
            ],
            rows=[
                [
                    str(o.get("code", "")),
                    str(c.get("component", "")),
                    str(c.get("label", "")),
                    _unit(str(c.get("unit", ""))),
                    _spread(
                        c.get("quantities") or [], kinds.get(c.get("need"), rules.NeedKind.USAGE)
                    ),
                ]
                for o, c in components
            ],
        ),
        "month_tables": _month_tables(
            start,
            strategy.duration_months,
            [
                (f"{o.get('code', '')}/{c.get('component', '')}", c.get("quantities") or [])
                for o, c in components
            ],
        )
        if components and strategy.duration_months
        else [],
        "monthly": Grid(
            headers=[str(_("Mois")), str(_("Montant")), str(_("Cumulatif"))],
            rows=[
                [_month_label(start, m), money(amount), money(total)]
                for m, (amount, total) in enumerate(zip(monthly, accumulate(monthly), strict=True))
            ],
            numbers=frozenset({1, 2}),
        )
        if monthly
        else None,
        "shares": Grid(
            headers=[str(_("Organisme membre")), str(_("Montant"))],
            rows=[[names.get(str(m), str(m)), money(cents)] for m, cents in shares.items()],
            numbers=frozenset({1}),
        )
        if shares
        else None,
    }
    return _pdf(
        title,
        f"{file.reference}-strategie.pdf",
        "strategy.html",
        context,
        heading=title,
        reference=file.reference,
    )
