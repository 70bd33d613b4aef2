"""Amendments through the services on a real database (002 §4.5): asked by the client's people
on a concluded contract, one at a time, within the limits of 002 §4.5 (each refusal in French,
nothing written); prepared, corrected, refused or withdrawn with their audit events; once
signed, the contract's end and current terms move and its documents' retention follows. One
world for the module: a solutions contract and a services contract, forced to concluded and in
force (tests/contracts/factories.forced)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from courtier.accounts.models import User
from courtier.audit.labels import field_label
from courtier.audit.models import AuditEvent
from courtier.contracts import messages, selectors
from courtier.contracts.models import Amendment, AmendmentState, Contract, ContractState
from courtier.contracts.services import amendments
from courtier.core.formatting import long_date
from courtier.documents.services.store import document_keep
from tests.acquisitions.factories import at
from tests.contracts import factories
from tests.factories import pdf_bytes
from tests.helpers import shared_world

EXTEND = [{"kind": "duration", "months": 6}]
REASON = "Le déploiement prend six mois de plus que prévu."


def build(orgs) -> dict[str, Contract]:
    """A solutions contract (12 months from 2027-05-30, offer « Courriel nuagique ») concluded,
    and a services contract (qualifications cyber and migration) in force."""
    people = {
        u.first_name: u
        for u in User.objects.filter(memberships__organisation__in=list(orgs.values()))
    }
    with at(date(2027, 3, 1), 10):  # the factories' dates are Quebec's
        solutions = factories.solutions_contract(orgs, people)
        services = factories.services_contract(orgs, people)
    return {
        "solutions": factories.forced(solutions, ContractState.CONCLUDED),
        "services": factories.forced(services, ContractState.IN_FORCE),
    }


shared, world, orgs, people = shared_world(build)


@pytest.fixture
def contract(world) -> Contract:
    return world[2]["solutions"]


@pytest.fixture
def services_contract(world) -> Contract:
    return world[2]["services"]


def _offer(contract: Contract) -> int:
    return int(contract.basis["offers"][0]["offer"])


def _request(people, contract: Contract, changes=None, reason: str = REASON) -> Amendment:
    return amendments.amendment_request(
        by=people["client_procurement"],
        contract=contract,
        reason=reason,
        changes=EXTEND if changes is None else changes,
    )


def _signed(amendment: Amendment) -> Amendment:
    """What services.signing does before calling amendment_apply: the parties have signed."""
    Amendment.objects.filter(pk=amendment.pk).update(
        state=AmendmentState.SIGNED, signed_on=timezone.localdate()
    )
    return Amendment.objects.get(pk=amendment.pk)


def _actions(obj) -> list[str]:
    return list(
        AuditEvent.objects.filter(object_id=str(obj.pk), action__contains=".")
        .filter(object_type=f"contracts.{type(obj).__name__.lower()}")
        .order_by("seq")
        .values_list("action", flat=True)
    )


class Unchanged:
    """A refusal writes nothing: no amendment, no audit event, the rows as they were."""

    def __init__(self, *objs) -> None:
        self.objs = objs

    def _rows(self):
        return [type(o).objects.filter(pk=o.pk).values().first() for o in self.objs]

    def __enter__(self):
        self.events, self.amendments = AuditEvent.objects.count(), Amendment.objects.count()
        self.before = self._rows()
        return self

    def __exit__(self, *exc):
        assert AuditEvent.objects.count() == self.events
        assert Amendment.objects.count() == self.amendments
        assert self._rows() == self.before


def _refused(call, field: str):
    """The French messages ``call`` is refused with on ``field``."""
    with pytest.raises(ValidationError) as refused:
        call()
    return refused.value.message_dict[field]


# --- the request --------------------------------------------------------------------------------


def test_the_client_s_procurement_officer_asks_for_an_amendment_with_its_reason(people, contract):
    """002 §4.5: the client defines the needs of its amendment; the broker prepares it."""
    amendment = _request(people, contract)
    assert (amendment.number, amendment.state) == (1, AmendmentState.REQUESTED)
    assert amendment.changes == EXTEND
    assert amendment.reason == REASON
    assert amendment.requested_by == people["client_procurement"]
    event = AuditEvent.objects.get(action="amendment.requested", object_id=str(amendment.pk))
    assert event.actor == people["client_procurement"]
    assert event.organisation_id == contract.client_id
    assert event.after == {
        "number": 1,
        "state": "requested",
        "reason": REASON,
        "changes": EXTEND,
        "fee_cents": 0,
    }


def test_the_lead_time_is_thirty_days_from_the_request(people, contract):
    """002 §4.5: « Il faut prévoir un délai de 30 jours pour la préparation et la signature »."""
    amendment = _request(people, contract)
    requested = timezone.localdate(amendment.requested_at)
    assert amendments.lead_time_on(amendment) == requested + timedelta(days=30)


def test_the_changes_are_kept_as_whole_numbers_from_a_form(people, contract):
    changes = [
        {"kind": "duration", "months": "6"},
        {"kind": "component", "offer": str(_offer(contract)), "component": " ARCHIVES "},
        {"kind": "amount", "cents": 500_000, "ignored": "x"},
    ]
    assert _request(people, contract, changes).changes == [
        {"kind": "duration", "months": 6},
        {"kind": "component", "offer": _offer(contract), "component": "ARCHIVES"},
        {"kind": "amount", "cents": 500_000},
    ]


@pytest.mark.parametrize(
    "who",
    ["broker_agent", "client_signatory", "client_auditor", "supplier_rep", "group_procurement"],
)
def test_only_the_client_s_people_who_run_its_acquisitions_ask_for_an_amendment(
    people, contract, who
):
    with Unchanged(contract), pytest.raises(PermissionDenied):
        amendments.amendment_request(
            by=people[who], contract=contract, reason=REASON, changes=EXTEND
        )


@pytest.mark.parametrize(
    ("changes", "key"),
    [
        ([{"kind": "duration", "months": 25}], "too_long"),  # 12 + 25 > 36
        ([{"kind": "solution", "offer": 999_999}], "solution_outside"),
        ([{"kind": "component", "offer": 999_999, "component": "X"}], "solution_outside"),
        ([{"kind": "services", "qualification": "cyber", "activity": "Audit"}], "services_outside"),
        ([{"kind": "conditions", "description": "Les pénalités de retard"}], "conditions"),
    ],
)
def test_what_002_4_5_does_not_allow_is_refused_in_french_and_writes_nothing(
    people, contract, changes, key
):
    """002 §4.5: « certaines modifications ne seront pas possibles »."""
    with Unchanged(contract):
        said = _refused(lambda: _request(people, contract, changes), "changes")
    assert said == [str(messages.CHANGE_PROBLEMS[key])]
    assert "002 §4.5" in said[0]


def test_services_outside_the_qualifications_of_a_services_contract_are_refused(
    people, services_contract
):
    """002 §4.5: services outside the scope of the broker's qualifications: never."""
    outside = [{"kind": "services", "qualification": "telephonie", "activity": "Teams"}]
    with Unchanged(services_contract):
        said = _refused(lambda: _request(people, services_contract, outside), "changes")
    assert said == [str(messages.CHANGE_PROBLEMS["services_outside"])]
    inside = [{"kind": "services", "qualification": "cyber", "activity": "Test d'intrusion"}]
    assert _request(people, services_contract, inside).state == AmendmentState.REQUESTED


