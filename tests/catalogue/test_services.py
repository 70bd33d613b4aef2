"""Writes of the Catalogue (DOMAIN §2; 004 §3.2): dated sheet versions and their change
history, the projection the search reads, price lists and the first-business-day rule, the
broker's review of supplier proposals, who may do what, subscriptions, framework agreements,
qualifications and supporting documents. Real database; every write is checked in the audit."""

from __future__ import annotations

import copy
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse

from courtier.audit.models import AuditEvent
from courtier.calendar.models import ClosureDay
from courtier.catalogue import rules
from courtier.catalogue.messages import (
    AGREEMENT_DATES,
    AGREEMENT_HOLDER,
    AGREEMENT_NUMBER_TAKEN,
    AGREEMENT_OF_ANOTHER,
    ALREADY_QUALIFIED,
    CONTENT_PROBLEMS,
    DOCUMENT_FILE_UNKNOWN,
    DOCUMENT_TITLE_TAKEN,
    DRAFT_ALREADY_OPEN,
    DRAFT_NOT_EDITABLE,
    DRAFT_OUTDATED,
    NOT_A_PROVIDER,
    NOT_A_SUPPLIER,
    NOTHING_CHANGED,
    PRICE_IN_THE_PAST,
    PRICE_LINE_DUPLICATE,
    PRICE_LIST_EMPTY,
    PRICE_LIST_IN_FORCE,
    PRICE_NEGATIVE,
    PRICE_NOT_A_NUMBER,
    PRICE_NOT_FIRST_BUSINESS_DAY,
    PRICE_NOT_YES_NO,
    PRICE_UNKNOWN_COMPONENT,
    PRICE_UNKNOWN_OFFER,
    QUALIFICATION_CODE_TAKEN,
    RETURN_COMMENT_REQUIRED,
    SUBSCRIPTION_EXISTS,
    SUBSCRIPTION_ONE_SCOPE,
    TRANSITION_REFUSED,
)
from courtier.catalogue.models import (
    Category,
    Component,
    DataCentre,
    FrameworkAgreement,
    Offer,
    PriceLine,
    PriceList,
    ProviderQualification,
    SheetDraft,
    SheetVersion,
    Subscription,
    SupportingDocument,
)
from courtier.catalogue.services.agreements import (
    framework_agreement_save,
    provider_qualify,
    qualification_create,
)
from courtier.catalogue.services.documents import supporting_document_publish
from courtier.catalogue.services.drafts import (
    sheet_draft_abandon,
    sheet_draft_create,
    sheet_draft_publish,
    sheet_draft_return,
    sheet_draft_submit,
    sheet_draft_update,
)
from courtier.catalogue.services.prices import sheet_draft_set_prices
from courtier.catalogue.services.subscriptions import subscription_create, subscription_delete
from courtier.files import uploads
from courtier.files.models import StoredFile
from courtier.files.services import stored_file_save
from tests.catalogue.factories import content, data_centre, line, offer, publish
from tests.factories import make_person, pdf_bytes

TORONTO = ZoneInfo("America/Toronto")
TODAY = date(2026, 11, 22)  # a Sunday
DEC_1 = date(2026, 12, 1)  # Tuesday: first business day of December
JAN_4 = date(2027, 1, 4)  # Monday: first business day of 2027 (Friday January 1 is a holiday)


def at(day: date, hour: int = 10):
    return time_machine.travel(
        datetime(day.year, day.month, day.day, hour, tzinfo=TORONTO), tick=False
    )


@pytest.fixture(autouse=True)
def clock():
    with at(TODAY) as traveller:
        yield traveller


def errors(excinfo) -> dict[str, list[str]]:
    return excinfo.value.message_dict


def actions() -> list[str]:
    return list(AuditEvent.objects.order_by("seq").values_list("action", flat=True))


def draft_for(supplier, sheet=None, *, by=None) -> SheetDraft:
    draft = sheet_draft_create(by=by, supplier=supplier)
    if sheet is not None:
        draft = sheet_draft_update(by=by, draft=draft, content=copy.deepcopy(sheet))
    return draft


# --------------------------------------------------------------------------- versions


def test_publishing_a_first_sheet_creates_version_1_named_with_its_date(orgs, people):
    agent = people["broker_agent"]
    sheet = content()
    version = publish(orgs["supplier"], sheet, by=agent)
    assert version.number == 1
    assert version.name == "Fiche Fournisseur D – 2026-11-22"
    assert version.published_on == TODAY
    assert version.published_by == agent
    assert version.previous is None
    assert version.content == sheet
    assert version.changes["sections"]["offers"]["added"][0]["code"] == "MAIL"
    assert version.change_count == 1 + 3 + 1 + 1  # an offer, 3 data centres, an answer, a contact
    draft = SheetDraft.objects.get(pk=version.draft_id)
    assert draft.status == "published" and draft.reviewed_by == agent
    assert actions() == [
        "sheet_draft.created",
        "sheet_draft.updated",
        "sheet_draft.published",
        "sheet_version.published",
    ]
    event = AuditEvent.objects.get(action="sheet_version.published")
    assert event.actor == agent
    assert event.organisation == orgs["supplier"]
    assert event.object_id == str(version.pk)
    assert event.after["version"] == version.name
    assert event.after["changes"] == version.change_count


def test_a_second_publication_the_same_day_gets_a_rank_in_its_name(orgs):
    first = publish(orgs["supplier"], content())
    sheet = content(offer("MAIL", "Courriel Pro"))
    second = publish(orgs["supplier"], sheet)
    assert second.number == 2 and second.previous == first
    assert second.name == "Fiche Fournisseur D – 2026-11-22 (2)"
    with at(date(2026, 11, 23)):
        third = publish(orgs["supplier"], content(offer("MAIL", "Courriel Entreprise")))
    assert third.name == "Fiche Fournisseur D – 2026-11-23"
    assert third.number == 3


def test_the_change_history_against_the_previous_version_is_stored(orgs):
    publish(orgs["supplier"], content())
    sheet = content(offer("MAIL", "Courriel infonuagique", training_languages=["fr", "en"]))
    sheet["configurator_url"] = "https://fournisseur.example/configurateur"
    version = publish(orgs["supplier"], sheet)
    sections = version.changes["sections"]
    assert set(sections) == {"configurator_url", "offers"}
    (changed,) = sections["offers"]["changed"]
    assert changed["fields"] == [
        {"field": "training_languages", "before": ["fr"], "after": ["fr", "en"]}
    ]
    assert version.change_count == 2
    assert version.changes == SheetVersion.objects.get(pk=version.pk).changes


