"""Price-file import (issue 3 §4): a supplier's CSV or XLSX file becomes the proposed price lists
of its draft, or is refused whole with every bad row named (line, column, reason). Real
database (SQLite and PostgreSQL), the real task queue in immediate mode, the real command."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.http import Http404
from django.urls import reverse
from openpyxl import Workbook

from courtier.audit.models import AuditEvent
from courtier.calendar.models import ClosureDay
from courtier.catalogue.messages import (
    DRAFT_NOT_EDITABLE,
    PRICE_IN_THE_PAST,
    PRICE_NOT_FIRST_BUSINESS_DAY,
    PRICE_UNKNOWN_COMPONENT,
    PRICE_UNKNOWN_OFFER,
    PROBLEM_MESSAGES,
    TRANSITION_REFUSED,
)
from courtier.catalogue.models import (
    Category,
    ImportStatus,
    PriceImport,
    PriceLine,
    PriceList,
    SheetDraft,
    SheetVersion,
)
from courtier.catalogue.pricefile import importing
from courtier.catalogue.pricefile.layout import Problem
from courtier.catalogue.pricefile.messages import FILE_TYPE_NAMED, LIMIT_MESSAGES
from courtier.catalogue.pricefile.uploads import price_import_create
from courtier.catalogue.services.drafts import (
    sheet_draft_create,
    sheet_draft_publish,
    sheet_draft_return,
    sheet_draft_submit,
    sheet_draft_update,
)
from courtier.catalogue.services.prices import sheet_draft_set_prices
from courtier.files import inspection
from courtier.files.models import StoredFile
from tests.catalogue.factories import content, line, offer, publish
from tests.helpers import page_text

TORONTO = ZoneInfo("America/Toronto")
TODAY = date(2026, 12, 10)  # a Thursday
FEB_1 = date(2027, 2, 1)  # Monday: first business day of February
MAR_1 = date(2027, 3, 1)
EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "exemples" / "prix-exemple.csv"
HEADER = (
    "offre;composante;date_effet;unite;prix_unitaire;frequence_facturation;palier_min;"
    "quantite_minimale;duree_minimale_mois;toutes_unites_des_signature;diminution_permise;"
    "hausse_annuelle_max"
)
GOOD_ROWS = [
    "MAIL;BASE;2027-02-01;user_month;12,50;mensuelle;0;10;12;non;oui;3,5",
    "MAIL;BASE;2027-02-01;user_month;11,75;mensuelle;500;10;12;non;oui;3,5",
    "MAIL;STOCK;2027-02-01;gb_month;0.25;monthly;0;0;0;non;oui;0",
    "VISIO;BASE;2027-02-01;user_year;120;annuelle;;;;oui;non;",
    "VISIO;ENTREE;2027-03-01;fixed;1500,00;unique;0;1;0;oui;non;2",
]


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(datetime(2026, 12, 10, 10, tzinfo=TORONTO), tick=False) as traveller:
        yield traveller


@pytest.fixture
def draft(orgs, people):
    draft = sheet_draft_create(by=people["supplier_rep"], supplier=orgs["supplier"])
    return sheet_draft_update(
        by=people["supplier_rep"],
        draft=draft,
        content=content(offer("MAIL", "Courriel infonuagique"), offer("VISIO", "Visioconférence")),
    )


def csv_bytes(*rows: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


def run(draft, by, data: bytes, name: str = "prix.csv", **options) -> PriceImport:
    created = price_import_create(
        by=by, draft=draft, name=name, stream=io.BytesIO(data), in_background=False
    )
    return importing.price_import_run(import_id=created.pk, **options)


def refused(draft, by, *rows: str, header: str = HEADER) -> list[tuple[int, str, str]]:
    """Import rows that must be refused: nothing imported; (line, column, message) each."""
    result = run(draft, by, csv_bytes(*rows, header=header))
    assert result.status == ImportStatus.FAILED
    assert result.lines_imported == 0
    assert PriceList.objects.filter(draft=draft).count() == 0
    assert PriceLine.objects.count() == 0
    assert result.error_count == len(result.errors)
    return [(e["line"], e["column"], e["message"]) for e in result.errors]


def message(problem, **params) -> str:
    template = PROBLEM_MESSAGES.get(problem) or LIMIT_MESSAGES[problem]
    return str(template % {"value": "", **params})


# --- a good file ------------------------------------------------------------------------------


def test_a_good_csv_file_becomes_the_drafts_price_lists(draft, people):
    rep = people["supplier_rep"]
    result = run(draft, rep, csv_bytes(*GOOD_ROWS))
    assert result.status == ImportStatus.SUCCEEDED
    assert (result.rows_done, result.rows_total, result.lines_imported) == (5, 5, 5)
    assert result.errors == [] and result.error_count == 0
    lists = {
        (pl.offer_code, pl.effective_from): pl
        for pl in PriceList.objects.filter(draft=draft, status="draft")
    }
    assert {k: pl.line_count for k, pl in lists.items()} == {
        ("MAIL", FEB_1): 3,
        ("VISIO", FEB_1): 1,
        ("VISIO", MAR_1): 1,
    }
    mail = {
        (pl.component_code, pl.tier_min_quantity): pl
        for pl in PriceLine.objects.filter(price_list=lists[("MAIL", FEB_1)])
    }
    base = mail[("BASE", 0)]
    assert base.unit_price_cents == 1250  # decimal comma
    assert (base.unit, base.billing_frequency) == ("user_month", "monthly")
    assert (base.minimum_quantity, base.minimum_term_months) == (10, 12)
    assert (base.all_units_from_signature, base.may_decrease) == (False, True)
    assert base.max_yearly_increase_bp == 350
    assert mail[("BASE", 500)].unit_price_cents == 1175
    assert mail[("STOCK", 0)].unit_price_cents == 25  # decimal dot
    visio = PriceLine.objects.get(price_list=lists[("VISIO", FEB_1)])
    # Empty optional cells take the defaults.
    assert (visio.tier_min_quantity, visio.minimum_quantity, visio.max_yearly_increase_bp) == (
        0,
        0,
        0,
    )
    assert (visio.unit_price_cents, visio.billing_frequency) == (12000, "yearly")
    assert (visio.all_units_from_signature, visio.may_decrease) == (True, False)
    entry = PriceLine.objects.get(price_list=lists[("VISIO", MAR_1)])
    assert (entry.unit_price_cents, entry.billing_frequency) == (150000, "upfront")
    event = AuditEvent.objects.get(action="price_import.succeeded")
    assert event.actor_id == rep.pk and event.object_id == str(result.pk)
    assert event.after["lines"] == 5
    assert event.organisation_id == draft.supplier_id


def test_optional_columns_may_be_left_out_and_headers_are_forgiving(draft, people):
    header = "Offre;Composante;Date effet;Unité;Prix unitaire;Fréquence facturation"
    result = run(
        draft,
        people["supplier_rep"],
        csv_bytes("MAIL;BASE;2027-02-01;Utilisateur/mois;9,99;Mensuelle", header=header),
    )
    assert result.status == ImportStatus.SUCCEEDED
    price = PriceLine.objects.get()
    assert (price.unit, price.unit_price_cents, price.may_decrease) == ("user_month", 999, True)


def test_a_comma_separated_file_with_quoted_decimal_commas_is_read(draft, people):
    data = (
        HEADER.replace(";", ",") + "\n" + 'MAIL,BASE,2027-02-01,user_month,"12,50",monthly,0,0,0,'
        'non,oui,"3,5"\n'
    ).encode("utf-8-sig")  # Excel's "CSV UTF-8" starts with a byte-order mark
    result = run(draft, people["supplier_rep"], data)
    assert result.status == ImportStatus.SUCCEEDED
    assert PriceLine.objects.get().unit_price_cents == 1250


def test_a_windows_1252_file_is_read(draft, people):
    header = "offre;composante;date_effet;unité;prix_unitaire;fréquence_facturation"
    data = csv_bytes("MAIL;BASE;2027-02-01;user_month;3,00;annuelle", header=header)
    result = run(draft, people["supplier_rep"], data.decode().encode("cp1252"))
    assert result.status == ImportStatus.SUCCEEDED


def test_a_good_xlsx_file_is_imported_like_its_csv_twin(draft, people, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.split(";"))
    sheet.append(["MAIL", "BASE", datetime(2027, 2, 1), "user_month", 12.5, "mensuelle", 0, 10])
    sheet.append(["MAIL", "STOCK", "2027-02-01", "gb_month", "0,25", "monthly", 0, 0, 0, "non"])
    sheet.append([None] * 3)  # a blank row is skipped
    sheet.append(["VISIO", "BASE", "2027-02-01", "user_year", 120, "unique", 0, 0, 0, True, False])
    sheet.cell(row=2, column=12, value=0.035).number_format = "0.0%"  # 3,5 %
    path = tmp_path / "prix.xlsx"
    book.save(path)
    result = run(draft, people["supplier_rep"], path.read_bytes(), name="prix.xlsx")
    assert result.status == ImportStatus.SUCCEEDED, result.errors
    assert result.lines_imported == 3
    lines = {p.component_code + p.price_list.offer_code: p for p in PriceLine.objects.all()}
    assert lines["BASEMAIL"].unit_price_cents == 1250
    assert lines["BASEMAIL"].max_yearly_increase_bp == 350
    assert lines["BASEMAIL"].minimum_quantity == 10
    assert lines["STOCKMAIL"].unit_price_cents == 25
    assert lines["BASEVISIO"].all_units_from_signature is True
    assert lines["BASEVISIO"].may_decrease is False


def test_a_new_import_replaces_the_drafts_lists_for_the_same_offer_and_date(draft, people):
    rep = people["supplier_rep"]
    sheet_draft_set_prices(
        by=rep, draft=draft, offer_code="MAIL", effective_from=FEB_1, lines=[line("BASE", 100)]
    )
    sheet_draft_set_prices(
        by=rep, draft=draft, offer_code="MAIL", effective_from=MAR_1, lines=[line("BASE", 200)]
    )
    result = run(draft, rep, csv_bytes(GOOD_ROWS[0]))
    assert result.status == ImportStatus.SUCCEEDED
    prices = dict(
        PriceLine.objects.filter(price_list__draft=draft).values_list(
            "price_list__effective_from", "unit_price_cents"
        )
    )
    assert prices == {FEB_1: 1250, MAR_1: 200}  # March was not in the file: kept


def test_the_example_file_of_the_documentation_is_imported(orgs, people):
    """The example's offers are the demo's (Infonuage Laurentides: tests/catalogue/test_demo.py
    imports it into the demo itself); here, the same offers on a sheet of our own."""
    rep = people["supplier_rep"]
    example = content(
        offer(
            "IL-COURRIEL",
            "Courriel Laurentides Éducation",
            components=[
                {"code": "BASE", "name": "Abonnement", "kind": "base", "description": ""},
                {
                    "code": "ASSISTANCE",
                    "name": "Assistance",
                    "kind": "assistance",
                    "description": "",
                },
                {"code": "ENTREE", "name": "Mise en service", "kind": "entry", "description": ""},
                {"code": "SORTIE", "name": "Sortie", "kind": "exit", "description": ""},
            ],
        ),
        offer(
            "IL-DEPOT",
            "Dépôt Laurentides",
            category="partage-fichiers",
            components=[
                {"code": "BASE", "name": "Stockage", "kind": "base", "description": ""},
                {"code": "SORTIE", "name": "Sortie", "kind": "exit", "description": ""},
            ],
        ),
    )
    draft = sheet_draft_create(by=rep, supplier=orgs["supplier"])
    draft = sheet_draft_update(by=rep, draft=draft, content=example)
    result = run(draft, rep, EXAMPLE.read_bytes(), name="prix-exemple.csv")
    assert result.status == ImportStatus.SUCCEEDED, result.errors
    with EXAMPLE.open(encoding="utf-8") as f:
        assert result.lines_imported == sum(1 for _ in csv.reader(f, delimiter=";")) - 1
    twin = EXAMPLE.with_suffix(".xlsx")
    result = run(draft, rep, twin.read_bytes(), name=twin.name)
    assert result.status == ImportStatus.SUCCEEDED, result.errors
    assert result.lines_imported == PriceLine.objects.filter(price_list__draft=draft).count()


# --- bad rows: nothing imported, every bad row named --------------------------------------------


def test_thousands_separators_are_refused_with_line_and_column(draft, people):
    problems = refused(
        draft,
        people["supplier_rep"],
        GOOD_ROWS[0],
        "MAIL;STOCK;2027-02-01;gb_month;1 200,00;mensuelle;0;0;0;non;oui;0",
        'MAIL;ENTREE;2027-02-01;fixed;"1,200.00";unique;0;0;0;non;oui;0',
        "VISIO;BASE;2027-02-01;fixed;1.200,00;unique;0;0;0;non;oui;0",
        "VISIO;STOCK;2027-02-01;fixed;1.200.000;unique;0;0;0;non;oui;0",
        "VISIO;ENTREE;2027-02-01;fixed;12;unique;1 000;0;0;non;oui;0",
    )
    thousands = Problem.THOUSANDS_SEPARATOR
    assert problems == [
        (3, "prix_unitaire", message(thousands, value="1 200,00")),
        (4, "prix_unitaire", message(thousands, value="1,200.00")),
        (5, "prix_unitaire", message(thousands, value="1.200,00")),
        (6, "prix_unitaire", message(thousands, value="1.200.000")),
        (7, "palier_min", message(thousands, value="1 000")),
    ]


def test_negative_prices_and_numbers_are_refused(draft, people):
    problems = refused(
        draft,
        people["supplier_rep"],
        "MAIL;BASE;2027-02-01;user_month;-12,50;mensuelle;0;0;0;non;oui;0",
        "MAIL;STOCK;2027-02-01;user_month;1;mensuelle;0;-5;0;non;oui;-1",
    )
    assert problems == [
        (2, "prix_unitaire", message(Problem.NEGATIVE_PRICE, value="-12,50")),
        (3, "quantite_minimale", message(Problem.NEGATIVE_NUMBER, value="-5")),
        (3, "hausse_annuelle_max", message(Problem.NEGATIVE_NUMBER, value="-1")),
    ]


def test_unknown_offers_and_components_are_refused(draft, people):
    problems = refused(
        draft,
        people["supplier_rep"],
        "NUAGE;BASE;2027-02-01;user_month;1;mensuelle",
        "MAIL;SAUVEGARDE;2027-02-01;user_month;1;mensuelle",
        header="offre;composante;date_effet;unite;prix_unitaire;frequence_facturation",
    )
    assert problems == [
        (2, "offre", str(PRICE_UNKNOWN_OFFER % {"code": "NUAGE"})),
        (
            3,
            "composante",
            str(PRICE_UNKNOWN_COMPONENT % {"component": "SAUVEGARDE", "code": "MAIL"}),
        ),
    ]


def test_duplicate_rows_are_refused_with_the_line_they_repeat(draft, people):
    problems = refused(
        draft,
        people["supplier_rep"],
        GOOD_ROWS[0],
        GOOD_ROWS[1],
        GOOD_ROWS[2],
        "MAIL;BASE;2027-02-01;user_month;13,00;mensuelle;0;0;0;non;oui;0",  # repeats line 2
        "MAIL;BASE;2027-02-01;user_month;14,00;mensuelle;0;0;0;non;oui;0",  # and again
        "MAIL;BASE;2027-03-01;user_month;14,00;mensuelle;0;0;0;non;oui;0",  # another date: fine
    )
    duplicate = PROBLEM_MESSAGES[Problem.DUPLICATE]
    params = {"offer": "MAIL", "component": "BASE", "day": FEB_1, "tier": 0, "first": 2}
    assert problems == [
        (5, "palier_min", str(duplicate % params)),
        (6, "palier_min", str(duplicate % params)),
    ]


def test_duplicates_are_reported_with_the_other_bad_rows(draft, people):
    problems = refused(
        draft,
        people["supplier_rep"],
        GOOD_ROWS[0],
        "MAIL;STOCK;2027-02-01;gb_month;abc;monthly",
        GOOD_ROWS[0],
        header="offre;composante;date_effet;unite;prix_unitaire;frequence_facturation;palier_min;"
        "quantite_minimale;duree_minimale_mois;toutes_unites_des_signature;diminution_permise;"
        "hausse_annuelle_max",
    )
    assert [(line, column) for line, column, _ in problems] == [
        (3, "prix_unitaire"),
        (4, "palier_min"),
    ]


def test_a_date_that_is_not_a_first_business_day_is_refused(draft, people):
    ClosureDay.objects.create(day=date(2027, 3, 1), label="Fermeture du Courtier")
    problems = refused(
        draft,
        people["supplier_rep"],
        "MAIL;BASE;2027-02-02;user_month;1;mensuelle;0;0;0;non;oui;0",
        "MAIL;BASE;2027-01-01;user_month;1;mensuelle;0;0;0;non;oui;0",  # a holiday
        "MAIL;BASE;2027-03-01;user_month;1;mensuelle;0;0;0;non;oui;0",  # a closure day
    )
    not_first = PRICE_NOT_FIRST_BUSINESS_DAY
    assert problems == [
        (2, "date_effet", str(not_first % {"day": date(2027, 2, 2), "first": FEB_1})),
        (3, "date_effet", str(not_first % {"day": date(2027, 1, 1), "first": date(2027, 1, 4)})),
        (4, "date_effet", str(not_first % {"day": MAR_1, "first": date(2027, 3, 2)})),
    ]


def test_a_past_date_and_a_badly_written_date_are_refused(draft, people):
    problems = refused(
        draft,
        people["supplier_rep"],
        "MAIL;BASE;2026-12-01;user_month;1;mensuelle;0;0;0;non;oui;0",
        "MAIL;BASE;01/02/2027;user_month;1;mensuelle;0;0;0;non;oui;0",
        "MAIL;BASE;2027-02-30;user_month;1;mensuelle;0;0;0;non;oui;0",
    )
    bad_date = Problem.BAD_DATE
    assert problems == [
        (2, "date_effet", str(PRICE_IN_THE_PAST % {"day": date(2026, 12, 1)})),
        (3, "date_effet", message(bad_date, value="01/02/2027")),
        (4, "date_effet", message(bad_date, value="2027-02-30")),
    ]


def test_bad_numbers_units_frequencies_and_answers_are_refused_each_in_its_column(draft, people):
    problems = refused(
        draft,
        people["supplier_rep"],
        "MAIL;BASE;2027-02-01;par siège;12,505;hebdomadaire;dix;0,5;0;peut-être;oui;3,5 pts",
        "MAIL;STOCK;2027-02-01;gb_month;12 $;monthly;0;0;99999;non;oui;0",
        "MAIL;ENTREE;;gb_month;;monthly;0;0;0;non;oui;0",
    )
    P = Problem
    assert problems == [
        (2, "unite", message(P.BAD_UNIT, value="par siège")),
        (2, "prix_unitaire", message(P.TOO_MANY_DECIMALS, value="12,505")),
        (2, "frequence_facturation", message(P.BAD_FREQUENCY, value="hebdomadaire")),
        (2, "palier_min", message(P.NOT_AN_INTEGER, value="dix")),
        (2, "quantite_minimale", message(P.NOT_AN_INTEGER, value="0,5")),
        (2, "toutes_unites_des_signature", message(P.BAD_BOOLEAN, value="peut-être")),
        (2, "hausse_annuelle_max", message(P.BAD_PERCENT, value="3,5 pts")),
        (3, "prix_unitaire", message(P.BAD_AMOUNT, value="12 $")),
        (3, "duree_minimale_mois", message(P.TOO_LARGE, value="99999")),
        (4, "date_effet", message(P.REQUIRED)),
        (4, "prix_unitaire", message(P.REQUIRED)),
    ]


def test_missing_unknown_and_repeated_columns_are_refused(draft, people):
    problems = refused(
        draft,
        people["supplier_rep"],
        "MAIL;BASE;2027-02-01;1;x;y",
        header="offre;composante;date_effet;prix_unitaire;remise;offre",
    )
    P = Problem
    assert problems == [
        (1, "remise", message(P.UNKNOWN_COLUMN)),
        (1, "offre", message(P.DUPLICATE_COLUMN)),
        (1, "unite", message(P.MISSING_COLUMN)),
        (1, "frequence_facturation", message(P.MISSING_COLUMN)),
    ]


def test_an_unquoted_decimal_comma_in_a_comma_separated_file_is_explained(draft, people):
    header = "offre,composante,date_effet,unite,prix_unitaire,frequence_facturation"
    problems = refused(
        draft,
        people["supplier_rep"],
        "MAIL,BASE,2027-02-01,user_month,12,50,monthly",
        header=header,
    )
    assert problems == [
        (2, "", message(Problem.TOO_MANY_CELLS, value=7, expected=6)),
    ]


@pytest.mark.parametrize(
    "data",
    [b"", HEADER.encode() + b"\n", HEADER.encode() + b"\n;;;\n\n"],
    ids=["nothing", "header only", "blank rows"],
)
def test_an_empty_file_is_refused(draft, people, data):
    if not data:
        with pytest.raises(Exception) as excinfo:
            run(draft, people["supplier_rep"], data)
        assert excinfo.value.messages == [inspection.EMPTY % {"name": "prix.csv"}]
        assert PriceImport.objects.count() == 0
        return
    result = run(draft, people["supplier_rep"], data)
    assert result.status == ImportStatus.FAILED
    assert result.errors == [{"line": 0, "column": "", "message": message(Problem.EMPTY_FILE)}]


def test_a_file_that_is_not_a_spreadsheet_is_refused_before_it_is_kept(draft, people):
    with pytest.raises(ValidationError) as excinfo:
        run(draft, people["supplier_rep"], b"PK\x03\x04 not really a zip", name="prix.xlsx")
    assert excinfo.value.message_dict == {"file": [inspection.MALFORMED % {"name": "prix.xlsx"}]}
    assert PriceImport.objects.count() == 0 and StoredFile.objects.count() == 0


def test_errors_are_counted_beyond_those_kept(draft, people, monkeypatch):
    monkeypatch.setattr(importing, "MAX_ERRORS", 3)
    bad = "MAIL;BASE;2027-02-01;user_month;-1;mensuelle;0;0;0;non;oui;0"
    result = run(draft, people["supplier_rep"], csv_bytes(*[bad] * 5, GOOD_ROWS[0], GOOD_ROWS[0]))
    assert result.status == ImportStatus.FAILED
    assert result.error_count == 6  # five negative prices and one duplicate
    assert [e["line"] for e in result.errors] == [2, 3, 4]
    event = AuditEvent.objects.get(action="price_import.failed")
    assert event.after["errors"] == 6


# --- who and when -------------------------------------------------------------------------------


def test_another_suppliers_representative_cannot_import_into_a_draft(orgs, people, draft):
    other = sheet_draft_create(by=None, supplier=orgs["supplier_other"])
    with pytest.raises(Http404):
        run(other, people["supplier_rep"], csv_bytes(GOOD_ROWS[0]))
    with pytest.raises(PermissionDenied):
        run(draft, people["broker_auditor"], csv_bytes(GOOD_ROWS[0]))
    assert PriceImport.objects.count() == 0


def test_a_broker_agent_may_import_into_a_suppliers_draft(draft, people):
    result = run(draft, people["broker_agent"], csv_bytes(GOOD_ROWS[0]))
    assert result.status == ImportStatus.SUCCEEDED


def test_a_submitted_draft_takes_no_price_file(draft, people):
    created = price_import_create(
        by=people["supplier_rep"],
        draft=draft,
        name="prix.csv",
        stream=io.BytesIO(csv_bytes(GOOD_ROWS[0])),
        in_background=False,
    )
    sheet_draft_submit(by=people["supplier_rep"], draft=draft)
    result = importing.price_import_run(import_id=created.pk)
    assert result.status == ImportStatus.FAILED
    assert result.errors == [{"line": 0, "column": "", "message": str(DRAFT_NOT_EDITABLE)}]
    with pytest.raises(Exception) as excinfo:
        run(draft, people["supplier_rep"], csv_bytes(GOOD_ROWS[0]))
    assert DRAFT_NOT_EDITABLE in excinfo.value.messages


def test_imported_prices_are_published_with_the_draft(draft, people):
    result = run(draft, people["supplier_rep"], csv_bytes(*GOOD_ROWS))
    assert result.status == ImportStatus.SUCCEEDED
    version = sheet_draft_publish(by=people["broker_agent"], draft=draft)
    assert PriceList.objects.filter(version=version, status="published").count() == 3
    added = {
        (c["offer"], c["component"], c["tier_min_quantity"]) for c in version.changes["prices"]
    }
    assert ("MAIL", "BASE", 500) in added


def test_an_import_can_publish_the_draft_in_the_same_transaction(draft, people):
    result = run(draft, people["broker_agent"], csv_bytes(*GOOD_ROWS), publish=True)
    assert result.status == ImportStatus.SUCCEEDED
    draft.refresh_from_db()
    assert draft.status == "published"
    version = SheetVersion.objects.get(draft=draft)
    assert PriceList.objects.filter(version=version, status="published").count() == 3


def test_a_refused_publication_undoes_the_import(draft, people):
    # A draft sent back to the supplier may take prices but cannot be published as it is.
    sheet_draft_submit(by=people["supplier_rep"], draft=draft)
    sheet_draft_return(by=people["broker_agent"], draft=draft, comment="Les prix ?")
    result = run(draft, people["broker_agent"], csv_bytes(*GOOD_ROWS), publish=True)
    assert result.status == ImportStatus.FAILED
    assert result.errors == [{"line": 0, "column": "", "message": str(TRANSITION_REFUSED)}]
    assert PriceLine.objects.count() == 0 and PriceList.objects.count() == 0
    assert not AuditEvent.objects.filter(action="price_import.succeeded").exists()
    assert AuditEvent.objects.filter(action="price_import.failed").count() == 1


# --- the command line ---------------------------------------------------------------------------


def command(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import-prices", *args, stdout=out, stderr=err)
    except SystemExit as exc:
        return int(exc.code), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def test_the_command_imports_a_file_with_a_progress_bar(draft, people, tmp_path):
    path = tmp_path / "prix.csv"
    path.write_bytes(csv_bytes(*GOOD_ROWS))
    rep = people["supplier_rep"]
    code, out, err = command(str(path), "--supplier", "Fournisseur D", "--as", rep.email)
    assert code == 0
    assert f"5 lignes de prix importées dans la proposition n° {draft.pk}" in out
    assert "\r[" in err and "] 100 % 5/5 lignes" in err
    assert "Enregistrement des lignes" in err
    assert PriceLine.objects.filter(price_list__draft=draft).count() == 5
    assert PriceImport.objects.get().created_by == rep


def test_the_command_prints_every_error_and_exits_with_1(draft, people, tmp_path):
    path = tmp_path / "prix.csv"
    path.write_bytes(
        csv_bytes(
            GOOD_ROWS[0],
            "MAIL;STOCK;2027-02-01;gb_month;1 200,00;mensuelle;0;0;0;non;oui;0",
            "MAIL;ENTREE;2027-02-02;fixed;-3;unique;0;0;0;non;oui;0",
        )
    )
    code, out, err = command(str(path), "--supplier", str(draft.supplier_id))
    assert code == 1
    thousands = message(Problem.THOUSANDS_SEPARATOR, value="1 200,00")
    assert f"ligne 3, colonne prix_unitaire : {thousands}" in err
    assert "ligne 4, colonne date_effet : " in err
    assert "ligne 4, colonne prix_unitaire : " in err
    assert "Fichier refusé : 3 erreur(s)." in err and "Rien n'a été importé." in err
    assert out == ""
    assert PriceLine.objects.count() == 0


def test_a_refused_command_leaves_nothing_behind_not_even_the_proposal_it_opened(
    orgs, people, tmp_path
):
    """Issue 10 §7: the supplier had no open proposal; the command opened one for the file,
    the file was refused, and nothing of it remains (proposal, import, lines, audit events)."""
    supplier = orgs["supplier"]
    publish(supplier, content(offer("MAIL", "Courriel infonuagique")))
    events = AuditEvent.objects.count()
    path = tmp_path / "prix.csv"
    path.write_bytes(csv_bytes("MAIL;BASE;2027-02-01;user_month;-3;mensuelle;0;0;0;non;oui;0"))
    code, _out, err = command(str(path), "--supplier", supplier.name)
    assert code == 1 and "Rien n'a été importé." in err
    assert not SheetDraft.objects.filter(supplier=supplier, version__isnull=True).exists()
    assert PriceImport.objects.count() == 0
    assert PriceList.objects.filter(draft__isnull=False).count() == 0
    assert AuditEvent.objects.count() == events


def test_the_command_can_publish_the_suppliers_open_draft(orgs, people, tmp_path):
    supplier = orgs["supplier"]
    first = publish(
        supplier,
        content(offer("MAIL", "Courriel infonuagique"), offer("VISIO", "Visioconférence")),
    )
    path = tmp_path / "prix.csv"
    path.write_bytes(csv_bytes(*GOOD_ROWS))
    agent = people["broker_agent"]
    code, out, err = command(
        str(path), "--supplier", str(supplier.pk), "--publish", "--as", agent.email
    )
    assert code == 0, err
    version = SheetVersion.objects.get(supplier=supplier, number=2)
    assert version.previous == first
    assert f"Proposition publiée : {version.name}." in out
    assert PriceList.objects.filter(version=version, status="published").count() == 3


def test_the_command_refuses_to_publish_for_a_supplier_representative(draft, people, tmp_path):
    path = tmp_path / "prix.csv"
    path.write_bytes(csv_bytes(GOOD_ROWS[0]))
    rep = people["supplier_rep"]
    with pytest.raises(Exception, match="ne peut pas publier"):
        command(str(path), "--supplier", str(draft.supplier_id), "--publish", "--as", rep.email)
    with pytest.raises(Exception, match="Aucun fournisseur"):
        command(str(path), "--supplier", "Fournisseur inconnu")
    assert PriceImport.objects.count() == 0


# --- the pages ----------------------------------------------------------------------------------


def upload(client, draft, data: bytes, name: str = "prix.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        reverse("catalogue:price_import_new", args=[draft.pk]),
        {"file": SimpleUploadedFile(name, data, content_type="text/csv")},
    )


def test_an_uploaded_file_is_imported_in_the_background_and_its_result_shown(
    client, draft, people, django_capture_on_commit_callbacks
):
    client.force_login(people["supplier_rep"])
    page = client.get(reverse("catalogue:price_import_new", args=[draft.pk]))
    assert page.status_code == 200
    assert 'enctype="multipart/form-data"' in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, draft, csv_bytes(*GOOD_ROWS))
    price_import = PriceImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("catalogue:price_import_detail", args=[price_import.pk])
    price_import.refresh_from_db()
    assert price_import.status == ImportStatus.SUCCEEDED  # the task ran (immediate backend)
    text = page_text(client.get(response["Location"]))
    assert "5 lignes de prix importées." in text
    assert "hx-trigger" not in text  # nothing left to poll
    assert PriceLine.objects.filter(price_list__draft=draft).count() == 5


def test_a_refused_file_shows_every_error_with_its_line_and_column(
    client, draft, people, django_capture_on_commit_callbacks
):
    client.force_login(people["broker_agent"])
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(
            client,
            draft,
            csv_bytes(GOOD_ROWS[0], "MAIL;BASE;2027-02-01;user_month;-1;mensuelle;5;0;0;non;oui;0"),
        )
    text = page_text(client.get(response["Location"]))
    assert "Fichier refusé : 1 erreur. Rien n'a été importé." in text
    negative = message(Problem.NEGATIVE_PRICE, value="-1")
    assert f"<td>3</td><td><code>prix_unitaire</code></td><td>{negative}</td>" in text
    assert PriceLine.objects.count() == 0


def test_the_page_polls_the_progress_until_the_import_is_done(client, draft, people):
    client.force_login(people["supplier_rep"])
    response = upload(client, draft, csv_bytes(*GOOD_ROWS))  # the task is not run yet
    url = response["Location"]
    page = client.get(url).content.decode()
    assert 'hx-trigger="every 1s"' in page and "<progress" in page
    price_import = PriceImport.objects.get()
    PriceImport.objects.filter(pk=price_import.pk).update(
        status="running", rows_done=520_000, rows_total=1_000_000
    )
    fragment = page_text(client.get(url, headers={"HX-Request": "true"}))
    assert fragment.lstrip().startswith('<section id="import-status"')
    assert '<progress max="100" value="52"' in fragment
    assert "hx-trigger" in fragment and "<html" not in fragment
    importing.price_import_run(import_id=price_import.pk)
    fragment = page_text(client.get(url, headers={"HX-Request": "true"}))
    assert "hx-trigger" not in fragment
    assert "5 lignes de prix importées." in fragment


def test_a_bad_upload_is_refused_on_the_form(client, draft, people):
    client.force_login(people["supplier_rep"])
    response = upload(client, draft, b"%PDF-1.4", name="prix.pdf")
    assert response.status_code == 422
    assert str(FILE_TYPE_NAMED % {"name": "prix.pdf"}) in page_text(response)
    sheet_draft_submit(by=people["supplier_rep"], draft=draft)
    response = upload(client, draft, csv_bytes(GOOD_ROWS[0]))
    assert response.status_code == 422
    assert str(DRAFT_NOT_EDITABLE) in page_text(response)
    assert PriceImport.objects.count() == 0


def test_a_file_over_the_size_limit_is_refused_before_anything_is_stored(
    client, draft, people, settings
):
    from courtier.catalogue.messages import FILE_TOO_LARGE

    settings.PRICE_FILE_MAX_BYTES = 2_000_000
    client.force_login(people["supplier_rep"])
    response = upload(client, draft, csv_bytes(GOOD_ROWS[0]) + b"\n" * 2_000_001)
    assert response.status_code == 422
    assert str(FILE_TOO_LARGE % {"max": 2}) in page_text(response)
    assert PriceImport.objects.count() == 0


def test_another_suppliers_representative_sees_neither_page(client, orgs, people, draft):
    client.force_login(people["supplier_rep"])
    response = upload(client, draft, csv_bytes(GOOD_ROWS[0]))
    detail = response["Location"]
    other = make_rep(orgs["supplier_other"])
    client.force_login(other)
    assert client.get(reverse("catalogue:price_import_new", args=[draft.pk])).status_code == 404
    assert upload(client, draft, csv_bytes(GOOD_ROWS[0])).status_code == 404
    assert client.get(detail).status_code == 404
    client.force_login(people["client_procurement"])
    assert client.get(detail).status_code == 404


def make_rep(supplier):
    from tests.factories import make_person

    return make_person(supplier, "supplier_rep")


def test_the_database_worker_runs_an_uploaded_import_and_commits_its_progress(
    transactional_db, orgs, people, settings, monkeypatch
):
    # Outside any test transaction, as in production: the first pass commits its progress as
    # it goes (the page reads it from another connection), the lines arrive in one commit.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    monkeypatch.setattr(importing, "BATCH_ROWS", 2)
    monkeypatch.setattr(importing, "PROGRESS_SECONDS", 0)
    # An earlier transactional test may have emptied the tables the migrations filled.
    Category.objects.get_or_create(
        code="courriel",
        defaults={"family": "collaboration", "name": "Courriel", "name_en": "Email"},
    )
    rep = people["supplier_rep"]
    draft = sheet_draft_create(by=rep, supplier=orgs["supplier"])
    sheet_draft_update(
        by=rep,
        draft=draft,
        content=content(offer("MAIL", "Courriel infonuagique"), offer("VISIO", "Visioconférence")),
    )
    created = price_import_create(
        by=rep, draft=draft, name="prix.csv", stream=io.BytesIO(csv_bytes(*GOOD_ROWS))
    )
    seen: list[int] = []
    real_update = importing._Tracker.update

    def spy(self, rows, total, position, *, final=False):
        real_update(self, rows, total, position, final=final)
        seen.append(PriceImport.objects.get(pk=created.pk).rows_done)

    monkeypatch.setattr(importing._Tracker, "update", spy)
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    created.refresh_from_db()
    assert created.status == ImportStatus.SUCCEEDED
    assert seen == [2, 4, 5]
    assert PriceLine.objects.filter(price_list__draft=draft).count() == 5


# --- the limits (issue 11 §3): refused before any cell is read ---------------------------------


def workbook(sheet_xml: bytes | None = None, **parts: bytes) -> bytes:
    """A real workbook (openpyxl) with its first sheet's XML (and any part) replaced."""
    import zipfile

    book = Workbook()
    book.active.append(HEADER.split(";"))
    out = io.BytesIO()
    book.save(out)
    replaced = {**parts}
    if sheet_xml is not None:
        replaced["xl/worksheets/sheet1.xml"] = sheet_xml
    source, result = zipfile.ZipFile(io.BytesIO(out.getvalue())), io.BytesIO()
    with source, zipfile.ZipFile(result, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            target.writestr(entry.filename, replaced.pop(entry.filename, source.read(entry)))
        for name, body in replaced.items():
            target.writestr(name, body)
    return result.getvalue()


def sheet(rows: list[list[str]], dimension: str | None = None, start: int = 1) -> bytes:
    """A sheet's XML with inline strings, rows numbered from ``start`` (the header first)."""
    from openpyxl.utils import get_column_letter

    body = []
    for number, cells in enumerate(rows, start=start):
        row = "".join(
            f'<c r="{get_column_letter(i)}{number}" t="inlineStr"><is><t>{v}</t></is></c>'
            for i, v in enumerate(cells, start=1)
        )
        body.append(f'<row r="{number}">{row}</row>')
    ref = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org'
        f'/spreadsheetml/2006/main">{ref}<sheetData>{"".join(body)}</sheetData></worksheet>'
    ).encode()


