"""Acquisition test data, built through the real services only (the Catalogue is published the
way suppliers and the broker publish it; a file moves through its steps the way clients move
it), so every row a test reads was written by the code under test.

The Catalogue (``publish_catalogue``): two suppliers of the "courriel" category.

- Fournisseur D (``orgs["supplier"]``): offer MAIL, hosted in Montreal only, BASE at
  ``PRICE_D`` = 10.00 $ per user per month; offer THEATRE ("visioconference", never a candidate of
  a "courriel" file: the offer a new version may change without touching MAIL).
- Fournisseur E (``orgs["supplier_other"]``): offer NUAGE, hosted in Montreal and Toronto, BASE
  at ``PRICE_E`` = 8.00 $ per user per month: the lowest-priced scenario.

The file (``file_at``): 10 users a month (``USERS``) for 12 months (``MONTHS``). Hand-computed
totals, monthly billing, no increase, no minimum: D = 10 x 1 000 ¢ x 12 = 120 000 ¢ (``TOTAL_D``),
E = 10 x 800 ¢ x 12 = 96 000 ¢ (``TOTAL_E``, the lowest).

Prices take effect on a first business day of a month and are never published for a past day
(DOMAIN §2), so ``publish_catalogue`` publishes them on the first business day of the current
month (of the previous month before it), travelling back to that morning when today is later:
the prices are in force whatever day the test froze its clock on.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import time_machine
from django.test import TestCase
from django.utils import timezone

from courtier.accounts.models import Organisation, Role, User
from courtier.accounts.services import organisation_add_member
from courtier.acquisitions import checks, rules
from courtier.acquisitions.models import AcquisitionFile, Scenario
from courtier.acquisitions.services import candidates as candidates_services
from courtier.acquisitions.services import needs as needs_services
from courtier.acquisitions.services import questions as questions_services
from courtier.acquisitions.services import scenarios as scenarios_services
from courtier.acquisitions.services import startup as startup_services
from courtier.acquisitions.services import transitions as transitions_services
from courtier.calendar import selectors as calendar
from courtier.catalogue.models import Offer
from tests.catalogue.factories import content, line, offer, publish
from tests.factories import make_person, pdf_bytes

TZ = ZoneInfo("America/Toronto")
State = rules.State

MONTHS = 12
USERS = 10
PRICE_D = 1_000  # cents per user per month, Fournisseur D's MAIL
PRICE_E = 800  # cents per user per month, Fournisseur E's NUAGE
TOTAL_D = USERS * PRICE_D * MONTHS  # 120 000 ¢
TOTAL_E = USERS * PRICE_E * MONTHS  # 96 000 ¢, the lowest
NEED = "utilisateurs"
BUDGET_CENTS = 500_000

# Every question of the step-1 questionnaire answered (DOMAIN §3.1; 002 §2.1).
ANSWERS: dict[str, object] = {
    q.code: f"Réponse : {q.code}." for q in rules.QUESTIONS if q.kind == rules.AnswerKind.TEXT
} | {"service_provider_needed": False}

PDF = pdf_bytes()
MARCH_1 = date(2027, 3, 1)  # a Monday, the first business day of March 2027: the tests' day


def at(day: date, hour: int = 9, minute: int = 0, **kwargs: Any) -> time_machine.travel:
    """Travel to ``day`` at ``hour``:``minute`` in Quebec (the clock ticks unless tick=False)."""
    return time_machine.travel(datetime.combine(day, time(hour, minute), tzinfo=TZ), **kwargs)


def today() -> date:
    return timezone.localdate()


def rendered() -> AbstractContextManager[Any]:
    """Run what the services queued for after the commit (the rendering of the file's documents
    by acquisitions.tasks, the emails) at the end of the block: the test's transaction never
    commits. Only the tests that read a document pay for its rendering."""
    return TestCase.captureOnCommitCallbacks(execute=True)


# --- the Catalogue ----------------------------------------------------------------------------


def sheet_d() -> dict[str, Any]:
    """Fournisseur D's sheet: MAIL (courriel, Montreal only) and THEATRE (visioconference)."""
    return content(
        offer("MAIL", "Courriel infonuagique", "courriel", data_centres=["MTL"]),
        offer("THEATRE", "Théâtre numérique", "visioconference", data_centres=["MTL"]),
    )