def test_a_component_of_an_offer_already_in_the_contract_may_be_asked(people, contract):
    """002 §4.5: « sauf pour ajouter une composante ou une activité en lien avec les offres »."""
    change = [{"kind": "component", "offer": _offer(contract), "component": "ARCHIVES"}]
    assert _request(people, contract, change).state == AmendmentState.REQUESTED


def test_every_problem_of_a_request_is_said_at_once(people, contract):
    changes = [{"kind": "conditions"}, {"kind": "duration", "months": 30}]
    with Unchanged(contract), pytest.raises(ValidationError) as refused:
        _request(people, contract, changes, reason="  ")
    said = refused.value.message_dict
    assert said["changes"] == [
        str(messages.CHANGE_PROBLEMS["conditions"]),
        str(messages.CHANGE_PROBLEMS["too_long"]),
    ]
    assert said["reason"] == [str(messages.REQUIRED)]


@pytest.mark.parametrize("changes", [[], None, "six mois", [["duration", 6]]])
def test_a_request_without_a_real_change_is_refused(people, contract, changes):
    with Unchanged(contract):
        said = _refused(lambda: _request(people, contract, changes or []), "changes")
    assert said[0] in {
        str(messages.CHANGE_PROBLEMS["no_change"]),
        str(messages.CHANGE_PROBLEMS["unknown_change"]),
    }


