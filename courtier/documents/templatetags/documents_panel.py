"""``{% documents_panel obj %}``: the documents panel of an object's page (issue 11 §8): the
documents of that object the person may see, with their versions' downloads (through the
permission-checked view) and their disposal dates. Any app's template loads it; the app's
Python code does not depend on the document store."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import template
from django.utils import timezone

from courtier.documents import policies, subjects, types
from courtier.documents.forms import TransmissionRequestForm
from courtier.documents.selectors import documents_kept_count, documents_of
from courtier.documents.services.requests import client_of

register = template.Library()
register.filter("document_type_label", types.label_of)


def _ask_form(user: Any, obj: Any) -> TransmissionRequestForm | None:
    """For the broker's records staff, on a client's object, the form to ask the client for a
    document of it (DOMAIN §7: « sur demande »)."""
    if not policies.may_manage_records(user):
        return None
    if client_of(obj) is None:
        return None
    return TransmissionRequestForm(
        initial={
            "subject_type": subjects.content_type(obj).pk,
            "subject_id": obj.pk,
            "due_on": timezone.localdate() + timedelta(days=10),
        }
    )


def _forms_context(context: dict[str, Any]) -> dict[str, Any]:
    return {"csrf_token": context.get("csrf_token"), "request": context["request"]}


@register.inclusion_tag("documents/_panel.html", takes_context=True)
def documents_panel(
    context: dict[str, Any], obj: Any, heading: str = "", intro: str = ""
) -> dict[str, Any]:
    """``heading`` and ``intro`` name the panel on a page that says what its documents are."""
    user = context["request"].user
    documents = list(documents_of(user, obj))
    return {
        "documents": documents,
        # Kept but not for this person (confidential: DOMAIN §7): said, not shown.
        "withheld": documents_kept_count(obj) - len(documents),
        "heading": heading,
        "intro": intro,
        "may_read_records": policies.may_read_records(user),
        "ask": _ask_form(user, obj),
        **_forms_context(context),
    }


@register.inclusion_tag("documents/_ask.html", takes_context=True)
def document_request_form(context: dict[str, Any], obj: Any) -> dict[str, Any]:
    """Only the broker's form asking for a document of ``obj`` (pages that list their
    documents themselves)."""
    return {"ask": _ask_form(context["request"].user, obj), **_forms_context(context)}
