"""Text fields of API requests: PostgreSQL stores no NUL character (U+0000), in text or in JSON,
so every request's text refuses it with a French message naming the field (a 422, never a
500). Answers are not checked: what was stored is shown as it is."""

from __future__ import annotations

from typing import Annotated, Any

from django.utils.translation import gettext_lazy as _
from ninja import Schema
from pydantic import AfterValidator, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

NUL_CHARACTER = _("Le caractère nul (U+0000) n'est pas permis.")


def answering(info: ValidationInfo | None) -> bool:
    """Whether an answer is being checked rather than a request."""
    return info is not None and "response_status" in (info.context or {})


def no_nul(value: str, info: ValidationInfo | None = None) -> str:
    """Refuse the NUL character in a request."""
    if "\x00" in value and not answering(info):
        raise PydanticCustomError("nul_character", str(NUL_CHARACTER))
    return value


Str = Annotated[str, AfterValidator(no_nul)]


class NulFree(Schema):
    """A request body whose every text field refuses the NUL character."""

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul_anywhere(cls, value: Any, info: ValidationInfo) -> Any:
        if isinstance(value, str):
            no_nul(value, info)
        return value