@pytest.mark.parametrize(
    "state",
    [
        ContractState.PREPARATION,
        ContractState.VALIDATED,
        ContractState.ENDED,
        ContractState.TERMINATED,
    ],
)
def test_an_amendment_is_asked_only_of_a_concluded_or_in_force_contract(people, contract, state):
    contract = factories.forced(contract, state)
    with Unchanged(contract):
        said = _refused(lambda: _request(people, contract), "state")
    assert said == [str(messages.AMENDMENT_NOT_OPEN)]


def test_one_amendment_at_a_time(people, contract):
    first = _request(people, contract)
    with Unchanged(contract, first):
        said = _refused(lambda: _request(people, contract), "state")
    assert said == [str(messages.AMENDMENT_PENDING)]
    amendments.amendment_withdraw(by=people["client_head"], amendment=first)
    assert _request(people, contract).number == 2  # the next once the first is closed


# --- the broker's preparation, refusal, withdrawal ---------------------------------------------


def test_the_broker_prepares_the_amendment_with_its_management_fee(people, contract):
    """002 §4.5: « Des frais de gestion pour la préparation d'un avenant sont applicables »."""
    amendment = _request(people, contract)
    amendments.amendment_prepare(by=people["broker_agent"], amendment=amendment, fee_cents=35_000)
    amendment.refresh_from_db()
    assert (amendment.state, amendment.fee_cents) == (AmendmentState.PREPARATION, 35_000)
    event = AuditEvent.objects.get(action="amendment.prepare", object_id=str(amendment.pk))
    assert event.before == {"state": "requested"}
    assert event.after == {"state": "preparation", "fee_cents": "35000"}
    assert _actions(amendment) == ["amendment.requested", "amendment.prepare"]


def test_the_broker_corrects_the_changes_when_preparing(people, contract):
    amendment = _request(people, contract)
    corrected = [{"kind": "duration", "months": 4}]
    amendments.amendment_prepare(
        by=people["broker_agent"], amendment=amendment, fee_cents=0, changes=corrected
    )
    amendment.refresh_from_db()
    assert amendment.changes == corrected
    assert _actions(amendment) == ["amendment.requested", "amendment.prepare", "amendment.updated"]
    event = AuditEvent.objects.get(action="amendment.updated", object_id=str(amendment.pk))
    assert (event.before, event.after) == ({"changes": EXTEND}, {"changes": corrected})


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"fee_cents": -1}, "fee_cents", messages.FEE_INVALID),
        ({"fee_cents": "beaucoup"}, "fee_cents", messages.FEE_INVALID),
        (
            {"fee_cents": 0, "changes": [{"kind": "duration", "months": 30}]},
            "changes",
            messages.CHANGE_PROBLEMS["too_long"],
        ),
    ],
)
def test_a_preparation_with_a_bad_fee_or_an_impossible_change_is_refused(
    people, contract, values, field, message
):
    amendment = _request(people, contract)
    with Unchanged(contract, amendment):
        said = _refused(
            lambda: amendments.amendment_prepare(
                by=people["broker_agent"], amendment=amendment, **values
            ),
            field,
        )
    assert said == [str(message)]


@pytest.mark.parametrize("who", ["client_procurement", "supplier_rep", "client_auditor"])
def test_only_the_broker_s_agents_prepare_refuse_or_update(people, contract, who):
    amendment = _request(people, contract)
    with Unchanged(contract, amendment):
        with pytest.raises(PermissionDenied):
            amendments.amendment_prepare(by=people[who], amendment=amendment, fee_cents=0)
        with pytest.raises(PermissionDenied):
            amendments.amendment_refuse(by=people[who], amendment=amendment, comment="Non.")
        with pytest.raises(PermissionDenied):
            amendments.amendment_update(
                by=people[who], amendment=amendment, changes=EXTEND, fee_cents=0, reason=REASON
            )