def test_a_sheet_version_can_neither_be_changed_nor_deleted(orgs):
    version = publish(orgs["supplier"], content())
    version.name = "Autre nom"
    with pytest.raises(rules.ImmutableError):
        version.save()
    with pytest.raises(rules.ImmutableError):
        version.delete()
    assert SheetVersion.objects.get(pk=version.pk).name == "Fiche Fournisseur D – 2026-11-22"


def test_a_version_published_for_an_earlier_day_carries_that_day(orgs):
    """The demo rebuilds a history by passing the publication day explicitly."""
    draft = draft_for(orgs["supplier"], content())
    version = sheet_draft_publish(by=None, draft=draft, today=date(2026, 9, 1))
    assert version.published_on == date(2026, 9, 1)
    assert version.name == "Fiche Fournisseur D – 2026-09-01"
    assert version.published_at.astimezone(TORONTO).date() == date(2026, 9, 1)


# --------------------------------------------------------------------------- projection


def test_publishing_projects_offers_components_and_data_centres_for_the_search(orgs):
    sheet = content(
        offer(
            "SURVEY",
            "Sondages et réservations de théâtre",
            "sondage",
            training_languages=["fr", "en"],
            data_centres=["MTL"],
        ),
        offer("MAIL", "Courriel", data_centres=["MTL", "VA"]),
    )
    version = publish(orgs["supplier"], sheet)
    survey = Offer.objects.get(supplier=orgs["supplier"], code="SURVEY")
    assert survey.name == "Sondages et réservations de théâtre"
    assert survey.category.code == "sondage"
    assert survey.status == "qualified"
    assert survey.version == version
    assert survey.training_languages == ",fr,en,"
    assert "theatre" in survey.search_text and "fournisseur d" in survey.search_text
    assert "migration des boites" in survey.search_text  # component names are searchable
    assert (survey.hosted_in_canada_only, survey.hosted_in_quebec_only) == (True, True)
    assert survey.personal_information_authorised
    mail = Offer.objects.get(supplier=orgs["supplier"], code="MAIL")
    assert (mail.hosted_in_canada_only, mail.hosted_in_quebec_only) == (False, False)
    assert sorted(mail.data_centres.values_list("code", flat=True)) == ["MTL", "VA"]
    assert set(survey.components.values_list("code", "kind")) == {
        ("BASE", "base"),
        ("STOCK", "additional"),
        ("ENTREE", "entry"),
    }
    centres = DataCentre.objects.filter(supplier=orgs["supplier"])
    assert set(centres.values_list("code", "country", "province", "role")) == {
        ("MTL", "CA", "QC", "primary"),
        ("TOR", "CA", "ON", "recovery"),
        ("VA", "US", "VA", "primary"),
    }
    mtl = centres.get(code="MTL")
    assert mtl.personal_information_authorised and mtl.authorised_since == date(2024, 4, 2)


def test_what_leaves_the_sheet_stays_in_the_catalogue_withdrawn_or_inactive(orgs):
    publish(
        orgs["supplier"],
        content(offer("MAIL", "Courriel"), offer("SURVEY", "Sondages", "sondage")),
    )
    sheet = content(offer("MAIL", "Courriel", data_centres=["MTL"]))
    sheet["offers"][0]["components"].pop()  # ENTREE leaves the offer
    sheet["data_centres"] = [data_centre("MTL", "Montréal", "QC", "CA")]
    second = publish(orgs["supplier"], sheet)
    survey = Offer.objects.get(code="SURVEY")
    assert survey.status == "withdrawn" and survey.version == second
    assert Offer.objects.get(code="MAIL").status == "qualified"
    entree = Component.objects.get(offer__code="MAIL", code="ENTREE")
    assert not entree.active
    assert Component.objects.get(offer__code="MAIL", code="BASE").active
    assert set(DataCentre.objects.filter(active=False).values_list("code", flat=True)) == {
        "TOR",
        "VA",
    }
    # Coming back reactivates the same rows.
    publish(orgs["supplier"], content(offer("MAIL", "Courriel"), offer("SURVEY", "Sondages")))
    assert Offer.objects.get(code="SURVEY").status == "qualified"
    assert Component.objects.get(offer__code="MAIL", code="ENTREE").active
    assert DataCentre.objects.filter(active=True).count() == 3
    assert Offer.objects.count() == 2


# --------------------------------------------------------------------------- prices


def _terms(price_list: PriceList) -> list[tuple]:
    return list(
        price_list.lines.order_by("component_code", "tier_min_quantity").values_list(
            "component_code", "tier_min_quantity", "unit", "unit_price_cents", "may_decrease"
        )
    )


def test_a_new_price_list_ends_the_one_it_replaces_without_touching_its_lines(orgs):
    december = [line("BASE", 1200), line("BASE", 1100, tier_min_quantity=1000), line("STOCK", 25)]
    first = publish(orgs["supplier"], content(), prices={("MAIL", DEC_1): december})
    (dec_list,) = first.price_lists.all()
    assert dec_list.status == "published" and dec_list.effective_until is None
    assert dec_list.offer == Offer.objects.get(code="MAIL")
    assert set(PriceLine.objects.values_list("offer__code", flat=True)) == {"MAIL"}
    before = _terms(dec_list)
    assert [r["change"] for r in first.changes["prices"]] == ["added"] * 3

    january = [line("BASE", 1250), line("BASE", 1100, tier_min_quantity=1000), line("ENTREE", 0)]
    with at(DEC_1):
        second = publish(orgs["supplier"], content(), prices={("MAIL", JAN_4): january})
    dec_list.refresh_from_db()
    assert dec_list.effective_until == JAN_4
    assert dec_list.status == "published"
    assert _terms(dec_list) == before
    (jan_list,) = second.price_lists.all()
    assert jan_list.effective_from == JAN_4 and jan_list.effective_until is None
    rows = [(r["component"], r["tier_min_quantity"], r["change"]) for r in second.changes["prices"]]
    assert rows == [("BASE", 0, "changed"), ("ENTREE", 0, "added"), ("STOCK", 0, "removed")]
    changed = second.changes["prices"][0]
    assert (changed["before"]["unit_price_cents"], changed["after"]["unit_price_cents"]) == (
        1200,
        1250,
    )
    assert changed["effective_from"] == "2027-01-04"
    assert second.changes["sections"] == {}
    assert second.change_count == 3


