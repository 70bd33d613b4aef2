"""Fields of API requests. PostgreSQL stores no NUL character (U+0000), in text or in JSON, and
no database stores a lone UTF-16 surrogate (``"\\ud800"`` is valid JSON but no UTF-8), so every
request's text refuses both with a French message naming the field (a 422, never a 500).
Numbers are strict (``true`` is no number of months) and dates bounded, with the limits and
messages the pages use (core.validation). Answers are not checked: what was stored is shown as
it is."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from typing import Annotated, Any

from django.utils.translation import gettext_lazy as _
from ninja import Schema
from pydantic import AfterValidator, Field, Strict, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from courtier.core.validation import (
    DATE_MAX,
    DATE_MIN,
    DATE_OUT_OF_RANGE,
    LONE_SURROGATE,
    date_in_range,
    has_lone_surrogate,
)

NUL_CHARACTER = _("Le caractère nul (U+0000) n'est pas permis.")


def answering(info: ValidationInfo | None) -> bool:
    """Whether an answer is being checked rather than a request."""
    return info is not None and "response_status" in (info.context or {})


def no_nul(value: str, info: ValidationInfo | None = None) -> str:
    """Refuse the NUL character and lone surrogates in a request."""
    if answering(info):
        return value
    if "\x00" in value:
        raise PydanticCustomError("nul_character", str(NUL_CHARACTER))
    if has_lone_surrogate(value):
        raise PydanticCustomError("lone_surrogate", str(LONE_SURROGATE))
    return value


Str = Annotated[str, AfterValidator(no_nul)]


def _bounded_date(value: date | None, info: ValidationInfo | None = None) -> date | None:
    if value is not None and not answering(info) and not date_in_range(value):
        raise PydanticCustomError("date_range", str(DATE_OUT_OF_RANGE))
    return value


# A date a person sends: between DATE_MIN and DATE_MAX, as on the pages.
ApiDate = Annotated[
    date,
    AfterValidator(_bounded_date),
    Field(
        json_schema_extra={
            "formatMinimum": DATE_MIN.isoformat(),
            "formatMaximum": DATE_MAX.isoformat(),
        }
    ),
]


def _bounded_datetime(value: datetime | None, info: ValidationInfo | None = None) -> Any:
    if value is not None and not answering(info) and not date_in_range(value.date()):
        raise PydanticCustomError("date_range", str(DATE_OUT_OF_RANGE))
    return value


ApiDateTime = Annotated[datetime, AfterValidator(_bounded_datetime)]
# A whole number in a JSON body: a JSON number without decimals, never ``true`` nor ``"12"``.
StrictInt = Annotated[int, Strict()]


def surrogate_fields(value: Any, path: str = "") -> Iterator[str]:
    """The paths (``answers.risks``, ``lines[2].code``) of a parsed JSON body's lone surrogates,
    in keys as in values."""
    if isinstance(value, str):
        if has_lone_surrogate(value):
            yield path or "body"
    elif isinstance(value, dict):
        for key, item in value.items():
            name = str(key)
            if has_lone_surrogate(name):
                yield path or "body"
                continue
            yield from surrogate_fields(item, f"{path}.{name}" if path else name)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from surrogate_fields(item, f"{path}[{index}]")


class NulFree(Schema):
    """A request body whose every text field refuses the NUL character."""

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul_anywhere(cls, value: Any, info: ValidationInfo) -> Any:
        if isinstance(value, str):
            no_nul(value, info)
        return value