def refused_upload(draft, by, data: bytes, name: str = "prix.xlsx") -> list[str]:
    """An upload refused before anything is kept: its messages."""
    with pytest.raises(ValidationError) as excinfo:
        run(draft, by, data, name=name)
    assert PriceImport.objects.count() == 0 and StoredFile.objects.count() == 0
    return excinfo.value.message_dict["file"]


def test_an_xlsx_that_inflates_far_beyond_its_size_is_refused_before_it_is_kept(draft, people):
    # The 5 MB file inflating to 2 GB, here 2 GB declared by a file of under 1 KB.
    from tests.files.samples import zip_bomb_by_ratio, zip_bomb_by_size

    expected = inspection.ZIP_RATIO % {"name": "prix.xlsx", "max": 200}
    assert refused_upload(draft, people["supplier_rep"], zip_bomb_by_ratio(30)) == [expected]
    bomb = zip_bomb_by_size(2048)
    assert len(bomb) < 1000
    assert refused_upload(draft, people["supplier_rep"], bomb) == [expected]


def test_an_xlsx_declaring_more_than_the_total_limit_is_refused(draft, people, settings):
    from tests.files.samples import zip_bomb_by_size

    settings.PRICE_FILE_MAX_RATIO = 10**9  # only the total is too much
    bomb = zip_bomb_by_size(1025)
    messages = refused_upload(draft, people["supplier_rep"], bomb, name="prix.xlsx")
    assert messages == [inspection.ZIP_TOO_LARGE % {"name": "prix.xlsx", "max": 1024}]