def sheet_e() -> dict[str, Any]:
    """Fournisseur E's sheet: NUAGE (courriel, Montreal and Toronto)."""
    return content(offer("NUAGE", "Courriel nuagique", "courriel", data_centres=["MTL", "TOR"]))


def prices_day() -> date:
    """The first business day of this month, or of the previous month when it is still to
    come: the latest day a price list can have taken effect on (DOMAIN §2)."""
    now = today()
    first = calendar.first_business_day_of_month(now.year, now.month)
    if first > now:
        previous = now.replace(day=1) - timedelta(days=1)
        first = calendar.first_business_day_of_month(previous.year, previous.month)
    return first


def publish_catalogue(orgs: Mapping[str, Organisation]) -> dict[str, Offer]:
    """Publish both sheets with their prices in force today; offer code -> Offer."""
    day = prices_day()

    def both() -> None:
        publish(
            orgs["supplier"],
            sheet_d(),
            prices={
                ("MAIL", day): [line("BASE", PRICE_D)],
                ("THEATRE", day): [line("BASE", 2_500)],
            },
        )
        publish(orgs["supplier_other"], sheet_e(), prices={("NUAGE", day): [line("BASE", PRICE_E)]})

    if day == today():
        both()
    else:
        with at(day, 9, tick=False):
            both()
    return {o.code: o for o in Offer.objects.filter(code__in=["MAIL", "THEATRE", "NUAGE"])}


def published_before_nine(orgs: Mapping[str, Organisation]) -> dict[str, Offer]:
    """The offers of ``publish_catalogue``, published at 08:00 on MARCH_1: for a world built once
    for a module (``tests.helpers.shared_world``), before its tests' clocks start at 09:00."""
    with at(MARCH_1, 8, tick=False):
        return publish_catalogue(orgs)


def republish(supplier: Organisation, sheet: dict[str, Any], change: Any) -> Any:
    """A new version of ``supplier``'s sheet: ``change(sheet)`` edits a copy of it."""
    sheet = copy.deepcopy(sheet)
    change(sheet)
    return publish(supplier, sheet)


# --- people ------------------------------------------------------------------------------------


def runner(organisation: Organisation) -> User:
    """A procurement person of ``organisation``: runs its acquisition files."""
    return make_person(organisation, Role.CLIENT_PROCUREMENT)


def group_with_members(orgs: Mapping[str, Organisation], *members: Organisation) -> Organisation:
    """The group purchaser of ``orgs`` with ``members`` added (through the service)."""
    group = orgs["group"]
    for member in members:
        organisation_add_member(by=None, group=group, member=member)
    return group


# --- a file at any step ---------------------------------------------------------------------


def new_file(
    *,
    by: User,
    client: Organisation,
    personal_information: bool = False,
    pi_outside_quebec: bool = False,
    location: str = rules.Location.ANYWHERE,
    members: Mapping[Organisation, Sequence[int]] | None = None,
    quantities: Sequence[int] | None = None,
) -> AcquisitionFile:
    """A file at step 1 with its whole questionnaire answered and one need, ``NEED`` (users per
    month): ready to submit. ``members`` (a group purchase): member -> its own quantities."""
    file = needs_services.file_create(
        by=by, client=client, title="Courriel des employés", is_group_purchase=members is not None
    )
    file = needs_services.file_update_needs(
        by=by,
        file=file,
        category_code="courriel",
        duration_months=MONTHS,
        budget_cents=BUDGET_CENTS,
        planned_start=today() + timedelta(days=90),
        location=location,
        personal_information=personal_information,
        pi_outside_quebec=pi_outside_quebec,
        answers=dict(ANSWERS),
    )
    needs_services.need_line_save(
        by=by,
        file=file,
        code=NEED,
        label="Boîtes de courriel",
        kind=rules.NeedKind.USAGE,
        unit="user_month",
        quantities=None if members is not None else list(quantities or [USERS] * MONTHS),
    )
    for member, own in (members or {}).items():
        needs_services.member_consumption_save(
            by=by, file=file, need_code=NEED, member=member, quantities=list(own)
        )
    return reload(file)


