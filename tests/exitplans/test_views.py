"""The exit plan pages through the Django test client (issue 14 §3; DOMAIN §5.9; 002 §4.9): the
client's people open and change the plan of a solutions contract from its page, a refusal (an
activity after the contract's end, an overlap too short) shown in French at its field (422) with
nothing written, a replayed form creating nothing twice; the broker takes note of it or returns
it; the outgoing supplier reads it; another client and another supplier see nothing of it. The
contract's page links to it; the ``exit-warnings`` command warns once."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from courtier.audit.models import AuditEvent
from courtier.core import related
from courtier.core.formatting import long_date
from courtier.core.replay import FORM_TOKEN_FIELD, new_form_token
from courtier.exitplans import messages
from courtier.exitplans.home import RELATED
from courtier.exitplans.models import ExitPlan, PlanState
from courtier.exitplans.services import plans as services
from tests.exitplans import factories as f
from tests.exitplans.factories import EARLY, END, INSIDE, LATE
from tests.factories import make_person
from tests.helpers import page_text, shared_world

shared, world, orgs, people = shared_world(f.world)


@pytest.fixture
def w(world):
    return world[2]


@pytest.fixture
def old(w):
    return f.contract(w, "old")


def url(contract, op: str = "") -> str:
    return f"/transition/contrats/{contract.pk}/" + (f"{op}/" if op else "")


def form_data(w, activities=INSIDE, **more) -> dict:
    data = {
        "warning_months": "9",
        "same_supplier": "0",
        "follow_up_file": str(w["follow_up"]),
        "new_contract": str(w["new"]),
    }
    for i, a in enumerate(activities):
        data |= {
            f"name_{i}": a["name"],
            f"start_{i}": a["start_on"].isoformat(),
            f"end_{i}": a["end_on"].isoformat(),
        }
    return data | more


def signed_in(client, person):
    client.force_login(person)
    return client


def test_the_client_opens_the_plan_from_the_page_in_french(w, old, people, client):
    signed_in(client, people["client_procurement"])
    page = client.get(url(old))
    assert page.status_code == 200
    text = page_text(page)
    for words in (
        "Planifier la sortie du contrat",
        "Aucun plan encore",
        "Dossier d'acquisition suivant",
        "Contrat du nouveau fournisseur",
        "avec un nouveau fournisseur",
        long_date(END),
    ):
        assert words in text
    sent = client.post(url(old, "creer"), form_data(w))
    assert sent.status_code == 302 and sent["Location"] == url(old)
    plan = ExitPlan.objects.get(contract=old)
    assert (plan.state, plan.follow_up_file_id, plan.new_contract_id) == (
        PlanState.DRAFT,
        w["follow_up"],
        w["new"],
    )
    assert plan.activities.count() == 2
    assert AuditEvent.objects.filter(action="exit_plan.created", object_id=str(plan.pk)).exists()
    text = page_text(client.get(url(old)))
    assert "En préparation par le client" in text
    assert f.file(w).reference in text and "Extraction des données" in text
    assert "122 jour(s) ensemble" in text  # the overlap, 2027-09-01 to 2027-12-31
    assert "Soumettre le plan au Courtier" in text


def test_an_activity_after_the_contract_s_end_is_refused_in_french(w, old, people, client):
    signed_in(client, people["client_procurement"])
    refused = client.post(
        url(old, "creer"), form_data(w, [LATE], same_supplier="1", new_contract="")
    )
    assert refused.status_code == 422
    message = str(messages.PROBLEMS["activity_after_contract_end"][1]).format(
        end=long_date(END), names=LATE["name"]
    )
    # The activities are rows of the form, not one field: the message heads the form.
    assert refused.context["plan_form"].non_field_errors() == [message]
    assert message in page_text(refused)
    assert not ExitPlan.objects.exists()


def test_an_overlap_too_short_is_shown_at_the_new_contract(w, old, people, client):
    signed_in(client, people["client_procurement"])
    refused = client.post(url(old, "creer"), form_data(w, [EARLY, *INSIDE]))
    assert refused.status_code == 422
    [error] = refused.context["plan_form"].errors["new_contract"]
    assert "Le parallélisme des deux contrats est trop court" in error
    assert error in page_text(refused)
    assert not ExitPlan.objects.exists()


def test_a_replayed_form_creates_nothing_twice(w, old, people, client):
    signed_in(client, people["client_procurement"])
    data = form_data(w) | {FORM_TOKEN_FIELD: new_form_token()}
    first = client.post(url(old, "creer"), data)
    again = client.post(url(old, "creer"), data)
    assert (first.status_code, again.status_code) == (302, 303)
    assert first["Location"] == again["Location"] == url(old)
    assert ExitPlan.objects.count() == 1
    assert AuditEvent.objects.filter(action="exit_plan.created").count() == 1


def test_the_client_changes_and_submits_and_the_broker_returns_then_takes_note(
    w, old, people, client
):
    runner = people["client_procurement"]
    f.new_supplier_plan(runner, w)
    signed_in(client, runner)
    changed = client.post(url(old, "modifier"), form_data(w, warning_months="12"))
    assert changed.status_code == 302
    assert ExitPlan.objects.get().warning_months == 12
    assert client.post(url(old, "soumettre")).status_code == 302
    assert "Soumettre le plan" not in page_text(client.get(url(old)))

    signed_in(client, people["broker_agent"])
    page = page_text(client.get(url(old)))
    assert "Examen par le Courtier" in page and "Soumis au Courtier" in page
    empty = client.post(url(old, "retourner"), {"comment": ""})
    assert empty.status_code == 422 and "Ce champ est obligatoire." in page_text(empty)
    returned = client.post(url(old, "retourner"), {"comment": "Ajoutez la destruction."})
    assert returned.status_code == 302
    assert "Ajoutez la destruction." in page_text(client.get(url(old)))

    signed_in(client, runner)
    assert client.post(url(old, "soumettre")).status_code == 302
    signed_in(client, people["broker_agent"])
    assert client.post(url(old, "prendre-acte")).status_code == 302
    assert ExitPlan.objects.get().state == PlanState.ACKNOWLEDGED

    signed_in(client, runner)
    first, second = ExitPlan.objects.get().activities.order_by("order")
    assert client.post(url(old, "activite-faite"), {"activity": first.pk}).status_code == 302
    refused = client.post(url(old, "terminer"))
    assert refused.status_code == 422
    assert str(messages.ACTIVITIES_NOT_DONE).format(names=second.name) in page_text(refused)
    assert client.post(url(old, "activite-faite"), {"activity": second.pk}).status_code == 302
    assert client.post(url(old, "terminer")).status_code == 302
    assert ExitPlan.objects.get().state == PlanState.COMPLETED
    assert "Transition complétée" in page_text(client.get(url(old)))


def test_a_submission_refused_is_shown_in_the_summary(w, old, people, client):
    runner = people["client_procurement"]
    services.exit_plan_create(by=runner, contract=old)
    signed_in(client, runner)
    page = page_text(client.get(url(old)))
    assert "Avant de soumettre le plan" in page
    refused = client.post(url(old, "soumettre"))
    assert refused.status_code == 422
    text = page_text(refused)
    assert "Votre demande n'a pas été faite" in text
    assert str(messages.PROBLEMS["new_contract_missing"][1]) in text
    assert ExitPlan.objects.get().state == PlanState.DRAFT


def test_outsiders_see_nothing_and_the_outgoing_supplier_reads_only(w, old, orgs, people, client):
    f.new_supplier_plan(people["client_procurement"], w)
    for outsider in (
        make_person(orgs["client_other"], "client_procurement", "autre"),
        people["supplier_rep"],  # Fournisseur D, the new supplier: not this contract's
    ):
        signed_in(client, outsider)
        assert client.get(url(old)).status_code == 404
        assert client.post(url(old, "soumettre")).status_code == 404
        assert old.reference not in page_text(client.get("/transition/"))
        assert client.get(f"/api/v1/exit-plans?contract={old.pk}").json()["items"] == []
    outgoing = make_person(orgs["supplier_other"], "supplier_rep", "sortant")
    signed_in(client, outgoing)
    page = client.get(url(old))
    assert page.status_code == 200 and "plan_form" not in page.context
    assert "Extraction des données" in page_text(page)
    assert client.post(url(old, "soumettre")).status_code == 403
    assert old.reference in page_text(client.get("/transition/"))


def test_a_services_contract_has_no_exit_plan_page(w, people, client):
    signed_in(client, people["client_procurement"])
    assert client.get(url(f.contract(w, "services"))).status_code == 404


def test_the_list_shows_each_solutions_contract_with_its_plan_and_filters(w, old, people, client):
    signed_in(client, people["client_procurement"])
    page = client.get("/transition/")
    assert page.status_code == 200
    text = page_text(page)
    assert "Transition à la sortie des contrats de solutions" in text
    assert 'href="/transition/"' in page.content.decode()  # the menu's « Transitions de sortie »
    assert old.reference in text and f.contract(w, "services").reference not in text
    assert long_date(f.WARNING_ON) in text
    f.same_supplier_plan(people["client_procurement"], w)
    rows = client.get("/transition/?etat=draft").context["rows"]
    assert [r.contract.pk for r in rows] == [old.pk]
    assert [r.contract.pk for r in client.get("/transition/?etat=none").context["rows"]] == [
        w["new"]
    ]


def test_the_contract_page_links_to_its_exit_plan_for_those_who_see_it(
    w, old, orgs, people, client
):
    def links(user) -> list[related.Link]:
        return [link for link in related.links_for(old, user) if link.label == str(RELATED)]

    (link,) = links(people["client_head"])
    assert (link.url, link.detail) == (url(old), "aucun plan encore")
    f.same_supplier_plan(people["client_procurement"], w)
    assert [link.detail for link in links(people["broker_auditor"])] == [str(PlanState.DRAFT.label)]
    assert links(people["supplier_rep"]) == []  # Fournisseur D
    assert links(make_person(orgs["client_other"], "client_procurement", "autre")) == []
    services_links = related.links_for(f.contract(w, "services"), people["client_head"])
    assert [link for link in services_links if link.label == str(RELATED)] == []
    signed_in(client, people["client_head"])
    assert url(old) in client.get(f"/contrats/{old.pk}/").content.decode()


def test_the_command_warns_once_and_refuses_a_bad_date(w, old, people, capsys, mailbox):
    call_command("exit-warnings", "--date", f.WARNING_ON.isoformat())
    assert f"1 avis de sortie envoyé(s) : {old.reference}" in capsys.readouterr().out
    call_command("exit-warnings", "--date", f.WARNING_ON.isoformat())
    assert "0 avis de sortie envoyé(s) : -" in capsys.readouterr().out
    with pytest.raises(CommandError, match="AAAA-MM-JJ"):
        call_command("exit-warnings", "--date", "31/03/2027")
    assert ExitPlan.objects.get().warned_on == f.WARNING_ON