def test_two_lists_of_one_offer_in_one_proposal_are_compared_in_date_order(orgs):
    publish(orgs["supplier"], content(), prices={("MAIL", DEC_1): [line("BASE", 1000)]})
    with at(DEC_1):
        version = publish(
            orgs["supplier"],
            content(),
            prices={
                ("MAIL", JAN_4): [line("BASE", 1100)],
                ("MAIL", date(2027, 2, 1)): [line("BASE", 1200)],
            },
        )
    rows = [
        (r["effective_from"], r["before"]["unit_price_cents"], r["after"]["unit_price_cents"])
        for r in version.changes["prices"]
    ]
    # February's list replaces January's (published with it), not December's.
    assert rows == [("2027-01-04", 1000, 1100), ("2027-02-01", 1100, 1200)]
    lists = PriceList.objects.filter(status="published").order_by("effective_from")
    assert list(lists.values_list("effective_from", "effective_until")) == [
        (DEC_1, JAN_4),
        (JAN_4, date(2027, 2, 1)),
        (date(2027, 2, 1), None),
    ]


def test_a_scheduled_list_replaced_before_it_takes_effect_is_discarded_and_compared(orgs):
    first = publish(orgs["supplier"], content(), prices={("MAIL", DEC_1): [line("BASE", 1000)]})
    scheduled = first.price_lists.get()
    with at(date(2026, 11, 25)):
        second = publish(orgs["supplier"], content(), prices={("MAIL", DEC_1): [line("BASE", 900)]})
    (row,) = second.changes["prices"]
    assert (row["change"], row["before"]["unit_price_cents"], row["after"]["unit_price_cents"]) == (
        "changed",
        1000,
        900,
    )
    scheduled.refresh_from_db()
    assert scheduled.status == "discarded"
    assert _terms(scheduled) == [("BASE", 0, "user_month", 1000, True)]
    assert PriceList.objects.get(status="published").version == second


def test_a_price_list_proposed_twice_for_the_same_date_is_replaced(orgs):
    draft = draft_for(orgs["supplier"], content())
    sheet_draft_set_prices(
        by=None, draft=draft, offer_code="MAIL", effective_from=DEC_1, lines=[line("BASE", 1)]
    )
    sheet_draft_set_prices(
        by=None,
        draft=draft,
        offer_code="MAIL",
        effective_from=DEC_1,
        lines=[line("BASE", 2), line("STOCK", 3)],
    )
    (price_list,) = PriceList.objects.all()
    assert price_list.line_count == 2
    assert sorted(PriceLine.objects.values_list("unit_price_cents", flat=True)) == [2, 3]
    second = AuditEvent.objects.filter(action="price_list.proposed").order_by("seq").last()
    assert second.before == {"lines": 1}
    assert second.after["lines"] == 2


@pytest.mark.parametrize(
    ("effective_from", "message"),
    [
        (
            date(2026, 12, 2),
            PRICE_NOT_FIRST_BUSINESS_DAY % {"day": "2026-12-02", "first": "2026-12-01"},
        ),
        (
            date(2027, 1, 1),  # New Year's Day
            PRICE_NOT_FIRST_BUSINESS_DAY % {"day": "2027-01-01", "first": "2027-01-04"},
        ),
        (date(2026, 11, 2), PRICE_IN_THE_PAST % {"day": "2026-11-02"}),
    ],
)
def test_a_price_date_that_breaks_the_rule_is_refused_and_nothing_is_written(
    orgs, effective_from, message
):
    draft = draft_for(orgs["supplier"], content())
    before = actions()
    with pytest.raises(ValidationError) as excinfo:
        sheet_draft_set_prices(
            by=None,
            draft=draft,
            offer_code="MAIL",
            effective_from=effective_from,
            lines=[line("BASE", 1200)],
        )
    assert errors(excinfo) == {"effective_from": [str(message)]}
    assert not PriceList.objects.exists()
    assert actions() == before


def test_a_closure_day_moves_the_first_business_day_named_in_the_message(orgs):
    ClosureDay.objects.create(day=DEC_1, label="Fermeture")
    draft = draft_for(orgs["supplier"], content())
    with pytest.raises(ValidationError) as excinfo:
        sheet_draft_set_prices(
            by=None, draft=draft, offer_code="MAIL", effective_from=DEC_1, lines=[line("BASE", 1)]
        )
    assert errors(excinfo)["effective_from"] == [
        PRICE_NOT_FIRST_BUSINESS_DAY % {"day": "2026-12-01", "first": "2026-12-02"}
    ]
    sheet_draft_set_prices(
        by=None,
        draft=draft,
        offer_code="MAIL",
        effective_from=date(2026, 12, 2),
        lines=[line("BASE", 1)],
    )


def test_prices_whose_date_has_passed_at_publication_are_refused(orgs):
    draft = draft_for(orgs["supplier"], content())
    sheet_draft_set_prices(
        by=None, draft=draft, offer_code="MAIL", effective_from=DEC_1, lines=[line("BASE", 1)]
    )
    with at(date(2026, 12, 2)), pytest.raises(ValidationError) as excinfo:
        sheet_draft_publish(by=None, draft=draft)
    message = PRICE_IN_THE_PAST % {"day": "2026-12-01"}
    assert errors(excinfo) == {"effective_from": [f"MAIL : {message}"]}
    assert not SheetVersion.objects.exists()
    assert PriceList.objects.get().status == "draft"
    assert SheetDraft.objects.get().status == "draft"


def test_a_closure_added_after_the_proposal_is_caught_at_publication(orgs):
    draft = draft_for(orgs["supplier"], content())
    sheet_draft_set_prices(
        by=None, draft=draft, offer_code="MAIL", effective_from=DEC_1, lines=[line("BASE", 1)]
    )
    ClosureDay.objects.create(day=DEC_1, label="Fermeture")
    with pytest.raises(ValidationError) as excinfo:
        sheet_draft_publish(by=None, draft=draft)
    message = PRICE_NOT_FIRST_BUSINESS_DAY % {"day": "2026-12-01", "first": "2026-12-02"}
    assert errors(excinfo) == {"effective_from": [f"MAIL : {message}"]}
    assert not SheetVersion.objects.exists()