def reload(file: AcquisitionFile) -> AcquisitionFile:
    return AcquisitionFile.objects.select_related("client").get(pk=file.pk)


def move(file: AcquisitionFile, action: str, *, by: User) -> AcquisitionFile:
    return transitions_services.file_transition(by=by, file=file, action=action)


def scenario_of(file: AcquisitionFile, supplier: Organisation) -> Scenario:
    """The supplier's scenario in the file's latest run."""
    return checks.latest_run(file).scenarios.get(supplier=supplier)


def choose(file: AcquisitionFile, *, by: User, which: str = "lowest", own_rule: str | None = None):
    """Choose the lowest-priced scenario of the latest run, or (``which="other"``) the first
    complete one that is not the lowest."""
    scenarios = checks.latest_run(file).scenarios.filter(complete=True)
    scenario = scenarios.filter(is_lowest=which == "lowest").order_by("rank").first()
    return scenarios_services.scenario_choose(
        by=by, file=file, scenario=scenario, own_rule=own_rule
    )


def authorise_by_head(file: AcquisitionFile, *, by: User):
    """RCTI art. 48: the head's authorisation of the chosen non-lowest scenario, with a
    criterion and the signed document."""
    return scenarios_services.head_authorisation_record(
        by=by,
        file=file,
        criteria=[rules.Criterion.TECHNICAL_COMPATIBILITY],
        justification="Compatible avec l'annuaire de l'organisme.",
        head_name="Dominique Dirigeante",
        authorised_on=today(),
        document_name="autorisation-dirigeant.pdf",
        document=pdf_bytes(f"autorisation {file.pk}"),
        content_type="application/pdf",
    )


def authorise_financially(file: AcquisitionFile, *, by: User, additions_cents: int = 0):
    """The financial authorisation of exactly the chosen total plus ``additions_cents``."""
    chosen = checks.chosen_scenario(file)
    return scenarios_services.financial_authorisation_record(
        by=by,
        file=file,
        amount_cents=chosen.total_cents + additions_cents,
        planned_additions_cents=additions_cents,
        authorised_on=today(),
        authorised_by_name="Francis Finances",
    )


def record_efvp(file: AcquisitionFile, *, by: User) -> AcquisitionFile:
    return scenarios_services.efvp_record(
        by=by,
        file=file,
        done_on=today(),
        name="efvp.pdf",
        content=pdf_bytes(f"EFVP {file.pk}"),
        content_type="application/pdf",
    )


def participants() -> list[dict[str, str]]:
    return [
        {"name": "Camille Client", "email": "camille@client.example", "role": "client"},
        {"name": "Félix Fournisseur", "email": "felix@fournisseur.example", "role": "supplier"},
    ]


def schedule_meeting(file: AcquisitionFile, *, by: User, when: datetime | None = None):
    """The broker (``by``) convenes the startup meeting, by default in 2 days at 10:00."""
    when = when or datetime.combine(today() + timedelta(days=2), time(10), tzinfo=TZ)
    return startup_services.startup_meeting_schedule(
        by=by, file=file, scheduled_for=when, participants=participants()
    )


