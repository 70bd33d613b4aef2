"""Demo contracts (issue 13): a contract in each state worth showing, for the Ministère de
l'Enseignement supérieur (acquisitions@mes.example; its authorised signatory
signataire@mes.example), built only through the services (every change audited, every document
kept) on frozen acquisition files made with the helpers of ``acquisitions.demo`` and on the
service file ``pricerequests.demo`` hands off. The PDFs are rendered while loading, by calling
the rendering task's function directly: the broker stamps a generated version and the parties
sign it within the demo's one transaction. Stories that started in the past are lived on a clock
set back (``acquisitions.demo._on``).

1. ``SERVICES`` (the handed-off « Migration du système de gestion des bourses », Conseil TI
   Saint-Laurent): in preparation by the broker, the eligibility confirmed and the signatories
   named, its documents generated: the broker sends it to the client next.
2. ``REVIEW_TITLE``: office suite (Nuagique's Rédaction), sent to the client for validation: the
   client's procurement officer approves or returns it.
3. ``SIGNING_TITLE``: spreadsheets (Nuagique's Calcul), approved by the client and validated by
   the broker (its stamp): awaiting the client's signatory, Pierre Morin.
4. ``IN_FORCE_TITLE``: internal social network (Boréale Communauté), signed two months ago and
   in force since its start, with each month's order and invoice (each with its file) and
   amendment 1 (six more months and a higher authorised amount) signed by both parties.

The acquisitions demo's frozen strategy (``acquisitions.demo.FROZEN_TITLE``) is left without a
contract: it waits in the broker's preparation queue (and tests/contracts/test_api.py takes it
through the API). Loading twice changes nothing: each story is skipped when its file already has
a contract, or when its frozen file exists already.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from courtier.accounts import demo as accounts_demo
from courtier.accounts.models import Organisation, User
from courtier.acquisitions.demo import ANSWERS, _on, _start, frozen_file
from courtier.acquisitions.models import AcquisitionFile, AcquisitionStrategy
from courtier.catalogue.demo import pdf
from courtier.contracts import tasks
from courtier.contracts.models import Amendment, Contract, EntryKind, Party
from courtier.contracts.services import (
    amendments,
    consumption,
    creation,
    dates,
    signing,
    transitions,
)
from courtier.pricerequests.demo import HANDED_OFF_TITLE
from courtier.pricerequests.models import HandoffPackage

CLIENT = "acquisitions@mes.example"
SIGNATORY = "signataire@mes.example"
BROKER = "agent@courtier.example"
PROVIDER = "representant@conseil-ti.example"
PASSWORD = accounts_demo.DEMO_PASSWORD

REVIEW_TITLE = "Suite de rédaction des employés du ministère"
SIGNING_TITLE = "Chiffriers partagés des directions du ministère"
IN_FORCE_TITLE = "Réseau social interne du ministère"
TITLES = (REVIEW_TITLE, SIGNING_TITLE, IN_FORCE_TITLE)
# The contract in force: its file was frozen this long ago (the demo Catalogue's prices start
# three months back), the contract signed a week later; it started in the weeks since.
IN_FORCE_FROZEN_DAYS_AGO = 70
PRICE_TERMS = (
    "Facturation mensuelle à terme échu selon la consommation réelle, aux prix de la fiche "
    "fournisseur en vigueur ; paiement à 30 jours."
)


def load() -> None:
    """Load the demo contracts (called by courtier.demo.load_demo, last, inside its transaction,
    once the acquisition files and the handed-off service file exist)."""
    mes = Organisation.objects.get(name=accounts_demo.MES)
    people = {
        email: User.objects.get(email=email) for email in (CLIENT, SIGNATORY, BROKER, PROVIDER)
    }
    today = timezone.localdate()
    package = HandoffPackage.objects.filter(file__client=mes, file__title=HANDED_OFF_TITLE).first()
    if package is not None and not Contract.objects.filter(handoff=package).exists():
        _services_in_preparation(people, package, today)
    existing = set(
        AcquisitionFile.objects.filter(client=mes, title__in=TITLES).values_list("title", flat=True)
    )
    if REVIEW_TITLE not in existing:
        _in_review(people, mes, today)
    if SIGNING_TITLE not in existing:
        _awaiting_signatory(people, mes, today)
    if IN_FORCE_TITLE not in existing:
        _in_force(people, mes, today)


# --- helpers ------------------------------------------------------------------------------------


def _frozen(
    by: User,
    client: Organisation,
    title: str,
    *,
    frozen_on: date,
    category: str,
    keep: set[str],
    plan: tuple[str, str, tuple[int, int, int]],
    months: int,
    budget_cents: int,
    requirement: str,
) -> AcquisitionStrategy:
    """A file taken to its frozen strategy ``frozen_on`` (the lowest scenario, the funds
    authorised, the startup meeting held), as ``acquisitions.demo`` lives its frozen file: from
    seven days before, then on the day of the meeting."""
    file = frozen_file(
        by,
        client,
        title,
        since=frozen_on - timedelta(days=7),
        funds_reference="AF-{year}-{pk:03d}",
        category=category,
        months=months,
        budget_cents=budget_cents,
        answers=ANSWERS,
        plan=plan,
        keep=keep,
        requirements=(requirement,),
    )
    return AcquisitionStrategy.objects.get(file=file)


def _supplier_signer(contract: Contract) -> User:
    return (
        User.objects.filter(memberships__organisation_id=contract.supplier_id)
        .order_by("pk")
        .first()
    )


def _prepared(people: dict[str, User], contract: Contract, confirmed_on: date) -> Contract:
    """The broker's preparation (002 §2.5 steps 4-5): the client's confirmation of the
    supplier's eligibility, the price terms, the client's signatory then the supplier's."""
    broker = people[BROKER]
    creation.contract_eligibility_confirm(
        by=broker,
        contract=contract,
        confirmed_on=confirmed_on,
        note="Confirmée par courriel de la Direction des acquisitions.",
    )
    creation.contract_update(by=broker, contract=contract, price_terms=PRICE_TERMS)
    signer = people[SIGNATORY]
    supplier = _supplier_signer(contract)
    creation.contract_signatories_set(
        by=broker,
        contract=contract,
        signatories=[
            {
                "party": Party.CLIENT,
                "order": 1,
                "user_id": signer.pk,
                "title": "Sous-ministre adjoint aux services à l'organisation",
            },
            {"party": Party.SUPPLIER, "order": 1, "user_id": supplier.pk, "title": "Directeur"},
        ],
    )
    return _generated(people, contract)


