"""The services of feedback and complaints on a real database (issue 14 §1; DOMAIN §5.6): a
client's people send one linked as its category needs (each of the 11, parametrised) and are
refused without those links or with links they may not point at, named by field; the broker's
administrators and agents assign, answer and close it, in that order, each move audited and
the people concerned emailed."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from courtier.audit.models import AuditEvent
from courtier.complaints import messages, rules
from courtier.complaints.models import Complaint, ComplaintAnswer, ComplaintState
from courtier.complaints.services import complaints as services
from courtier.documents.models import Document
from tests.complaints import factories
from tests.complaints.factories import C, dispute, links_for, moved, submit
from tests.files import samples
from tests.helpers import shared_world

shared, world, orgs, people = shared_world(factories.contract_world)


@pytest.fixture
def contract(world):
    return world[2]["contract"]


def written() -> tuple[int, int]:
    return Complaint.objects.count(), AuditEvent.objects.count()


@pytest.mark.parametrize("category", list(C))
def test_each_category_is_sent_with_the_links_it_needs(category, contract, orgs, people):
    """DOMAIN §5.6: linked to a contract, an offer or a supplier where it applies."""
    links = links_for(category, contract)
    complaint = submit(people["client_procurement"], orgs["client"], category, **links)
    assert (complaint.state, complaint.category) == (ComplaintState.OPEN, category)
    assert complaint.reference.startswith("PL-") and complaint.reference.endswith("-0001")
    if links:
        # The supplier of the contract or offer (or the one named): whose standing counts it.
        assert complaint.concerned_supplier_id == contract.supplier_id
    event = AuditEvent.objects.get(action="complaint.submitted", object_id=str(complaint.pk))
    assert event.after["state"] == "open" and event.after["category"] == category


@pytest.mark.parametrize(
    "category", [c for c in C if rules.LINK_RULES[c].required or rules.LINK_RULES[c].one_of]
)
def test_a_category_sent_without_its_links_is_refused_by_field(category, orgs, people):
    before = written()
    with pytest.raises(ValidationError) as refused:
        submit(people["client_procurement"], orgs["client"], category)
    problems = rules.link_problems(category, rules.Links())
    expected: dict[str, list[str]] = {}
    for problem in problems:
        field, message = messages.LINK_PROBLEMS[problem]
        expected.setdefault(field, []).append(str(message))
    assert refused.value.message_dict == expected
    assert written() == before


@pytest.mark.parametrize("category", [C.DISPUTE, C.REFUSAL_TO_SIGN, C.TERMINATION, C.BREACH])
def test_a_complaint_about_a_contract_names_its_supplier_without_being_told(
    category, contract, orgs, people
):
    """The contract names its supplier (DOMAIN §5.6): the client need not pick it again."""
    complaint = submit(
        people["client_procurement"], orgs["client"], category, contract_id=contract.pk
    )
    assert complaint.supplier_id == complaint.concerned_supplier_id == contract.supplier_id


def test_a_link_the_category_does_not_carry_is_refused(contract, orgs, people):
    with pytest.raises(ValidationError) as refused:
        submit(people["client_procurement"], orgs["client"], C.DOCUMENTS, contract_id=contract.pk)
    assert refused.value.message_dict == {
        "contract": [str(messages.LINK_PROBLEMS["contract_not_allowed"][1])]
    }


def test_another_body_s_contract_is_not_a_link_its_people_may_give(world, contract, orgs):
    """DOMAIN §1: nothing of a client's contract is another client's."""
    other = world[2]["other_client"]
    with pytest.raises(ValidationError) as refused:
        submit(
            other,
            orgs["client_other"],
            C.DISPUTE,
            contract_id=contract.pk,
            supplier_id=contract.supplier_id,
        )
    assert refused.value.message_dict == {"contract": [str(messages.CONTRACT_UNKNOWN)]}


def test_a_supplier_that_is_not_the_contract_s_is_refused(contract, orgs, people):
    other = (
        orgs["supplier_other"] if contract.supplier_id == orgs["supplier"].pk else orgs["supplier"]
    )
    with pytest.raises(ValidationError) as refused:
        submit(
            people["client_procurement"],
            orgs["client"],
            C.DISPUTE,
            contract_id=contract.pk,
            supplier_id=other.pk,
        )
    assert refused.value.message_dict == {
        "supplier": [str(messages.LINK_PROBLEMS["supplier_mismatch"][1])]
    }


def test_a_client_organisation_is_not_a_supplier_to_complain_about(orgs, people):
    with pytest.raises(ValidationError) as refused:
        submit(
            people["client_procurement"],
            orgs["client"],
            C.BREACH,
            supplier_id=orgs["client_other"].pk,
        )
    assert refused.value.message_dict == {"supplier": [str(messages.SUPPLIER_UNKNOWN)]}


@pytest.mark.parametrize(
    "who", ["client_signatory", "client_auditor", "supplier_rep", "broker_agent"]
)
def test_only_those_who_run_the_body_s_acquisitions_send_one(who, orgs, people):
    before = written()
    with pytest.raises(PermissionDenied):
        submit(people[who], orgs["client"])
    assert written() == before


def test_a_document_joined_is_kept_for_the_client_typed_from_its_bytes(contract, orgs, people):
    complaint = dispute(
        people["client_procurement"],
        contract,
        content=samples.pdf("constat"),
        name="constat.pdf",
    )
    [document] = Document.objects.filter(subject_id=complaint.pk, type="dispute")
    assert document.owner_id == orgs["client"].pk
    assert document.current.content_type == "application/pdf"
    feedback = submit(
        people["client_procurement"],
        orgs["client"],
        content=samples.pdf("suggestion"),
        name="suggestion.pdf",
    )
    assert (
        Document.objects.get(subject_id=feedback.pk, type="complaint").owner_id == orgs["client"].pk
    )


def test_a_file_that_is_not_a_document_is_refused(orgs, people):
    with pytest.raises(ValidationError) as refused:
        submit(
            people["client_procurement"],
            orgs["client"],
            content=b"MZ\x90\x00 not a document",
            name="outil.exe",
        )
    assert set(refused.value.message_dict) == {"document"}
    assert not Complaint.objects.exists()


# --- the broker's moves -----------------------------------------------------------------------


def test_the_broker_assigns_answers_and_closes_each_move_audited(contract, orgs, people):
    """Issue 14 §1: the broker assigns, answers and closes it; the client sees its status."""
    agent = people["broker_agent"]
    complaint = dispute(people["client_procurement"], contract)
    services.complaint_assign(by=people["broker_admin"], complaint=complaint, assignee=agent)
    complaint.refresh_from_db()
    assert (complaint.state, complaint.assignee) == (ComplaintState.ASSIGNED, agent)
    assigned = AuditEvent.objects.get(action="complaint.assigned", object_id=str(complaint.pk))
    assert assigned.before == {"state": "open"}
    assert assigned.after == {"state": "assigned", "assignee": agent.get_full_name()}
    services.complaint_answer(by=agent, complaint=complaint, text="Première réponse.")
    services.complaint_answer(by=agent, complaint=complaint, text="Deuxième réponse.")
    complaint.refresh_from_db()
    assert complaint.state == ComplaintState.ANSWERED
    assert list(
        ComplaintAnswer.objects.filter(complaint=complaint).values_list("text", flat=True)
    ) == [
        "Première réponse.",
        "Deuxième réponse.",
    ]
    answered = AuditEvent.objects.filter(action="complaint.answered", object_id=str(complaint.pk))
    assert [e.before["state"] for e in answered.order_by("seq")] == ["assigned", "answered"]
    services.complaint_close(by=agent, complaint=complaint)
    complaint.refresh_from_db()
    assert complaint.state == ComplaintState.CLOSED and complaint.closed_on is not None
    closed = AuditEvent.objects.get(action="complaint.closed", object_id=str(complaint.pk))
    assert closed.after == {"state": "closed", "closed_on": str(complaint.closed_on)}


@pytest.mark.parametrize(
    ("state", "move"),
    [
        (ComplaintState.OPEN, "answer"),
        (ComplaintState.OPEN, "close"),
        (ComplaintState.ASSIGNED, "close"),
        (ComplaintState.CLOSED, "assign"),
        (ComplaintState.CLOSED, "answer"),
    ],
)
def test_a_move_out_of_order_is_refused(state, move, orgs, people):
    agent = people["broker_agent"]
    complaint = submit(people["client_procurement"], orgs["client"])
    if state != ComplaintState.OPEN:
        complaint = moved(complaint, agent, state)
    before = written()
    calls = {
        "assign": lambda: services.complaint_assign(by=agent, complaint=complaint, assignee=agent),
        "answer": lambda: services.complaint_answer(by=agent, complaint=complaint, text="Non."),
        "close": lambda: services.complaint_close(by=agent, complaint=complaint),
    }
    with pytest.raises(ValidationError) as refused:
        calls[move]()
    assert refused.value.message_dict == {"action": [str(messages.TRANSITION_REFUSED)]}
    assert written() == before


def test_only_a_broker_s_person_is_assigned(orgs, people):
    complaint = submit(people["client_procurement"], orgs["client"])
    with pytest.raises(ValidationError) as refused:
        services.complaint_assign(
            by=people["broker_agent"], complaint=complaint, assignee=people["client_head"]
        )
    assert refused.value.message_dict == {"assignee": [str(messages.ASSIGNEE_NOT_BROKER)]}


def test_an_empty_answer_is_refused(orgs, people):
    complaint = moved(
        submit(people["client_procurement"], orgs["client"]), people["broker_agent"], "assigned"
    )
    with pytest.raises(ValidationError) as refused:
        services.complaint_answer(by=people["broker_agent"], complaint=complaint, text="  ")
    assert refused.value.message_dict == {"text": [str(messages.REQUIRED)]}


@pytest.mark.parametrize(
    ("who", "refusal"),
    [
        ("client_procurement", PermissionDenied),  # sees it, may not handle it
        ("broker_auditor", PermissionDenied),  # sees everything, changes nothing
        ("supplier_rep", Http404),  # never sees it
        ("client_auditor", PermissionDenied),
    ],
)
def test_only_the_broker_s_admins_and_agents_move_it(who, refusal, orgs, people):
    complaint = submit(people["client_procurement"], orgs["client"])
    with pytest.raises(refusal):
        services.complaint_assign(
            by=people[who], complaint=complaint, assignee=people["broker_agent"]
        )
    assert Complaint.objects.get(pk=complaint.pk).state == ComplaintState.OPEN


# --- the emails -------------------------------------------------------------------------------


def test_the_broker_is_told_of_a_new_one_and_the_client_of_the_answer_and_the_close(
    orgs, people, mailbox, run_on_commit
):
    with run_on_commit():
        complaint = submit(people["client_head"], orgs["client"], subject="Gabarit confus")
    for key in ("broker_agent", "broker_admin"):
        [message] = mailbox.to(people[key].email)
        assert complaint.reference in str(message["Subject"])
        assert "Gabarit confus" in mailbox.body(message)
    assert not mailbox.to(people["supplier_rep"].email)
    agent = people["broker_agent"]
    with run_on_commit():
        services.complaint_assign(by=people["broker_admin"], complaint=complaint, assignee=agent)
        services.complaint_answer(by=agent, complaint=complaint, text="Nous corrigeons le gabarit.")
        services.complaint_close(by=agent, complaint=complaint)
    for key in ("client_head", "client_procurement"):  # who sent it, the acquisitions officers
        subjects = [str(m["Subject"]) for m in mailbox.to(people[key].email)]
        assert any("Réponse du Courtier" in s for s in subjects)
        assert any("fermée" in s for s in subjects)
    [answer] = [
        m for m in mailbox.to(people["client_head"].email) if "Réponse" in str(m["Subject"])
    ]
    assert "Nous corrigeons le gabarit." in mailbox.body(answer)
    assert any("assignée" in str(m["Subject"]) for m in mailbox.to(agent.email))
