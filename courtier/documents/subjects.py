"""What documents belong to: each app registers the models its documents are attached to, with
how to find the object's owner organisation, the end of the contract its documents' retention
counts from (DOMAIN §7), its label and its page. The store knows no app: apps call it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model


def _no_end(obj: Any) -> date | None:
    return None


def _no_url(obj: Any) -> str:
    return ""


@dataclass(frozen=True)
class Subject:
    model: type[Model]
    owner_id: Callable[[Any], int]  # the organisation whose record the object's documents are
    # The end of the contract the object's documents' retention counts from; None while unknown
    # (the date moves when that event moves: a contract's end, an abandoned file's closing).
    contract_end: Callable[[Any], date | None] = _no_end
    url: Callable[[Any], str] = _no_url  # the object's page (its documents panel)
    # Who may attach a document to it: by default whoever may change the object.
    may_attach: Callable[[Any, Any], bool] | None = None


_SUBJECTS: dict[type[Model], Subject] = {}


def register(subject: Subject) -> None:
    if subject.model in _SUBJECTS and _SUBJECTS[subject.model] != subject:
        raise LookupError(f"{subject.model.__name__} is a document subject already")
    _SUBJECTS[subject.model] = subject


def registered() -> list[Subject]:
    return sorted(_SUBJECTS.values(), key=lambda s: s.model._meta.label)


def of(obj_or_model: Any) -> Subject:
    model = obj_or_model if isinstance(obj_or_model, type) else type(obj_or_model)
    model = model._meta.concrete_model
    try:
        return _SUBJECTS[model]
    except KeyError:
        raise LookupError(f"{model.__name__} is not a document subject") from None


def content_type(obj_or_model: Any) -> ContentType:
    return ContentType.objects.get_for_model(of(obj_or_model).model)


def label(obj: Any) -> str:
    return f"{obj._meta.verbose_name} « {obj} »"