def test_a_sheet_declaring_a_million_rows_by_16384_columns_is_refused_from_its_dimension(
    draft, people
):
    data = workbook(sheet([HEADER.split(";")], dimension="A1:XFD1048576"))
    assert len(data) < 8000
    problem = message(
        Problem.SHEET_TOO_LARGE,
        rows=1048576,
        columns=16384,
        max_rows=1_000_000,
        max_columns=32,
    )
    assert refused_upload(draft, people["supplier_rep"], data) == [f"« prix.xlsx » : {problem}"]


def test_a_macro_enabled_or_spoofed_price_file_is_refused(draft, people):
    from tests.files.samples import image, ooxml

    rep = people["supplier_rep"]
    assert refused_upload(draft, rep, ooxml("xlsm"), name="prix.xlsm") == [
        inspection.MACROS % {"name": "prix.xlsm"}
    ]
    assert refused_upload(draft, rep, image(), name="prix.csv") == [
        inspection.SPOOFED % {"name": "prix.csv", "found": "PNG", "extension": "csv"}
    ]


def test_an_oversized_shared_strings_part_is_refused_before_openpyxl_reads_it(
    draft, people, settings
):
    settings.PRICE_FILE_MAX_SHARED_STRINGS_MB = 1
    strings = "<sst>" + "".join(f"<si><t>{n * 7919}</t></si>" for n in range(70_000)) + "</sst>"
    data = workbook(**{"xl/sharedStrings.xml": strings})
    problem = message(Problem.PART_TOO_LARGE, part="xl/sharedStrings.xml", max=1)
    assert refused_upload(draft, people["supplier_rep"], data) == [f"« prix.xlsx » : {problem}"]


