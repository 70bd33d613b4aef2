"""The registries through which the apps after the contract (issue 14) reach lower pages without
being imported by them: a supplier's standing on the candidates' lists (``core.standing``) and
the links that follow a contract on its page (``core.related``)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from django.template import Context, Template

from courtier.core import navigation, related, standing


@pytest.fixture
def clean_standing(monkeypatch):
    monkeypatch.setattr(standing, "_CONTRIBUTORS", {})


@pytest.fixture
def clean_related(monkeypatch):
    monkeypatch.setattr(related, "_CONTRIBUTORS", {})


def test_each_organisation_gets_every_contributor_s_lines_in_order(clean_standing):
    standing.contributor("evaluations")(lambda ids, viewer: {1: [standing.Line("Note", "4,2")]})
    standing.contributor("complaints")(
        lambda ids, viewer: {1: [standing.Line("Plaintes", "2", warning=True)], 99: []}
    )
    lines = standing.standings([2, 1, 1], viewer=None)
    assert lines == {
        1: [standing.Line("Note", "4,2"), standing.Line("Plaintes", "2", warning=True)],
        2: [],
    }


def test_a_contributor_is_asked_once_for_every_organisation_of_the_list(clean_standing):
    asked = []
    standing.contributor("counting")(lambda ids, viewer: asked.append(list(ids)) or {})
    standing.standings([3, 1, 2], viewer=None)
    assert asked == [[1, 2, 3]]


def test_no_organisation_asks_nobody(clean_standing):
    standing.contributor("failing")(lambda ids, viewer: pytest.fail("asked"))
    assert standing.standings([], viewer=None) == {}


def test_the_standing_tag_shows_the_lines_and_marks_warnings():
    lines = {7: [standing.Line("Plaintes ouvertes", "1", warning=True, url="/plaintes/")]}
    html = Template("{% load standing %}{% standing_of lines 7 %}{% standing_of lines 8 %}").render(
        Context({"lines": lines})
    )
    assert 'class="standing-warning"' in html
    assert '<a href="/plaintes/">Plaintes ouvertes</a>' in html
    assert html.count("<ul") == 1


def test_links_are_given_for_the_model_they_were_registered_for(clean_related):
    contract = SimpleNamespace(_meta=SimpleNamespace(label_lower="contracts.contract"))
    other = SimpleNamespace(_meta=SimpleNamespace(label_lower="catalogue.offer"))
    related.contributor("Contracts.Contract", "exit")(
        lambda obj, user: [related.Link("Plan de transition", "/transition/1/", "Soumis")]
    )
    assert related.links_for(contract, user=None) == [
        related.Link("Plan de transition", "/transition/1/", "Soumis")
    ]
    assert related.links_for(other, user=None) == []


def test_the_related_tag_lists_the_links_for_the_signed_in_person(clean_related):
    contract = SimpleNamespace(_meta=SimpleNamespace(label_lower="contracts.contract"))
    related.contributor("contracts.contract", "seao")(
        lambda obj, user: [related.Link("Fiche SEAO", "/publication/1/")] if user else []
    )
    template = Template("{% load related %}{% related_links contract %}")
    signed_in = template.render(
        Context({"contract": contract, "request": SimpleNamespace(user="someone")})
    )
    assert '<a href="/publication/1/">Fiche SEAO</a>' in signed_in
    assert template.render(Context({"contract": contract})).strip() == ""


def test_every_menu_entry_an_app_declares_has_its_line_in_the_menu():
    """An app's ``navigation.entry`` is shown only by a line of base.html reading ``nav.<key>``:
    an entry without one would never reach the menu."""
    base = Path(navigation.__file__).parent / "templates" / "base.html"
    text = base.read_text(encoding="utf-8")
    missing = [key for key in navigation._ENTRIES if f"nav.{key} " not in text]
    assert "complaints" in navigation._ENTRIES  # the apps' entries are registered
    assert missing == []
