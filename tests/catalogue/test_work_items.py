"""What the Catalogue registers as awaiting someone (catalogue/home.py, from the states of
DRAFT_WORKFLOW.awaits): a submitted proposal awaits the broker's reviewers, an open or returned
one its supplier's people."""

from __future__ import annotations

from courtier.accounts.models import Role
from courtier.catalogue.services.drafts import (
    sheet_draft_create,
    sheet_draft_return,
    sheet_draft_submit,
    sheet_draft_update,
)
from courtier.core.workitems import items_for
from tests.catalogue.factories import content, offer
from tests.factories import make_person


def keys(user) -> list[str]:
    return [i.key for i in items_for(user)]


def test_a_proposal_awaits_its_supplier_then_the_broker_then_its_supplier_again(orgs, people):
    """DOMAIN §2: the supplier proposes, the broker reviews and publishes or sends back."""
    rep, broker = people["supplier_rep"], people["broker_agent"]
    other_rep = make_person(orgs["supplier_other"], Role.SUPPLIER_REP)
    draft = sheet_draft_create(by=rep, supplier=orgs["supplier"])
    draft = sheet_draft_update(by=rep, draft=draft, content=content(offer("MAIL", "Courriel")))
    key = f"catalogue.sheet_draft:{draft.pk}"
    assert key in keys(rep)
    assert key not in keys(broker)
    assert key not in keys(other_rep)
    sheet_draft_submit(by=rep, draft=draft)
    assert key not in keys(rep)
    (item,) = [i for i in items_for(broker) if i.key == key]
    assert item.title.startswith("Examiner la proposition")
    assert key not in keys(people["broker_auditor"])
    sheet_draft_return(by=broker, draft=draft, comment="Précisez les prix.")
    assert key not in keys(broker)
    (item,) = [i for i in items_for(rep) if i.key == key]
    assert item.title.startswith("Corriger la proposition renvoyée")