def _generated(people: dict[str, User], instrument: Contract | Amendment) -> Any:
    """The document rendered now (the task's function, called directly): see the module."""
    broker = people[BROKER]
    if isinstance(instrument, Amendment):
        tasks.amendment_document_render.func(instrument.pk, broker.pk)
        return Amendment.objects.select_related("contract").get(pk=instrument.pk)
    tasks.contract_document_render.func(instrument.pk, broker.pk)
    return Contract.objects.get(pk=instrument.pk)


def _reload(instrument: Contract | Amendment) -> Any:
    return type(instrument).objects.get(pk=instrument.pk)


def _signed(people: dict[str, User], instrument: Contract | Amendment) -> None:
    """The client's signatory, then the supplier's, each on the current version of the stamped
    chain, re-entering the password (002 §2.5 steps 8-9)."""
    for person in (
        people[SIGNATORY],
        _supplier_signer(getattr(instrument, "contract", instrument)),
    ):
        instrument = _reload(instrument)
        signing.instrument_sign(
            by=person,
            instrument=instrument,
            password=PASSWORD,
            version_id=signing.chain_head(instrument).pk,
        )


def _to_validated(people: dict[str, User], contract: Contract) -> Contract:
    transitions.contract_send_for_review(by=people[BROKER], contract=contract)
    transitions.contract_approve(by=people[CLIENT], contract=_reload(contract))
    transitions.contract_validate(by=people[BROKER], contract=_reload(contract))
    return _reload(contract)


def _at(day: date, hour: int = 10) -> Any:
    return _on(timezone.make_aware(datetime.combine(day, time(hour))))


# --- the stories ------------------------------------------------------------------------------


def _services_in_preparation(
    people: dict[str, User], package: HandoffPackage, today: date
) -> Contract:
    contract = creation.contract_create(
        by=people[BROKER], handoff=package, start_on=_start(today, 2)
    )
    return _prepared(people, contract, today)


def _in_review(people: dict[str, User], mes: Organisation, today: date) -> Contract:
    strategy = _frozen(
        people[CLIENT],
        mes,
        REVIEW_TITLE,
        frozen_on=today - timedelta(days=14),
        category="traitement-texte",
        keep={"NQ-TEXTE"},
        plan=("redacteurs", "Employés qui rédigent", (900, 5, 1000)),
        months=24,
        budget_cents=15_000_000,
        requirement="Modèles de documents en français",
    )
    contract = creation.contract_create(by=people[BROKER], strategy=strategy)
    contract = _prepared(people, contract, today)
    transitions.contract_send_for_review(by=people[BROKER], contract=contract)
    return _reload(contract)