@pytest.mark.parametrize("dimension", [None, "A1:L3"], ids=["absent", "lying"])
def test_rows_beyond_the_cap_stop_the_import_whatever_the_dimension_says(
    draft, people, settings, dimension
):
    settings.PRICE_FILE_MAX_ROWS = 3
    rows = [HEADER.split(";"), *[GOOD_ROWS[0].split(";")] * 5]
    result = run(draft, people["supplier_rep"], workbook(sheet(rows, dimension)), name="prix.xlsx")
    assert result.status == ImportStatus.FAILED
    assert result.errors == [
        {"line": 5, "column": "", "message": message(Problem.TOO_MANY_ROWS, max=3)}
    ]
    assert result.rows_done == 0  # no cell was checked


def test_a_row_numbered_far_away_or_a_cell_beyond_the_columns_is_refused(draft, people):
    far = sheet([HEADER.split(";")]).replace(
        b"</sheetData>", b'<row r="1048576"><c r="A1048576"><v>1</v></c></row></sheetData>'
    )
    result = run(draft, people["supplier_rep"], workbook(far), name="prix.xlsx")
    assert result.errors[0]["message"] == message(Problem.TOO_MANY_ROWS, max=1_000_000)
    wide = sheet([HEADER.split(";")]).replace(
        b"</row>", b'<c r="XFD1" t="inlineStr"><is><t>x</t></is></c></row>'
    )
    result = run(draft, people["supplier_rep"], workbook(wide), name="prix.xlsx")
    assert result.errors[0]["message"] == message(Problem.TOO_MANY_COLUMNS, line=1, max=32)