def test_the_broker_updates_an_amendment_in_preparation(people, contract):
    amendment = _request(people, contract)
    broker = people["broker_agent"]
    amendments.amendment_prepare(by=broker, amendment=amendment, fee_cents=35_000)
    changes = [{"kind": "duration", "months": 6}, {"kind": "amount", "cents": 48_000}]
    amendments.amendment_update(
        by=broker, amendment=amendment, changes=changes, fee_cents=40_000, reason="Six mois."
    )
    amendment.refresh_from_db()
    assert (amendment.changes, amendment.fee_cents, amendment.reason) == (
        changes,
        40_000,
        "Six mois.",
    )
    event = AuditEvent.objects.get(action="amendment.updated", object_id=str(amendment.pk))
    assert event.before == {"reason": REASON, "changes": EXTEND, "fee_cents": 35_000}
    assert event.after == {"reason": "Six mois.", "changes": changes, "fee_cents": 40_000}
    # The same values again change nothing and record nothing.
    amendments.amendment_update(
        by=broker, amendment=amendment, changes=changes, fee_cents=40_000, reason="Six mois."
    )
    assert _actions(amendment).count("amendment.updated") == 1


def test_an_amendment_is_updated_only_in_preparation(people, contract):
    amendment = _request(people, contract)
    with Unchanged(contract, amendment):
        said = _refused(
            lambda: amendments.amendment_update(
                by=people["broker_agent"],
                amendment=amendment,
                changes=EXTEND,
                fee_cents=0,
                reason=REASON,
            ),
            "state",
        )
    assert said == [str(messages.AMENDMENT_REFUSED)]


def test_the_broker_refuses_a_request_saying_why(people, contract):
    amendment = _request(people, contract)
    with Unchanged(contract, amendment):
        said = _refused(
            lambda: amendments.amendment_refuse(
                by=people["broker_agent"], amendment=amendment, comment="  "
            ),
            "review_comment",
        )
    assert said == [str(messages.COMMENT_REQUIRED)]
    amendments.amendment_refuse(
        by=people["broker_agent"], amendment=amendment, comment="Hors de la portée."
    )
    amendment.refresh_from_db()
    assert (amendment.state, amendment.review_comment) == (
        AmendmentState.REFUSED,
        "Hors de la portée.",
    )
    event = AuditEvent.objects.get(action="amendment.refuse", object_id=str(amendment.pk))
    assert event.after == {"state": "refused", "review_comment": "Hors de la portée."}


def test_a_request_in_preparation_is_no_longer_refused(people, contract):
    amendment = _request(people, contract)
    amendments.amendment_prepare(by=people["broker_agent"], amendment=amendment, fee_cents=0)
    amendment.refresh_from_db()
    with Unchanged(contract, amendment):
        said = _refused(
            lambda: amendments.amendment_refuse(
                by=people["broker_agent"], amendment=amendment, comment="Non."
            ),
            "action",
        )
    assert said == [str(messages.AMENDMENT_REFUSED)]


def test_the_client_withdraws_its_request(people, contract):
    amendment = _request(people, contract)
    amendments.amendment_prepare(by=people["broker_agent"], amendment=amendment, fee_cents=0)
    with pytest.raises(PermissionDenied):
        amendments.amendment_withdraw(by=people["broker_agent"], amendment=amendment)
    amendments.amendment_withdraw(by=people["client_procurement"], amendment=amendment)
    amendment.refresh_from_db()
    assert amendment.state == AmendmentState.WITHDRAWN
    assert _actions(amendment)[-1] == "amendment.withdraw"
    assert amendments.open_amendment(contract) is None


# --- once signed ----------------------------------------------------------------------------