def test_an_explicit_day_rebuilds_history_but_keeps_the_rule(orgs):
    """The demo passes the day explicitly; the rule still applies against that day."""
    draft = draft_for(orgs["supplier"], content())
    september = date(2026, 9, 1)
    sheet_draft_set_prices(
        by=None,
        draft=draft,
        offer_code="MAIL",
        effective_from=september,
        lines=[line("BASE", 1)],
        today=september,
    )
    with pytest.raises(ValidationError) as excinfo:
        sheet_draft_set_prices(
            by=None,
            draft=draft,
            offer_code="MAIL",
            effective_from=september,
            lines=[line("BASE", 1)],
            today=date(2026, 9, 2),
        )
    assert errors(excinfo) == {"effective_from": [str(PRICE_IN_THE_PAST % {"day": "2026-09-01"})]}
    version = sheet_draft_publish(by=None, draft=draft, today=september)
    assert version.price_lists.get().effective_from == september


def test_prices_may_be_published_on_the_day_they_take_effect(orgs):
    with at(DEC_1):
        version = publish(orgs["supplier"], content(), prices={("MAIL", DEC_1): [line("BASE", 1)]})
    assert version.price_lists.get().effective_from == DEC_1


@pytest.mark.parametrize(
    ("offer_code", "lines", "field", "message"),
    [
        (
            "AUTRE",
            [line("BASE", 1)],
            "offer_code",
            PRICE_UNKNOWN_OFFER % {"code": "AUTRE"},
        ),
        ("MAIL", [], "lines", PRICE_LIST_EMPTY),
        (
            "MAIL",
            [line("BASE", 1), line("SUPPORT", 1)],
            "lines[1].component_code",
            PRICE_UNKNOWN_COMPONENT % {"component": "SUPPORT", "code": "MAIL"},
        ),
        (
            "MAIL",
            [line("BASE", 1), line("BASE", 2)],
            "lines[1]",
            PRICE_LINE_DUPLICATE % {"component": "BASE", "tier": 0},
        ),
        ("MAIL", [line("BASE", -1)], "lines[0].unit_price_cents", PRICE_NEGATIVE),
        (
            "MAIL",
            [line("BASE", 1, unit="banane")],
            "lines[0].unit",
            CONTENT_PROBLEMS[rules.ContentProblem.BAD_CHOICE] % {"value": "banane"},
        ),
        (
            "MAIL",
            [line("BASE", 1, billing_frequency="weekly")],
            "lines[0].billing_frequency",
            CONTENT_PROBLEMS[rules.ContentProblem.BAD_CHOICE] % {"value": "weekly"},
        ),
        ("MAIL", [line("BASE", "12")], "lines[0].unit_price_cents", PRICE_NOT_A_NUMBER),
        ("MAIL", [line("BASE", 1.5)], "lines[0].unit_price_cents", PRICE_NOT_A_NUMBER),
        (
            "MAIL",
            [line("BASE", 10**12)],
            "lines[0].unit_price_cents",
            PRICE_NOT_A_NUMBER,
        ),
        (
            "MAIL",
            [line("BASE", 1, tier_min_quantity=-5)],
            "lines[0].tier_min_quantity",
            PRICE_NOT_A_NUMBER,
        ),
        (
            "MAIL",
            [line("BASE", 1, may_decrease="oui")],
            "lines[0].may_decrease",
            PRICE_NOT_YES_NO,
        ),
        (
            "MAIL",
            [{"component_code": "BASE", "unit": "user_month", "billing_frequency": "monthly"}],
            "lines[0].unit_price_cents",
            CONTENT_PROBLEMS[rules.ContentProblem.REQUIRED],
        ),
    ],
)
def test_a_bad_price_list_is_refused_naming_the_field(orgs, offer_code, lines, field, message):
    draft = draft_for(orgs["supplier"], content())
    with pytest.raises(ValidationError) as excinfo:
        sheet_draft_set_prices(
            by=None, draft=draft, offer_code=offer_code, effective_from=DEC_1, lines=lines
        )
    assert errors(excinfo) == {field: [str(message)]}
    assert not PriceList.objects.exists() and not PriceLine.objects.exists()


def test_only_prices_changed_is_a_change_worth_a_version(orgs):
    publish(orgs["supplier"], content(), prices={("MAIL", DEC_1): [line("BASE", 1000)]})
    with at(DEC_1):
        version = publish(
            orgs["supplier"], content(), prices={("MAIL", JAN_4): [line("BASE", 999)]}
        )
    assert version.change_count == 1


# --------------------------------------------------------------------------- review flow


def test_the_review_flow_from_proposal_to_publication(orgs, people, mailbox, run_on_commit):
    rep, agent = people["supplier_rep"], people["broker_agent"]
    sheet = content()
    with run_on_commit():
        draft = sheet_draft_create(by=rep, supplier=orgs["supplier"], summary="Ajout")
        draft = sheet_draft_update(by=rep, draft=draft, content=sheet)
        draft = sheet_draft_submit(by=rep, draft=draft)
    assert draft.status == "submitted" and draft.submitted_at is not None
    (message,) = mailbox.messages
    assert set(message["X-Envelope-To"].split(", ")) == {
        people["broker_admin"].email,
        agent.email,
    }
    assert "Fournisseur D" in message["Subject"]
    assert reverse("catalogue:draft_detail", args=[draft.pk]) in mailbox.body(message)

    mailbox.messages.clear()
    with run_on_commit():
        draft = sheet_draft_return(by=agent, draft=draft, comment="  Ajoutez le prix.  ")
    assert draft.status == "returned"
    assert draft.review_comment == "Ajoutez le prix."
    assert draft.reviewed_by == agent
    (message,) = mailbox.to(rep.email)
    assert len(mailbox.messages) == 1
    assert "Ajoutez le prix." in mailbox.body(message)

    draft = sheet_draft_set_prices(
        by=rep, draft=draft, offer_code="MAIL", effective_from=DEC_1, lines=[line("BASE", 1)]
    ).draft
    draft = sheet_draft_submit(by=rep, draft=draft)
    version = sheet_draft_publish(by=agent, draft=draft)
    assert version.draft == draft and version.published_by == agent
    assert SheetDraft.objects.get(pk=draft.pk).status == "published"
    assert actions() == [
        "sheet_draft.created",
        "sheet_draft.updated",
        "sheet_draft.submitted",
        "sheet_draft.returned",
        "price_list.proposed",
        "sheet_draft.submitted",
        "sheet_draft.published",
        "sheet_version.published",
    ]
    returned = AuditEvent.objects.get(action="sheet_draft.returned")
    assert returned.actor == agent
    assert returned.before == {"status": "submitted"}
    assert returned.after == {"status": "returned", "review_comment": "Ajoutez le prix."}
    assert AuditEvent.objects.filter(action="sheet_draft.submitted", actor=rep).count() == 2