def advance(
    file: AcquisitionFile,
    to: str,
    *,
    by: User,
    broker: User | None = None,
    choice: str | None = "lowest",
    efvp: bool = True,
) -> AcquisitionFile:
    """Move ``file`` forward from its step to step ``to``, doing what each step needs:

    - catalogue: needs submitted, the Catalogue's offers listed (candidates_from_catalogue);
    - compliance: the list confirmed (every automatic requirement is met);
    - choice: the list closed and the scenarios computed; ``choice`` ("lowest", "other" or None)
      chosen, without any authorisation;
    - startup: the authorisations the choice needs (the head's for a non-lowest RCTI choice, the
      client's own rule otherwise, the financial one) and, when personal information is
      involved and ``efvp``, the EFVP; then the choice confirmed;
    - frozen: the broker (``broker``) convenes the meeting in 2 days at 10:00, then freezes the
      strategy 3 hours after it starts (the clock travels there only for that call).
    """
    order = [*rules.STEP_ORDER, State.FROZEN]
    target = order.index(State(to))
    while order.index(State(file.state)) < target:
        state = file.state
        if state == State.NEEDS:
            file = move(file, rules.Action.SUBMIT_NEEDS, by=by)
            candidates_services.candidates_from_catalogue(by=by, file=file)
        elif state == State.CATALOGUE:
            file = move(file, rules.Action.CONFIRM_CANDIDATES, by=by)
        elif state == State.COMPLIANCE:
            file = move(file, rules.Action.CLOSE_COMPLIANCE, by=by)
            scenarios_services.scenarios_compute(by=by, file=file)
            if choice is not None:
                choose(file, by=by, which=choice)
        elif state == State.CHOICE:
            _authorise_all(file, by=by, efvp=efvp)
            file = move(file, rules.Action.CONFIRM_CHOICE, by=by)
        elif state == State.STARTUP:
            assert broker is not None, "freezing is the broker's"
            meeting = schedule_meeting(file, by=broker)
            with time_machine.travel(meeting.scheduled_for + timedelta(hours=3), tick=False):
                startup_services.strategy_freeze(by=broker, file=file)
        file = reload(file)
    return file


def _authorise_all(file: AcquisitionFile, *, by: User, efvp: bool) -> None:
    chosen = checks.chosen_scenario(file)
    if chosen is None:
        chosen = choose(file, by=by)
    if not chosen.is_lowest and file.client.subject_to_rcti:
        authorise_by_head(file, by=by)
    elif not chosen.is_lowest and not file.own_rule:
        scenarios_services.scenario_choose(
            by=by, file=file, scenario=chosen, own_rule="Politique d'acquisition, art. 12."
        )
    authorise_financially(file, by=by)
    if efvp and file.personal_information and file.efvp_done_on is None:
        record_efvp(file, by=by)


def file_at(
    step: str,
    *,
    by: User,
    client: Organisation,
    broker: User | None = None,
    choice: str | None = "lowest",
    efvp: bool = True,
    documents: bool = False,
    **needs: Any,
) -> AcquisitionFile:
    """A new file of ``client`` run by ``by``, at ``step`` (a rules.State value): ``new_file``
    (``needs``: its keyword arguments), then ``advance``. The Catalogue must be published.
    ``documents``: with the documents its steps produced rendered and kept (``rendered``)."""
    with rendered() if documents else nullcontext():
        file = new_file(by=by, client=client, **needs)
        file = advance(file, step, by=by, broker=broker, choice=choice, efvp=efvp)
    return file


def ask(file, client, offers, text="Offrez-vous l'authentification unique ?"):
    """A question to the supplier of the file's MAIL offer, through the service."""
    return questions_services.question_ask(by=client, file=file, offer=offers["MAIL"], text=text)


def at_step(step: str, orgs, people, **kwargs) -> AcquisitionFile:
    """A file of the Ministère A at ``step``, run by its procurement officer."""
    return file_at(
        step,
        by=people["client_procurement"],
        client=orgs["client"],
        broker=people["broker_agent"],
        **kwargs,
    )