def test_two_signed_amendments_move_the_end_and_the_current_terms_in_order(people, contract):
    """002 §4.5: the current terms are the original plus the signed amendments, in order; the
    planned end follows the duration; DOMAIN §7: the retention counts from the new end."""
    kept = document_keep(
        by=people["broker_agent"],
        subject=contract,
        type="signed_contract",
        title="Contrat signé",
        name="contrat.pdf",
        content=pdf_bytes(),
    )
    assert contract.ends_on == date(2028, 5, 29)
    offer = _offer(contract)
    first = _request(
        people,
        contract,
        [
            {"kind": "duration", "months": 6},
            {"kind": "component", "offer": offer, "component": "X"},
        ],
    )
    amendments.amendment_apply(amendment=_signed(first), by=people["supplier_rep"])
    second = _request(
        people, contract, [{"kind": "duration", "months": 6}, {"kind": "amount", "cents": 50_000}]
    )
    amendments.amendment_apply(amendment=_signed(second))

    contract.refresh_from_db()
    assert contract.ends_on == date(2029, 5, 29)  # 24 months from 2027-05-30
    assert (contract.duration_months, contract.authorised_cents) == (12, 96_000)  # the original
    history = selectors.terms_history(contract)
    assert [a.number for a, _ in history.steps] == [1, 2]
    assert [t.months for _, t in history.steps] == [18, 24]
    assert history.original.months == 12
    current = selectors.current_terms(contract)
    assert (current.months, current.authorised_cents, current.amendments) == (24, 146_000, (1, 2))
    assert (offer, "X") in current.components

    kept.refresh_from_db()
    assert kept.disposal_on == date(2029, 5, 29) + relativedelta(years=7)

    events = list(
        AuditEvent.objects.filter(action="contract.amended", object_id=str(contract.pk)).order_by(
            "seq"
        )
    )
    assert [e.after["number"] for e in events] == [1, 2]
    assert events[0].actor == people["supplier_rep"]
    assert events[0].before["ends_on"] == "2028-05-29"
    assert events[0].after["ends_on"] == "2028-11-29"
    assert (events[1].before["duration_months"], events[1].after["duration_months"]) == (18, 24)
    assert (events[1].before["authorised_cents"], events[1].after["authorised_cents"]) == (
        96_000,
        146_000,
    )
    assert f"{offer}:X" in events[1].before["components"]
    # The history reads in French: every key of the snapshots has its label.
    for event in events:
        for key in {*event.before, *event.after}:
            assert field_label(event.object_type, key) != key, key


def test_an_amendment_not_signed_is_not_applied(people, contract):
    amendment = _request(people, contract)
    with Unchanged(contract, amendment):
        said = _refused(lambda: amendments.amendment_apply(amendment=amendment), "state")
    assert said == [str(messages.AMENDMENT_REFUSED)]


def test_a_third_amendment_counts_the_signed_ones_toward_36_months(people, contract):
    """002 §4.5: the total duration, original and amendments, stays within three years."""
    amendments.amendment_apply(
        amendment=_signed(_request(people, contract, [{"kind": "duration", "months": 20}]))
    )
    with Unchanged(contract):
        said = _refused(
            lambda: _request(people, contract, [{"kind": "duration", "months": 5}]), "changes"
        )
    assert said == [str(messages.CHANGE_PROBLEMS["too_long"])]
    assert _request(people, contract, [{"kind": "duration", "months": 4}]).number == 2


# --- the broker is told ------------------------------------------------------------------------


def test_the_broker_s_people_are_emailed_the_request(people, contract, mailbox, run_on_commit):
    with run_on_commit():
        amendment = _request(
            people,
            contract,
            [{"kind": "duration", "months": 6}, {"kind": "amount", "cents": 123_456}],
        )
    for who in ("broker_agent", "broker_admin"):
        (message,) = mailbox.to(people[who].email)
        subject = " ".join(message["Subject"].split())  # the header folded as it goes
        assert subject == f"Demande d'avenant no 1 du contrat {contract.reference} (Ministère A)"
        body = mailbox.body(message)
        assert REASON in body
        assert "Prolongation de 6 mois" in body
        assert "Hausse du montant autorisé de 1\u00a0234,56 $" in body
        assert "002 §4.5" in body
        assert long_date(amendments.lead_time_on(amendment)) in body
        assert reverse("contracts:detail", args=[contract.pk]) in body
    assert not mailbox.to(people["client_procurement"].email)
