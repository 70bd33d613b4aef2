"""The demo publication (`courtier demo`, issue 14 « Done when »: a published SEAO sheet): the
Ministère de l'Enseignement supérieur's contract in force with Boréale has its SEAO sheet marked
published, every item ticked, and the list of concluded contracts names its head of organisation
as the contact, with the ministry's consent — seen by the client's people and the broker, never
by Boréale."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from courtier.accounts.models import User
from courtier.audit.models import AuditEvent
from courtier.contracts.demo import IN_FORCE_TITLE
from courtier.publication import demo, rules, selectors
from courtier.publication.models import ContactConsent, SeaoSheet
from tests.demo.loaded import MONDAY


def person(email: str) -> User:
    return User.objects.get(email=email)


@pytest.mark.usefixtures("loaded")
class TestTheDemoPublication:
    def test_the_contract_in_force_has_a_published_seao_sheet(self):
        sheet = SeaoSheet.objects.select_related("contract").get(contract__title=IN_FORCE_TITLE)
        contract = sheet.contract

        assert contract.title == IN_FORCE_TITLE and contract.subject_to_rcti
        assert sheet.is_published and sheet.notice_number == demo.NOTICE_NUMBER
        assert contract.concluded_on <= sheet.published_on <= MONDAY.date()
        assert sheet.unspsc_codes == demo.UNSPSC_CODES
        assert sheet.checklist == list(rules.CHECKLIST_KEYS)
        assert sheet.published_by == person(demo.CLIENT)
        assert (
            AuditEvent.objects.filter(
                action="seao_sheet.published", object_id=str(sheet.pk)
            ).count()
            == 1
        )

    def test_no_seao_sheet_is_still_awaited_from_the_ministry(self):
        assert selectors.sheets_to_publish(person(demo.CLIENT)) == []

    def test_the_list_names_the_head_with_the_ministrys_consent(self):
        consent = ContactConsent.objects.get()
        rows = selectors.concluded_rows(selectors.concluded_contracts(person(demo.CLIENT)))

        (row,) = [r for r in rows if r.contract.pk == consent.contract_id]
        assert consent.in_force and consent.contact == person(demo.CONTACT)
        assert row.contact_email == demo.CONTACT and row.bracket in dict(rules.BRACKETS).values()

    def test_the_broker_reads_the_list_and_boreale_may_not(self):
        assert selectors.concluded_contracts(person("agent@courtier.example")).exists()
        with pytest.raises(PermissionDenied):
            selectors.concluded_contracts(person("representant@boreales.example"))

    def test_loading_the_publication_again_changes_nothing(self):
        before = (
            SeaoSheet.objects.count(),
            ContactConsent.objects.count(),
            AuditEvent.objects.count(),
        )
        demo.load()
        assert (
            SeaoSheet.objects.count(),
            ContactConsent.objects.count(),
            AuditEvent.objects.count(),
        ) == before