def test_returning_a_proposal_needs_a_comment(orgs, people):
    draft = draft_for(orgs["supplier"], content())
    sheet_draft_submit(by=None, draft=draft)
    before = actions()
    with pytest.raises(ValidationError) as excinfo:
        sheet_draft_return(by=people["broker_agent"], draft=draft, comment="  ")
    assert errors(excinfo) == {"comment": [str(RETURN_COMMENT_REQUIRED)]}
    assert SheetDraft.objects.get().status == "submitted"
    assert actions() == before


@pytest.mark.parametrize(
    ("steps", "refused"),
    [
        ([], "return"),  # a draft not submitted cannot be sent back
        (["submit"], "submit"),
        (["submit", "return"], "publish"),  # a returned proposal must be resubmitted
        (["submit", "return"], "return"),
        (["abandon"], "submit"),
        (["abandon"], "publish"),
        (["abandon"], "abandon"),
        (["publish"], "abandon"),
        (["publish"], "submit"),
    ],
)
def test_an_action_not_allowed_in_the_current_state_is_refused(orgs, steps, refused):
    draft = draft_for(orgs["supplier"], content())
    do = {
        "submit": lambda d: sheet_draft_submit(by=None, draft=d),
        "return": lambda d: sheet_draft_return(by=None, draft=d, comment="À corriger"),
        "publish": lambda d: sheet_draft_publish(by=None, draft=d),
        "abandon": lambda d: sheet_draft_abandon(by=None, draft=d),
    }
    for step in steps:
        do[step](draft)
    before = (actions(), SheetDraft.objects.get().status)
    with pytest.raises(ValidationError) as excinfo:
        do[refused](draft)
    assert errors(excinfo) == {"status": [str(TRANSITION_REFUSED)]}
    assert (actions(), SheetDraft.objects.get().status) == before


@pytest.mark.parametrize("state", ["submitted", "published", "abandoned"])
def test_a_proposal_is_editable_only_as_a_draft_or_once_returned(orgs, state):
    draft = draft_for(orgs["supplier"], content())
    SheetDraft.objects.filter(pk=draft.pk).update(status=state)
    with pytest.raises(ValidationError) as excinfo:
        sheet_draft_update(by=None, draft=draft, content=content(offer("X", "X")))
    assert errors(excinfo) == {"status": [str(DRAFT_NOT_EDITABLE)]}
    with pytest.raises(ValidationError):
        sheet_draft_set_prices(
            by=None, draft=draft, offer_code="MAIL", effective_from=DEC_1, lines=[line("BASE", 1)]
        )


def test_a_proposal_with_problems_is_refused_whole_with_every_path(orgs):
    draft = draft_for(orgs["supplier"], content())
    sheet = content(offer("MAIL", "", "jeux", description=12))
    sheet["data_centres"][0]["country"] = "Canada"
    sheet["data_centres"][1]["city"] = "T" * 101
    with pytest.raises(ValidationError) as excinfo:
        sheet_draft_update(by=None, draft=draft, content=sheet)
    assert errors(excinfo) == {
        "offers[0].name": ["Ce champ est obligatoire."],
        "offers[0].description": ["Ce champ doit être un texte : « 12 »."],
        "offers[0].category": ["Cette valeur n'est pas permise : « jeux »."],
        "data_centres[0].country": ["Cette valeur n'est pas permise : « Canada »."],
        "data_centres[1].city": ["Ce texte est trop long : 100 caractères au plus."],
    }
    assert SheetDraft.objects.get().content == content()


def test_only_one_proposal_is_open_per_supplier(orgs):
    draft = draft_for(orgs["supplier"])
    with pytest.raises(ValidationError) as excinfo:
        sheet_draft_create(by=None, supplier=orgs["supplier"])
    assert errors(excinfo) == {"supplier": [str(DRAFT_ALREADY_OPEN)]}
    draft_for(orgs["supplier_other"])  # another supplier is not held up
    sheet_draft_abandon(by=None, draft=draft)
    assert draft_for(orgs["supplier"]).status == "draft"


def test_abandoning_a_proposal_discards_its_prices(orgs):
    draft = draft_for(orgs["supplier"], content())
    sheet_draft_set_prices(
        by=None, draft=draft, offer_code="MAIL", effective_from=DEC_1, lines=[line("BASE", 1)]
    )
    sheet_draft_abandon(by=None, draft=draft)
    assert PriceList.objects.get().status == "discarded"


def test_a_proposal_starts_from_the_version_in_force(orgs):
    version = publish(orgs["supplier"], content())
    draft = draft_for(orgs["supplier"])
    assert draft.base_version == version
    assert draft.content == version.content


def test_a_proposal_based_on_an_older_version_is_refused(orgs):
    first = publish(orgs["supplier"], content())
    publish(orgs["supplier"], content(offer("MAIL", "Courriel Pro")))
    # Defence in depth: one open proposal per supplier normally prevents this.
    stale = SheetDraft.objects.create(
        supplier=orgs["supplier"],
        base_version=first,
        status="submitted",
        content=content(offer("MAIL", "Courriel Entreprise")),
    )
    with pytest.raises(ValidationError) as excinfo:
        sheet_draft_publish(by=None, draft=stale)
    assert errors(excinfo) == {"base_version": [str(DRAFT_OUTDATED)]}
    assert SheetVersion.objects.count() == 2