def test_a_csv_file_beyond_the_row_cap_or_with_an_endless_line_is_refused(draft, people, settings):
    settings.PRICE_FILE_MAX_ROWS = 3
    result = run(draft, people["supplier_rep"], csv_bytes(*[GOOD_ROWS[0]] * 5))
    assert result.errors == [
        {"line": 5, "column": "", "message": message(Problem.TOO_MANY_ROWS, max=3)}
    ]
    endless = csv_bytes(GOOD_ROWS[0] + ";" + "x" * 100_001)
    result = run(draft, people["supplier_rep"], endless)
    assert result.errors[0]["message"] == message(Problem.LINE_TOO_LONG, line=2, max=100_000)


def test_a_large_legal_workbook_is_imported_within_300_mb(draft, people):
    # An import's memory does not grow with its file (issue 11 §3), on SQLite as on PostgreSQL
    # (whichever this run uses): measured by tracemalloc (Python's allocations), kept quick.
    import tracemalloc

    rows = [HEADER.split(";")] + [
        ["MAIL", "BASE", "2027-02-01", "user_month", "12,50", "mensuelle", str(tier)]
        for tier in range(8_000)
    ]
    data = workbook(sheet(rows))
    tracemalloc.start()
    try:
        result = run(draft, people["supplier_rep"], data, name="prix.xlsx")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.status == ImportStatus.SUCCEEDED, result.errors[:3]
    assert result.lines_imported == 8_000
    assert peak < 300 * 1024 * 1024