def _awaiting_signatory(people: dict[str, User], mes: Organisation, today: date) -> Contract:
    strategy = _frozen(
        people[CLIENT],
        mes,
        SIGNING_TITLE,
        frozen_on=today - timedelta(days=21),
        category="tableur",
        keep={"NQ-TABLEUR"},
        plan=("analystes", "Analystes et gestionnaires", (300, 2, 350)),
        months=24,
        budget_cents=8_000_000,
        requirement="Coédition des chiffriers en temps réel",
    )
    contract = creation.contract_create(by=people[BROKER], strategy=strategy)
    return _to_validated(people, _prepared(people, contract, today))


def _in_force(people: dict[str, User], mes: Organisation, today: date) -> Contract:
    """Signed a week after its strategy was frozen, in force since its start, consumed month
    after month; amendment 1 (six more months, a higher amount) signed since."""
    frozen_on = today - timedelta(days=IN_FORCE_FROZEN_DAYS_AGO)
    strategy = _frozen(
        people[CLIENT],
        mes,
        IN_FORCE_TITLE,
        frozen_on=frozen_on,
        category="reseau-social",
        keep={"SB-SOCIAL"},
        plan=("membres", "Employés membres du réseau", (1000, 10, 1200)),
        months=24,
        budget_cents=12_000_000,
        requirement="Communautés par direction et modération",
    )
    with _at(frozen_on + timedelta(days=7)):
        contract = creation.contract_create(by=people[BROKER], strategy=strategy)
        contract = _to_validated(people, _prepared(people, contract, timezone.localdate()))
    with _at(frozen_on + timedelta(days=9)):
        _signed(people, contract)
    start = _reload(contract).start_on
    with _at(start, 1):
        dates.contracts_daily(today=start)
    contract = _reload(contract)
    monthly = contract.authorised_cents // contract.duration_months
    requested = today - timedelta(days=30)
    # Each month its order, and its invoice at the month's end; the amendment in between, on its
    # days: everything in the order it happened.
    story: list[tuple[date, Any]] = [
        (requested, lambda: _amendment_requested(people, contract, monthly)),
        (requested + timedelta(days=2), lambda: _amendment_prepared(people, contract)),
        (requested + timedelta(days=6), lambda: _amendment_validated(people, contract)),
        (requested + timedelta(days=10), lambda: _signed(people, _open_amendment(contract))),
    ]
    month, number = start, 1
    while month < today:
        invoiced = max(month, min(_month_end(month), today - timedelta(days=1)))
        story += [
            (
                month,
                _entry_of(people, contract, EntryKind.ORDER, f"BC-{number:03d}", month, monthly),
            ),
            (
                invoiced,
                _entry_of(
                    people, contract, EntryKind.INVOICE, f"F-{number:03d}", invoiced, monthly
                ),
            ),
        ]
        month, number = _month_end(month) + timedelta(days=1), number + 1
    for day, happen in sorted(story, key=lambda event: event[0]):
        with _at(day):
            happen()
    return _reload(contract)


def _open_amendment(contract: Contract) -> Amendment:
    return Amendment.objects.select_related("contract").filter(contract=contract).latest("number")


def _amendment_requested(people: dict[str, User], contract: Contract, monthly: int) -> None:
    amendments.amendment_request(
        by=people[CLIENT],
        contract=_reload(contract),
        reason="Le déploiement s'étend aux bureaux régionaux : six mois de plus et des membres "
        "supplémentaires.",
        changes=[{"kind": "duration", "months": 6}, {"kind": "amount", "cents": monthly * 6}],
    )


def _amendment_prepared(people: dict[str, User], contract: Contract) -> None:
    amendment = _open_amendment(contract)
    amendments.amendment_prepare(by=people[BROKER], amendment=amendment, fee_cents=50_000)
    amendment = _generated(people, amendment)
    transitions.amendment_send_for_review(by=people[BROKER], amendment=amendment)


def _amendment_validated(people: dict[str, User], contract: Contract) -> None:
    transitions.amendment_approve(by=people[CLIENT], amendment=_open_amendment(contract))
    transitions.amendment_validate(by=people[BROKER], amendment=_open_amendment(contract))


def _month_end(day: date) -> date:
    return _start(day, 1) - timedelta(days=1)


def _entry_of(
    people: dict[str, User], contract: Contract, kind: str, number: str, day: date, cents: int
) -> Any:
    """The recording of an order or an invoice, with its file, to happen on its day."""
    label = "Commande" if kind == EntryKind.ORDER else "Facture"
    return lambda: consumption.entry_record(
        by=people[CLIENT],
        contract=_reload(contract),
        kind=kind,
        number=number,
        dated_on=day,
        amount_cents=cents,
        description=f"{label} du mois de {day:%m/%Y}",
        content=pdf(f"{label} {number}", [f"Contrat {contract.reference}", f"{cents / 100:.2f} $"]),
        name=f"{number.lower()}.pdf",
    )