def test_a_proposal_that_changes_nothing_is_refused(orgs):
    publish(orgs["supplier"], content())
    draft = draft_for(orgs["supplier"])
    with pytest.raises(ValidationError) as excinfo:
        sheet_draft_publish(by=None, draft=draft)
    assert errors(excinfo) == {"content": [str(NOTHING_CHANGED)]}
    assert SheetVersion.objects.count() == 1


def test_an_empty_first_sheet_is_refused_as_changing_nothing(orgs):
    draft = draft_for(orgs["supplier"])
    with pytest.raises(ValidationError) as excinfo:
        sheet_draft_publish(by=None, draft=draft)
    assert errors(excinfo) == {"content": [str(NOTHING_CHANGED)]}


def test_only_a_supplier_has_a_sheet(orgs):
    with pytest.raises(ValidationError) as excinfo:
        sheet_draft_create(by=None, supplier=orgs["provider"])
    assert errors(excinfo) == {"supplier": [str(NOT_A_SUPPLIER)]}


# --------------------------------------------------------------------------- who may do what


@pytest.mark.parametrize(
    ("person", "error"),
    [
        ("client_procurement", Http404),  # a client does not even see the supplier
        ("provider_rep", Http404),
        ("broker_auditor", PermissionDenied),  # sees everything, changes nothing
    ],
)
def test_only_the_supplier_and_the_broker_propose_changes(orgs, people, person, error):
    with pytest.raises(error):
        sheet_draft_create(by=people[person], supplier=orgs["supplier"])
    assert not SheetDraft.objects.exists()


def test_a_supplier_representative_works_only_on_its_own_sheet(orgs, people):
    rep = people["supplier_rep"]
    with pytest.raises(Http404):
        sheet_draft_create(by=rep, supplier=orgs["supplier_other"])
    other = draft_for(orgs["supplier_other"], content())
    with pytest.raises(Http404):
        sheet_draft_update(by=rep, draft=other, content=content(offer("X", "X")))
    with pytest.raises(Http404):
        sheet_draft_submit(by=rep, draft=other)
    with pytest.raises(Http404):
        sheet_draft_abandon(by=rep, draft=other)
    with pytest.raises(Http404):
        sheet_draft_set_prices(
            by=rep, draft=other, offer_code="MAIL", effective_from=DEC_1, lines=[line("BASE", 1)]
        )
    assert SheetDraft.objects.get(pk=other.pk).status == "draft"
    own = draft_for(orgs["supplier"], content(), by=rep)
    assert own.created_by == rep


@pytest.mark.parametrize("person", ["supplier_rep", "client_procurement", "broker_auditor"])
def test_only_the_broker_publishes_or_returns_a_proposal(orgs, people, person):
    draft = draft_for(orgs["supplier"], content(), by=people["supplier_rep"])
    sheet_draft_submit(by=people["supplier_rep"], draft=draft)
    with pytest.raises(PermissionDenied):
        sheet_draft_publish(by=people[person], draft=draft)
    with pytest.raises(PermissionDenied):
        sheet_draft_return(by=people[person], draft=draft, comment="Non")
    assert SheetDraft.objects.get().status == "submitted"
    assert not SheetVersion.objects.exists()


@pytest.mark.parametrize("person", ["broker_admin", "broker_agent"])
def test_the_broker_prepares_and_publishes_a_sheet_itself(orgs, people, person):
    version = publish(orgs["supplier"], content(), by=people[person])
    assert version.published_by == people[person]


# --------------------------------------------------------------------------- subscriptions


def test_a_client_subscribes_to_everything_a_category_or_a_supplier(orgs, people):
    person = people["client_procurement"]
    courriel = Category.objects.get(code="courriel")
    everything = subscription_create(by=person)
    by_category = subscription_create(by=person, category=courriel)
    by_supplier = subscription_create(by=person, supplier=orgs["supplier"])
    assert (everything.category, everything.supplier) == (None, None)
    assert by_category.category == courriel and by_supplier.supplier == orgs["supplier"]
    events = AuditEvent.objects.filter(action="subscription.created").order_by("seq")
    assert [e.after for e in events] == [
        {"category": None, "supplier": None},
        {"category": "courriel", "supplier": None},
        {"category": None, "supplier": orgs["supplier"].pk},
    ]
    assert {e.actor for e in events} == {person}


@pytest.mark.parametrize("scope", ["everything", "category", "supplier"])
def test_a_subscription_is_made_once(orgs, people, scope):
    person = people["client_procurement"]
    kwargs = {
        "everything": {},
        "category": {"category": Category.objects.get(code="sondage")},
        "supplier": {"supplier": orgs["supplier"]},
    }[scope]
    subscription_create(by=person, **kwargs)
    with pytest.raises(ValidationError) as excinfo:
        subscription_create(by=person, **kwargs)
    assert errors(excinfo) == {"category": [str(SUBSCRIPTION_EXISTS)]}
    assert Subscription.objects.count() == 1
    subscription_create(by=people["client_head"], **kwargs)  # another person may


def test_a_subscription_has_one_scope_and_a_supplier_scope_is_a_supplier(orgs, people):
    person = people["client_procurement"]
    with pytest.raises(ValidationError) as excinfo:
        subscription_create(by=person, category=Category.objects.first(), supplier=orgs["supplier"])
    assert errors(excinfo) == {"category": [str(SUBSCRIPTION_ONE_SCOPE)]}
    with pytest.raises(ValidationError) as excinfo:
        subscription_create(by=person, supplier=orgs["provider"])
    assert errors(excinfo) == {"supplier": [str(NOT_A_SUPPLIER)]}
    assert not Subscription.objects.exists()


def test_a_price_list_in_force_is_never_replaced_even_on_its_first_day(orgs):
    with at(DEC_1):
        publish(orgs["supplier"], content(), prices={("MAIL", DEC_1): [line("BASE", 100)]})
        draft = sheet_draft_create(by=None, supplier=orgs["supplier"])
        with pytest.raises(ValidationError) as excinfo:
            sheet_draft_set_prices(
                by=None,
                draft=draft,
                offer_code="MAIL",
                effective_from=DEC_1,
                lines=[line("BASE", 1)],
            )
    message = PRICE_LIST_IN_FORCE % {"code": "MAIL", "day": DEC_1}
    assert errors(excinfo) == {"effective_from": [str(message)]}
    assert PriceLine.objects.get().unit_price_cents == 100


