"""The demo evaluations (`courtier demo`, issue 14 §2 « Done when »: the demo has an evaluation
campaign): Boréale's annual campaign, on the published grid, with the Ministère de
l'Enseignement supérieur's request open and awaiting its people — seen by the client and the
broker, never by Boréale."""

from __future__ import annotations

import pytest
from django.utils import timezone

from courtier.accounts.models import User
from courtier.calendar import selectors as calendar
from courtier.contracts.demo import IN_FORCE_TITLE
from courtier.contracts.models import Contract
from courtier.core import workitems
from courtier.evaluations import demo, selectors
from courtier.evaluations.models import Campaign, CampaignState, GridVersion, RequestState

CLIENT = "acquisitions@mes.example"
SUPPLIER = "representant@boreales.example"


def boreale_campaign() -> Campaign:
    contract = Contract.objects.get(title=IN_FORCE_TITLE)
    return Campaign.objects.get(supplier=contract.supplier)


@pytest.mark.usefixtures("loaded")
class TestTheDemoEvaluations:
    def test_the_demo_holds_boreale_s_open_campaign_on_the_published_grid(self):
        campaign = boreale_campaign()
        assert campaign.state == CampaignState.OPEN and campaign.year == 2026
        assert campaign.grid == GridVersion.objects.get(number=1)
        assert sum(c.weight for c in campaign.grid.criteria.all()) == 100
        assert campaign.due_on == calendar.business_days_after(
            timezone.localdate(), demo.DUE_IN_BUSINESS_DAYS
        )
        assert calendar.is_business_day(campaign.due_on)

    def test_the_ministere_s_request_is_open_and_awaits_its_people(self):
        campaign = boreale_campaign()
        contract = Contract.objects.get(title=IN_FORCE_TITLE)
        request = campaign.requests.get(client=contract.client)
        assert request.state == RequestState.OPEN
        assert contract in request.contracts.all()
        officer = User.objects.get(email=CLIENT)
        keys = {i.key for i in workitems.items_for(officer)}
        assert f"evaluations.request:{request.pk}" in keys

    def test_the_client_and_the_broker_see_it_and_boreale_nothing(self):
        campaign = boreale_campaign()
        officer = User.objects.get(email=CLIENT)
        assert campaign.requests.filter(pk__in=selectors.requests_for(officer)).exists()
        assert (
            selectors.campaigns_for(User.objects.get(email=demo.BROKER))
            .filter(pk=campaign.pk)
            .exists()
        )
        representative = User.objects.get(email=SUPPLIER)
        assert not selectors.requests_for(representative).exists()
        assert not selectors.campaigns_for(representative).exists()

    def test_loading_the_evaluations_again_changes_nothing(self):
        before = Campaign.objects.count(), GridVersion.objects.count()
        demo.load()
        assert (Campaign.objects.count(), GridVersion.objects.count()) == before
