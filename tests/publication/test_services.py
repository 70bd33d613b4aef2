"""The SEAO sheet (002 §4.1) and the contact consents of the list of concluded contracts
(002 §4.7) through their services, on the real database: each move changes the state and
records one audit row; a refused one changes nothing; a replayed one records nothing twice."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from courtier.audit.models import AuditEvent
from courtier.contracts.models import Contract
from courtier.publication import home, messages, rules, selectors
from courtier.publication.models import ContactConsent, SeaoSheet
from courtier.publication.services import consents, seao
from tests.helpers import shared_world
from tests.publication import factories
from tests.publication.factories import SOLUTIONS_CONCLUDED, TODAY

shared, world, orgs, people = shared_world(factories.build)

ALL_TICKED = list(rules.CHECKLIST_KEYS)


@pytest.fixture
def contracts(world) -> dict[str, Contract]:
    return world[2]


@pytest.fixture(autouse=True)
def clock():
    with factories.today():
        yield


def events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("seq"))


def errors_of(excinfo) -> dict[str, list[str]]:
    return excinfo.value.message_dict


def ready(contract: Contract, by) -> SeaoSheet:
    seao.seao_sheet_update(by=by, contract=contract, unspsc_codes=["81162000"])
    return seao.seao_checklist_tick(by=by, contract=contract, ticked=ALL_TICKED)


# --- what the sheet says (002 §4.1) -------------------------------------------------------------


def test_a_solutions_sheet_says_goods_g8_the_software_codes_and_article_48(contracts):
    view = selectors.sheet_view(contracts["solutions"])

    assert view.nature == "Approvisionnement (biens)"
    assert view.classification.startswith("G8")
    assert [code for code, _label in view.allowed_codes] == ["43230000", "81162000"]
    assert view.disposition.startswith("Article 48") and "923-2015" in view.disposition
    assert view.authorised_cents == contracts["solutions"].authorised_cents
    assert (view.concluded_on, view.start_on) == (
        SOLUTIONS_CONCLUDED,
        contracts["solutions"].start_on,
    )
    assert view.ends_on == contracts["solutions"].ends_on
    assert view.chosen_codes == [] and not view.sheet.is_published


def test_a_services_sheet_says_services_s4_and_81160000(contracts):
    view = selectors.sheet_view(contracts["services"])

    assert view.nature == "Services"
    assert view.classification.startswith("S4")
    assert view.allowed_codes == [("81160000", rules.UNSPSC["services"]["81160000"])]
    assert view.disposition.startswith("Article 48")


# --- the client's choices ---------------------------------------------------------------------


def test_the_client_chooses_the_codes_and_the_indicator_and_it_is_audited(contracts, people):
    sheet = seao.seao_sheet_update(
        by=people["client_procurement"],
        contract=contracts["solutions"],
        unspsc_codes=["81162000", "43230000", "81162000"],
        responsible_indicator="  Critère environnemental  ",
    )

    sheet = SeaoSheet.objects.get(pk=sheet.pk)
    assert sheet.unspsc_codes == ["81162000", "43230000"]
    assert sheet.responsible_indicator == "Critère environnemental"
    (event,) = events("seao_sheet.updated")
    assert event.actor == people["client_procurement"]
    assert event.organisation_id == contracts["solutions"].client_id
    assert event.before["unspsc_codes"] == [] and event.after["unspsc_codes"] == sheet.unspsc_codes


def test_a_code_of_the_other_nature_is_refused_and_nothing_is_saved(contracts, people):
    with pytest.raises(ValidationError) as excinfo:
        seao.seao_sheet_update(
            by=people["client_procurement"],
            contract=contracts["solutions"],
            unspsc_codes=["81160000"],
        )

    assert errors_of(excinfo) == {"unspsc_codes": [str(messages.UNSPSC_NOT_ALLOWED)]}
    assert not SeaoSheet.objects.exists() and events("seao_sheet.updated") == []


def test_a_software_code_on_a_services_contract_is_refused(contracts, people):
    with pytest.raises(ValidationError) as excinfo:
        seao.seao_sheet_update(
            by=people["client_head"], contract=contracts["services"], unspsc_codes=["43230000"]
        )

    assert errors_of(excinfo) == {"unspsc_codes": [str(messages.UNSPSC_NOT_ALLOWED)]}


def test_at_least_one_code_is_needed(contracts, people):
    with pytest.raises(ValidationError) as excinfo:
        seao.seao_sheet_update(
            by=people["client_procurement"], contract=contracts["services"], unspsc_codes=[]
        )

    assert errors_of(excinfo) == {"unspsc_codes": [str(messages.UNSPSC_REQUIRED)]}


def test_saving_the_same_choices_again_records_nothing_twice(contracts, people):
    for _time in range(2):
        seao.seao_sheet_update(
            by=people["client_finance"], contract=contracts["services"], unspsc_codes=["81160000"]
        )

    assert SeaoSheet.objects.count() == 1 and len(events("seao_sheet.updated")) == 1


def test_an_item_outside_the_checklist_is_refused(contracts, people):
    with pytest.raises(ValidationError) as excinfo:
        seao.seao_checklist_tick(
            by=people["client_procurement"], contract=contracts["solutions"], ticked=["nature", "x"]
        )

    assert errors_of(excinfo) == {"checklist": [str(messages.CHECKLIST_UNKNOWN)]}


def test_the_ticked_items_are_kept_in_the_checklist_order(contracts, people):
    sheet = seao.seao_checklist_tick(
        by=people["client_procurement"],
        contract=contracts["solutions"],
        ticked=["notice", "nature", "dates"],
    )

    assert SeaoSheet.objects.get(pk=sheet.pk).checklist == ["nature", "dates", "notice"]
    (event,) = events("seao_sheet.checklist_ticked")
    assert event.after["checklist"] == ["nature", "dates", "notice"]


# --- marking it published ---------------------------------------------------------------------


def test_the_client_marks_the_sheet_published_with_its_date(contracts, people):
    contract, by = contracts["solutions"], people["client_procurement"]
    ready(contract, by)

    sheet = seao.seao_sheet_publish(
        by=by, contract=contract, published_on=date(2027, 6, 2), notice_number=" 1234567 "
    )

    sheet = SeaoSheet.objects.get(pk=sheet.pk)
    assert (sheet.published_on, sheet.notice_number, sheet.published_by) == (
        date(2027, 6, 2),
        "1234567",
        by,
    )
    (event,) = events("seao_sheet.published")
    assert event.before["published_on"] is None and event.after["published_on"] == "2027-06-02"
    assert contract.pk not in [c.pk for c in selectors.sheets_to_publish(by)]


def test_publishing_twice_creates_nothing_twice(contracts, people):
    contract, by = contracts["solutions"], people["client_procurement"]
    ready(contract, by)
    first = seao.seao_sheet_publish(by=by, contract=contract, published_on=TODAY)

    again = seao.seao_sheet_publish(by=by, contract=contract, published_on=TODAY)

    assert again.pk == first.pk and SeaoSheet.objects.count() == 1
    assert len(events("seao_sheet.published")) == 1


def test_a_published_sheet_is_not_changed_again(contracts, people):
    contract, by = contracts["solutions"], people["client_procurement"]
    ready(contract, by)
    seao.seao_sheet_publish(by=by, contract=contract, published_on=TODAY)
    refused = {
        "another date": lambda: seao.seao_sheet_publish(
            by=by, contract=contract, published_on=date(2027, 6, 1)
        ),
        "new codes": lambda: seao.seao_sheet_update(
            by=by, contract=contract, unspsc_codes=["43230000"]
        ),
        "the checklist": lambda: seao.seao_checklist_tick(by=by, contract=contract, ticked=[]),
    }

    for name, attempt in refused.items():
        with pytest.raises(ValidationError) as excinfo:
            attempt()
        assert errors_of(excinfo) == {"published_on": [str(messages.ALREADY_PUBLISHED)]}, name
    assert SeaoSheet.objects.get().unspsc_codes == ["81162000"]


def test_publishing_needs_the_codes_every_item_ticked_and_a_date(contracts, people):
    with pytest.raises(ValidationError) as excinfo:
        seao.seao_sheet_publish(
            by=people["client_procurement"], contract=contracts["solutions"], published_on=None
        )

    assert errors_of(excinfo) == {
        "unspsc_codes": [str(messages.UNSPSC_REQUIRED)],
        "checklist": [str(messages.CHECKLIST_INCOMPLETE)],
        "published_on": [str(messages.REQUIRED)],
    }
    assert not SeaoSheet.objects.exists()


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (date(2027, 5, 19), messages.DATE_BEFORE_CONCLUSION),
        (date(2027, 7, 6), messages.DATE_IN_FUTURE),
    ],
    ids=["before-the-conclusion", "tomorrow"],
)
def test_the_publication_date_is_after_the_conclusion_and_not_in_the_future(
    contracts, people, day, message
):
    contract, by = contracts["solutions"], people["client_procurement"]
    ready(contract, by)

    with pytest.raises(ValidationError) as excinfo:
        seao.seao_sheet_publish(by=by, contract=contract, published_on=day)

    assert errors_of(excinfo) == {"published_on": [str(message)]}
    assert not SeaoSheet.objects.get().is_published


# --- who -----------------------------------------------------------------------------------------


def test_a_client_not_subject_to_the_rcti_has_no_sheet(contracts, people, orgs):
    contract = factories.not_rcti(contracts["services"], orgs)
    someone = people["broker_agent"]

    with pytest.raises(Http404):
        selectors.rcti_contract_for(someone, contract.pk)
    assert contract.pk not in [c.pk for c in selectors.sheets_to_publish(someone)]
    assert not SeaoSheet.objects.filter(contract=contract).exists()


def test_the_service_refuses_a_sheet_for_a_client_not_subject_to_the_rcti(contracts, people):
    contract = contracts["services"]
    Contract.objects.filter(pk=contract.pk).update(subject_to_rcti=False)

    with pytest.raises(ValidationError) as excinfo:
        seao.seao_sheet_update(
            by=people["client_procurement"],
            contract=Contract.objects.get(pk=contract.pk),
            unspsc_codes=["81160000"],
        )

    assert errors_of(excinfo) == {"contract": [str(messages.NOT_RCTI)]}
    assert not SeaoSheet.objects.exists()


@pytest.mark.parametrize(
    ("who", "refusal"),
    [
        ("supplier_rep", Http404),
        ("provider_rep", Http404),
        ("client_signatory", PermissionDenied),
        ("client_auditor", PermissionDenied),
        ("broker_agent", PermissionDenied),
        ("group_procurement", Http404),
    ],
)
def test_only_the_people_who_run_the_clients_acquisitions_change_the_sheet(
    contracts, people, who, refusal
):
    with pytest.raises(refusal):
        seao.seao_sheet_update(
            by=people[who], contract=contracts["solutions"], unspsc_codes=["81162000"]
        )

    assert not SeaoSheet.objects.exists()


def test_the_client_is_asked_to_publish_each_concluded_contract_until_it_is(contracts, people):
    by = people["client_procurement"]
    keys = lambda: {item.key for item in home.work_items(by)}  # noqa: E731
    before = keys()
    ready(contracts["solutions"], by)
    seao.seao_sheet_publish(by=by, contract=contracts["solutions"], published_on=TODAY)

    assert before == {
        f"publication.seao:{contracts['solutions'].pk}",
        f"publication.seao:{contracts['services'].pk}",
    }
    assert keys() == {f"publication.seao:{contracts['services'].pk}"}
    assert list(home.work_items(people["supplier_rep"])) == []
    assert list(home.work_items(people["client_auditor"])) == []


# --- the contact consent (002 §4.7) ---------------------------------------------------------------


def row_of(contract: Contract, by) -> selectors.ConcludedRow:
    (row,) = [
        r
        for r in selectors.concluded_rows(selectors.concluded_contracts(by))
        if r.contract.pk == contract.pk
    ]
    return row


def test_without_consent_the_list_names_no_contact(contracts, people):
    row = row_of(contracts["solutions"], people["client_procurement"])

    assert (row.contact_name, row.contact_email) == ("", "")


def test_with_the_clients_consent_the_list_names_the_contact(contracts, people):
    contact = people["client_head"]
    consents.contact_consent_give(
        by=people["client_procurement"], contract=contracts["solutions"], contact_id=contact.pk
    )

    row = row_of(contracts["solutions"], people["broker_auditor"])

    assert (row.contact_name, row.contact_email) == (str(contact), contact.email)
    assert row_of(contracts["services"], people["broker_auditor"]).contact_name == ""
    (event,) = events("contact_consent.given")
    assert event.after["contact"] == contact.email and event.after["revoked_at"] is None


def test_once_revoked_the_contact_is_gone_and_the_history_kept(contracts, people):
    contract, by = contracts["solutions"], people["client_finance"]
    consents.contact_consent_give(by=by, contract=contract, contact_id=people["client_head"].pk)

    consents.contact_consent_revoke(by=people["client_procurement"], contract=contract)

    row = row_of(contract, people["client_signatory"])
    assert (row.contact_name, row.contact_email) == ("", "")
    (consent,) = ContactConsent.objects.all()
    assert consent.revoked_by == people["client_procurement"] and consent.revoked_at is not None
    (event,) = events("contact_consent.revoked")
    assert event.before["revoked_at"] is None and event.after["revoked_at"] is not None


def test_a_new_consent_may_be_given_once_the_first_is_revoked(contracts, people):
    contract, by = contracts["solutions"], people["client_procurement"]
    consents.contact_consent_give(by=by, contract=contract, contact_id=people["client_head"].pk)
    consents.contact_consent_revoke(by=by, contract=contract)

    consents.contact_consent_give(by=by, contract=contract, contact_id=by.pk)

    assert row_of(contract, by).contact_email == by.email
    assert ContactConsent.objects.filter(contract=contract).count() == 2


def test_the_contact_is_a_person_of_the_client(contracts, people):
    with pytest.raises(ValidationError) as excinfo:
        consents.contact_consent_give(
            by=people["client_procurement"],
            contract=contracts["solutions"],
            contact_id=people["supplier_rep"].pk,
        )

    assert errors_of(excinfo) == {"contact": [str(messages.CONTACT_NOT_OF_CLIENT)]}
    assert not ContactConsent.objects.exists()


def test_a_second_contact_is_refused_while_one_is_in_force_and_a_replay_changes_nothing(
    contracts, people
):
    contract, by = contracts["solutions"], people["client_procurement"]
    first = consents.contact_consent_give(
        by=by, contract=contract, contact_id=people["client_head"].pk
    )

    again = consents.contact_consent_give(
        by=by, contract=contract, contact_id=people["client_head"].pk
    )
    with pytest.raises(ValidationError) as excinfo:
        consents.contact_consent_give(by=by, contract=contract, contact_id=by.pk)

    assert again.pk == first.pk and ContactConsent.objects.count() == 1
    assert errors_of(excinfo) == {"contact": [str(messages.CONSENT_IN_FORCE)]}
    assert len(events("contact_consent.given")) == 1


def test_revoking_without_a_consent_in_force_is_refused(contracts, people):
    with pytest.raises(ValidationError) as excinfo:
        consents.contact_consent_revoke(
            by=people["client_procurement"], contract=contracts["solutions"]
        )

    assert errors_of(excinfo) == {"contact": [str(messages.NO_CONSENT)]}


@pytest.mark.parametrize(
    ("who", "refusal"),
    [
        ("supplier_rep", Http404),
        ("client_signatory", PermissionDenied),
        ("broker_admin", PermissionDenied),
    ],
)
def test_only_the_clients_runners_consent(contracts, people, who, refusal):
    with pytest.raises(refusal):
        consents.contact_consent_give(
            by=people[who], contract=contracts["solutions"], contact_id=people["client_head"].pk
        )


# --- the approximate size (002 §4.7) -------------------------------------------------------------


@pytest.mark.parametrize(
    ("cents", "bracket"),
    [
        (24_999_99, "moins de 25 000 $"),
        (25_000_00, "25 000 $ à 100 000 $"),
        (250_000_00, "100 000 $ à 500 000 $"),
        (999_999_99, "500 000 $ à 1 M$"),
        (1_000_000_00, "plus de 1 M$"),
    ],
)
def test_the_list_gives_a_bracket_never_the_amount(contracts, people, cents, bracket):
    Contract.objects.filter(pk=contracts["services"].pk).update(authorised_cents=cents)

    row = row_of(contracts["services"], people["client_procurement"])

    assert row.bracket == bracket
    assert str(cents) not in repr(
        [row.kind_label, row.items, row.bracket, row.months, row.contact_name]
    )