def test_a_sheet_points_only_at_files_its_supplier_or_the_broker_deposited(orgs, people):
    theirs = stored_file_save(
        by=people["broker_agent"],
        name="a.pdf",
        content=pdf_bytes("broker"),
        content_type="application/pdf",
    )
    foreign = stored_file_save(
        by=make_person(orgs["supplier_other"], "supplier_rep"),
        name="secret.pdf",
        content=pdf_bytes("other supplier"),
        content_type="application/pdf",
    )
    draft = sheet_draft_create(by=people["supplier_rep"], supplier=orgs["supplier"])
    document = {"code": "ANNEXE", "kind": "amending_annex", "title": "Annexe", "file_name": "x.pdf"}
    sheet = content(documents=[{**document, "file_sha256": foreign.sha256}])
    with pytest.raises(ValidationError) as excinfo:
        sheet_draft_update(by=people["supplier_rep"], draft=draft, content=sheet)
    assert errors(excinfo) == {"documents[0].file_sha256": [str(DOCUMENT_FILE_UNKNOWN)]}
    sheet = content(documents=[{**document, "file_sha256": theirs.sha256}])
    sheet_draft_update(by=people["supplier_rep"], draft=draft, content=sheet)


@pytest.mark.parametrize("kept_as", ["acquisition_file_document", "store_document"])
def test_a_sheet_cannot_point_at_a_file_the_broker_made_for_a_client(orgs, people, kept_as):
    """Issue 11 §7: a startup meeting's agenda the broker produced for a client's file (or any
    document a client owns in the store) is not opened by its hash from a supplier's sheet."""
    from courtier.acquisitions.models import DocumentKind
    from courtier.acquisitions.services.documents import file_document_keep
    from courtier.documents.services.store import document_keep
    from tests.acquisitions.factories import new_file

    agenda = pdf_bytes("ordre du jour confidentiel")
    agent = people["broker_agent"]
    if kept_as == "store_document":
        kept = document_keep(
            by=agent,
            subject=orgs["client"],
            type="agenda",
            title="ODJ",
            name="o.pdf",
            content=agenda,
        )
    else:
        kept = file_document_keep(
            by=agent,
            file=new_file(by=people["client_procurement"], client=orgs["client"]),
            kind=DocumentKind.AGENDA,
            title="Ordre du jour",
            name="o.pdf",
            content=agenda,
            content_type="application/pdf",
        )
    sha256 = kept.sha256
    draft = sheet_draft_create(by=people["supplier_rep"], supplier=orgs["supplier"])
    document = {"code": "ANNEXE", "kind": "amending_annex", "title": "Annexe", "file_name": "x.pdf"}
    with pytest.raises(ValidationError) as excinfo:
        sheet_draft_update(
            by=people["supplier_rep"],
            draft=draft,
            content=content(documents=[{**document, "file_sha256": sha256}]),
        )
    assert errors(excinfo) == {"documents[0].file_sha256": [str(DOCUMENT_FILE_UNKNOWN)]}


def test_the_auditor_cannot_subscribe(people):
    with pytest.raises(PermissionDenied):
        subscription_create(by=people["broker_auditor"])
    assert not Subscription.objects.exists()


@pytest.mark.parametrize("person", ["supplier_rep", "provider_rep"])
def test_suppliers_and_providers_cannot_subscribe(people, person):
    with pytest.raises(PermissionDenied):
        subscription_create(by=people[person])
    assert not Subscription.objects.exists()


def test_only_its_owner_ends_a_subscription(people):
    subscription = subscription_create(by=people["client_procurement"])
    with pytest.raises(Http404):
        subscription_delete(by=people["client_head"], subscription=subscription)
    subscription_delete(by=people["client_procurement"], subscription=subscription)
    assert not Subscription.objects.exists()
    event = AuditEvent.objects.get(action="subscription.deleted")
    assert event.before == {"category": None, "supplier": None}


# --------------------------------------------------------------------------- framework agreements


def test_the_broker_records_and_corrects_a_framework_agreement(orgs, people):
    admin = people["broker_admin"]
    courriel, sondage = Category.objects.filter(code__in=["courriel", "sondage"]).order_by("code")
    agreement = framework_agreement_save(
        by=admin,
        organisation=orgs["supplier"],
        number=" EC-2024-001 ",
        title="Solutions de collaboration",
        starts_on=date(2024, 4, 1),
        ends_on=date(2027, 3, 31),
        categories=[courriel],
    )
    assert agreement.number == "EC-2024-001" and agreement.status == "in_force"
    created = AuditEvent.objects.get(action="framework_agreement.created")
    assert created.after["categories"] == ["courriel"]
    assert created.organisation == orgs["supplier"]
    framework_agreement_save(
        by=admin,
        agreement=agreement,
        organisation=orgs["supplier"],
        number="EC-2024-001",
        title="Solutions de collaboration",
        starts_on=date(2024, 4, 1),
        ends_on=date(2027, 3, 31),
        categories=[courriel, sondage],
    )
    updated = AuditEvent.objects.get(action="framework_agreement.updated")
    assert updated.before["categories"] == ["courriel"]
    assert updated.after["categories"] == ["courriel", "sondage"]
    # Saving the same values again records nothing.
    framework_agreement_save(
        by=admin,
        agreement=agreement,
        organisation=orgs["supplier"],
        number="EC-2024-001",
        title="Solutions de collaboration",
        starts_on=date(2024, 4, 1),
        ends_on=date(2027, 3, 31),
        categories=[sondage, courriel],
    )
    assert AuditEvent.objects.filter(action__startswith="framework_agreement").count() == 2


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"number": "ec-2024-001"}, "number", AGREEMENT_NUMBER_TAKEN),
        ({"ends_on": date(2024, 3, 31)}, "ends_on", AGREEMENT_DATES),
        ({"organisation": "client"}, "organisation", AGREEMENT_HOLDER),
    ],
)
def test_a_bad_framework_agreement_is_refused(orgs, changes, field, message):
    values = {
        "organisation": orgs["supplier"],
        "number": "EC-2024-001",
        "title": "Solutions de collaboration",
        "starts_on": date(2024, 4, 1),
        "ends_on": date(2027, 3, 31),
    }
    framework_agreement_save(by=None, **values)
    values["number"] = "EC-2024-002"
    values |= {k: orgs[v] if k == "organisation" else v for k, v in changes.items()}
    with pytest.raises(ValidationError) as excinfo:
        framework_agreement_save(by=None, **values)
    assert errors(excinfo) == {field: [str(message)]}
    assert FrameworkAgreement.objects.count() == 1


