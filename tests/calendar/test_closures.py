"""The broker's closure days on top of Quebec holidays (DOMAIN §8)."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from courtier.audit.models import AuditEvent
from courtier.calendar import selectors, services
from courtier.calendar.models import ClosureDay
from tests.helpers import page_text


def test_a_closure_day_stops_counting_as_a_business_day(db):
    # Friday 2025-12-26: a business day until the broker closes it.
    assert selectors.is_business_day(date(2025, 12, 26))
    services.closure_day_add(by=None, day=date(2025, 12, 26), label="Lendemain de Noël")
    assert not selectors.is_business_day(date(2025, 12, 26))
    # 3 business days after Tuesday 2025-12-23: 24th, (25th holiday, 26th closed), 29th, 30th.
    assert selectors.business_days_after(date(2025, 12, 23), 3) == date(2025, 12, 30)


def test_a_closure_moves_the_first_business_day_of_the_month(db):
    assert selectors.first_business_day_of_month(2026, 1) == date(2026, 1, 2)
    services.closure_day_add(by=None, day=date(2026, 1, 2), label="Fermeture")
    assert selectors.first_business_day_of_month(2026, 1) == date(2026, 1, 5)


def test_adding_and_removing_are_audited(people):
    admin = people["broker_admin"]
    closure = services.closure_day_add(
        by=admin, day=date(2026, 12, 31), label="Veille du jour de l'An"
    )
    added = AuditEvent.objects.get(action="closure_day.added")
    assert added.after == {"day": "2026-12-31", "label": "Veille du jour de l'An"}
    assert added.actor_id == admin.pk
    services.closure_day_remove(by=admin, closure=closure)
    removed = AuditEvent.objects.get(action="closure_day.removed")
    assert removed.before == added.after
    assert removed.after is None
    assert not ClosureDay.objects.exists()


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (date(2026, 6, 24), services.CLOSURE_NOT_A_BUSINESS_DAY),  # Fête nationale
        (date(2026, 11, 21), services.CLOSURE_NOT_A_BUSINESS_DAY),  # a Saturday
    ],
)
def test_it_refuses_to_close_a_day_that_is_already_not_worked(db, day, message):
    with pytest.raises(ValidationError) as excinfo:
        services.closure_day_add(by=None, day=day, label="X")
    assert excinfo.value.message_dict == {"day": [str(message)]}
    assert not ClosureDay.objects.exists()


def test_it_refuses_the_same_day_twice_and_a_blank_label(db):
    services.closure_day_add(by=None, day=date(2026, 12, 31), label="X")
    with pytest.raises(ValidationError, match="déjà un jour de fermeture"):
        services.closure_day_add(by=None, day=date(2026, 12, 31), label="X")
    with pytest.raises(ValidationError, match="motif"):
        services.closure_day_add(by=None, day=date(2026, 12, 30), label="  ")
    assert ClosureDay.objects.count() == 1


def test_only_the_broker_admin_adds_closures(people):
    with pytest.raises(PermissionDenied):
        services.closure_day_add(by=people["broker_agent"], day=date(2026, 12, 31), label="X")


def test_the_calendar_page_lists_holidays_and_closures_of_the_fiscal_year(client, people):
    services.closure_day_add(by=None, day=date(2026, 12, 31), label="Veille du jour de l'An")
    client.force_login(people["client_procurement"])
    text = page_text(client.get("/calendrier/?annee=2026-2027"))
    assert "année financière 2026-2027" in text
    assert "Fête nationale du Québec" in text
    assert "Lundi de Pâques" in text  # 2027-03-29, inside 2026-2027
    assert "Veille du jour de l'An" in text
    assert "Ajouter un jour de fermeture" not in text  # not an admin


def test_the_admin_adds_a_closure_from_the_page_and_sees_french_errors(client, people):
    client.force_login(people["broker_admin"])
    response = client.post("/calendrier/", {"day": "2026-06-24", "label": "X"})
    assert response.status_code == 422
    assert str(services.CLOSURE_NOT_A_BUSINESS_DAY) in page_text(response)
    response = client.post("/calendrier/", {"day": "pas une date", "label": ""})
    assert response.status_code == 422
    assert "Saisissez une date valide." in page_text(response)
    assert not ClosureDay.objects.exists()
    response = client.post("/calendrier/", {"day": "2026-12-31", "label": "Fermeture"})
    assert response.status_code == 302
    assert response["Location"] == "/calendrier/?annee=2026-2027"
    assert ClosureDay.objects.get().day == date(2026, 12, 31)


def test_the_api_tells_business_days_and_fiscal_periods(client, people):
    client.force_login(people["supplier_rep"])
    body = client.get("/api/v1/calendar/days/2026-06-18?n=4").json()
    assert body == {
        "date": "2026-06-18",
        "is_business_day": True,
        "business_days_later": "2026-06-25",  # across the weekend and June 24
        "n": 4,
        "fiscal_year": "2026-2027",
        "fiscal_quarter": "T1 2026-2027",
    }
    response = client.get("/api/v1/calendar/fiscal-years/2026-27/non-business-days")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "label"


def test_dates_outside_the_holiday_calendar_get_a_clear_error(client, people):
    client.force_login(people["broker_admin"])
    response = client.get("/api/v1/calendar/days/2101-01-03")
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "day", "message": "Le calendrier des jours fériés couvre les années 1867 à 2100."}
    ]
    # 3,000 business days after a date of 2095 lands past 2100.
    assert client.get("/api/v1/calendar/days/2095-01-03?n=3000").status_code == 422
    response = client.post(
        "/api/v1/calendar/closure-days",
        {"day": "2101-01-03", "label": "X"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert not ClosureDay.objects.exists()
    response = client.get("/api/v1/calendar/fiscal-years/2026-27/non-business-days")
    assert (
        response.json()["errors"][0]["message"] == "Écrivez l'année financière ainsi : 2026-2027."
    )


def test_the_calendar_page_falls_back_to_the_current_year_outside_the_calendar(client, people):
    import time_machine

    client.force_login(people["client_head"])
    with time_machine.travel(date(2026, 11, 22)):
        for label in ["3000-3001", "1000-1001", "2100-2101", "n'importe quoi"]:
            response = client.get(f"/calendrier/?annee={label}")
            assert response.status_code == 200
            assert "année financière 2026-2027" in page_text(response)