# --- an import that cannot end by itself (issue 11 §3) -------------------------------------------


def test_an_import_whose_worker_died_ends_as_failed_when_its_page_is_read(client, draft, people):
    from datetime import timedelta

    from django.utils import timezone

    from courtier.catalogue.pricefile.messages import STALLED

    client.force_login(people["supplier_rep"])
    response = upload(client, draft, csv_bytes(*GOOD_ROWS))  # queued, the task not run
    price_import = PriceImport.objects.get()
    long_ago = timezone.now() - timedelta(minutes=16)
    PriceImport.objects.filter(pk=price_import.pk).update(
        status=ImportStatus.RUNNING, started_at=long_ago, progress_at=long_ago, rows_done=2
    )
    text = page_text(client.get(response["Location"]))
    price_import.refresh_from_db()
    assert price_import.status == ImportStatus.FAILED
    assert price_import.finished_at is not None
    stalled = STALLED % {"minutes": 15}
    assert price_import.errors == [{"line": 0, "column": "", "message": stalled}]
    assert stalled in text and "hx-trigger" not in text
    assert AuditEvent.objects.filter(action="price_import.failed").count() == 1


def test_a_recent_running_import_is_left_running(client, draft, people):
    from django.utils import timezone

    client.force_login(people["supplier_rep"])
    response = upload(client, draft, csv_bytes(*GOOD_ROWS))
    PriceImport.objects.update(status=ImportStatus.RUNNING, progress_at=timezone.now())
    assert "hx-trigger" in page_text(client.get(response["Location"]))
    call_command("reap-imports", stdout=io.StringIO())
    assert PriceImport.objects.get().status == ImportStatus.RUNNING