@pytest.mark.parametrize("person", ["supplier_rep", "client_procurement", "broker_auditor"])
def test_only_the_broker_records_agreements_qualifications_and_documents(orgs, people, person):
    by = people[person]
    with pytest.raises(PermissionDenied):
        framework_agreement_save(
            by=by,
            organisation=orgs["supplier"],
            number="EC-2024-001",
            title="x",
            starts_on=date(2024, 4, 1),
            ends_on=date(2027, 3, 31),
        )
    with pytest.raises(PermissionDenied):
        qualification_create(by=by, code="archi", name="Architecture", scope_description=".")
    with pytest.raises(PermissionDenied):
        supporting_document_publish(
            by=by,
            kind="contract_template",
            title="Gabarit",
            file_name="gabarit.txt",
            content=b"x",
            content_type="text/plain",
        )
    assert not AuditEvent.objects.exists()


# --------------------------------------------------------------------------- qualifications


@pytest.fixture
def provider_agreement(orgs):
    return framework_agreement_save(
        by=None,
        organisation=orgs["provider"],
        number="EC-2024-101",
        title="Services professionnels en infonuagique",
        starts_on=date(2024, 4, 1),
        ends_on=date(2027, 3, 31),
    )


def test_the_broker_qualifies_a_provider_under_its_agreement(orgs, people, provider_agreement):
    admin = people["broker_admin"]
    qualification = qualification_create(
        by=admin,
        code="architecture-infonuagique",
        name=" Architecture infonuagique ",
        scope_description="Conception d'architectures infonuagiques sécuritaires.",
    )
    assert qualification.name == "Architecture infonuagique"
    row = provider_qualify(
        by=admin,
        qualification=qualification,
        provider=orgs["provider"],
        agreement=provider_agreement,
        qualified_on=date(2024, 6, 3),
        contact_name="Chantal Bélanger",
        contact_email="chantal@prestataire.example",
    )
    assert row.is_active and row.qualified_on == date(2024, 6, 3)
    event = AuditEvent.objects.get(action="provider.qualified")
    assert event.after == {
        "qualification": "architecture-infonuagique",
        "agreement": "EC-2024-101",
        "qualified_on": "2024-06-03",
    }
    assert event.organisation == orgs["provider"]
    assert AuditEvent.objects.filter(action="qualification.created").count() == 1


def test_a_bad_qualification_is_refused(orgs, provider_agreement):
    qualification = qualification_create(
        by=None, code="migration", name="Migration", scope_description="Migration."
    )
    with pytest.raises(ValidationError) as excinfo:
        qualification_create(by=None, code="migration", name="M", scope_description=".")
    assert errors(excinfo) == {"code": [str(QUALIFICATION_CODE_TAKEN)]}
    values = {
        "qualification": qualification,
        "provider": orgs["provider"],
        "agreement": provider_agreement,
        "qualified_on": date(2024, 6, 3),
        "contact_name": "Chantal Bélanger",
        "contact_email": "chantal@prestataire.example",
    }
    with pytest.raises(ValidationError) as excinfo:
        provider_qualify(by=None, **{**values, "provider": orgs["supplier"]})
    assert errors(excinfo) == {"provider": [str(NOT_A_PROVIDER)]}
    with pytest.raises(ValidationError) as excinfo:
        provider_qualify(by=None, **{**values, "provider": orgs["provider_other"]})
    assert errors(excinfo) == {"agreement": [str(AGREEMENT_OF_ANOTHER)]}
    provider_qualify(by=None, **values)
    with pytest.raises(ValidationError) as excinfo:
        provider_qualify(by=None, **values)
    assert errors(excinfo) == {"provider": [str(ALREADY_QUALIFIED)]}
    assert ProviderQualification.objects.count() == 1


# --------------------------------------------------------------------------- supporting documents


def test_supporting_documents_are_published_in_numbered_versions(people):
    admin = people["broker_admin"]
    values = {
        "kind": "contract_template",
        "title": "Gabarit de contrat spécifique",
        "file_name": "gabarit-contrat.txt",
        "content_type": "text/plain",
    }
    first = supporting_document_publish(by=admin, content=b"Version 1", **values)
    second = supporting_document_publish(
        by=admin, content=b"Version 2", notes="Clause 7 revue.", **values
    )
    assert (first.number, second.number) == (1, 2)
    assert first.document == second.document
    assert SupportingDocument.objects.count() == 1
    assert first.file.file.read() == b"Version 1"
    assert second.file.size == 9 and second.notes == "Clause 7 revue."
    events = AuditEvent.objects.filter(action="supporting_document.published").order_by("seq")
    assert [e.after["number"] for e in events] == [1, 2]
    assert events[1].after["sha256"] == second.file.sha256


def test_the_same_bytes_are_stored_once(people):
    values = {"kind": "commitment_form", "file_name": "f.txt", "content_type": "text/plain"}
    a = supporting_document_publish(by=None, title="A", content=b"pareil", **values)
    b = supporting_document_publish(by=None, title="B", content=b"pareil", **values)
    assert a.file == b.file
    assert StoredFile.objects.count() == 1


def test_a_bad_supporting_document_is_refused(people):
    values = {"file_name": "f.txt", "content_type": "text/plain"}
    supporting_document_publish(
        by=None, kind="contract_template", title="Gabarit", content=b"x", **values
    )
    with pytest.raises(ValidationError) as excinfo:
        supporting_document_publish(
            by=None, kind="amendment_template", title="Gabarit", content=b"y", **values
        )
    assert errors(excinfo) == {"title": [str(DOCUMENT_TITLE_TAKEN)]}
    with pytest.raises(ValidationError) as excinfo:
        supporting_document_publish(
            by=None, kind="contract_template", title="Gabarit", content=b"", **values
        )
    assert errors(excinfo) == {"file": [str(uploads.FILE_EMPTY)]}
    assert SupportingDocument.objects.get().versions.count() == 1