def test_an_import_whose_task_failed_is_ended_by_the_reaping_command(draft, people, settings):
    from django_tasks_db.models import DBTaskResult

    from courtier.catalogue.pricefile.messages import WORKER_FAILED
    from courtier.catalogue.pricefile.tasks import run_price_import

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    created = price_import_create(
        by=people["supplier_rep"],
        draft=draft,
        name="prix.csv",
        stream=io.BytesIO(csv_bytes(*GOOD_ROWS)),
        in_background=False,
    )
    task = run_price_import.enqueue(import_id=created.pk)
    DBTaskResult.objects.filter(id=task.id).update(status="FAILED")
    PriceImport.objects.filter(pk=created.pk).update(task_id=str(task.id))
    out = io.StringIO()
    call_command("reap-imports", stdout=out)
    created.refresh_from_db()
    assert created.status == ImportStatus.FAILED
    assert created.errors[0]["message"] == str(WORKER_FAILED)
    assert f"n° {created.pk}" in out.getvalue()


READ_IN_A_CHILD = r"""
import re, sys
from courtier.catalogue.pricefile import reader
with open(sys.argv[1], "rb") as stream:
    source = reader.open_rows(stream)
    rows = sum(1 for _ in source.rows)
# VmHWM: this process's own peak (ru_maxrss would count the forked test runner's before exec).
with open("/proc/self/status") as status:
    print(rows, re.search(r"VmHWM:\s+(\d+)", status.read()).group(1))
"""


def test_reading_a_large_workbook_keeps_a_process_under_300_mb(tmp_path):
    # The reader's peak resident memory (a fresh process: nothing else counted) on a workbook
    # of 60 000 rows, its sheet's XML about 30 MB: the memory does not follow the file's size.
    import subprocess
    import sys
    import zipfile

    rows = [HEADER.split(";")] + [
        ["MAIL", "BASE", "2027-02-01", "user_month", "12,50", "mensuelle", str(n), "0", "0"]
        for n in range(60_000)
    ]
    path = tmp_path / "prix.xlsx"
    path.write_bytes(workbook(sheet(rows)))
    with zipfile.ZipFile(path) as archive:
        assert archive.getinfo("xl/worksheets/sheet1.xml").file_size > 25_000_000
    done = subprocess.run(
        [sys.executable, "-c", READ_IN_A_CHILD, str(path)],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    count, peak_kb = map(int, done.stdout.split())
    assert count == 60_001
    assert peak_kb < 300 * 1024  # VmHWM is in kilobytes
