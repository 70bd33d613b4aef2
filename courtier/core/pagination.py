"""Pagination of API lists: bounded, so that no request can ask the database for more than a
page or for an offset it cannot represent."""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination, PaginationBase

PAGE_SIZE = 50
MAX_PAGE_SIZE = 500
MAX_OFFSET = 2**31 - 1


class PageInput(Schema):
    """The page asked for: at most MAX_PAGE_SIZE rows from an offset the database represents."""

    limit: int = Field(PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class Pagination(LimitOffsetPagination):
    Input = PageInput


class WindowPagination(PaginationBase):
    """A page and whether another one follows, without counting the matches: on a large
    Catalogue an exact count reads every match and costs more than the page itself. Reads one
    row past the page to fill ``has_more``."""

    Input = PageInput

    class Output(Schema):
        items: list[Any]
        limit: int
        offset: int
        has_more: bool

    def paginate_queryset(
        self, queryset: QuerySet, pagination: PageInput, request: HttpRequest, **params: Any
    ) -> dict[str, Any]:
        return page_window(queryset, limit=pagination.limit, offset=pagination.offset)


def page_window(queryset: QuerySet, *, limit: int, offset: int) -> dict[str, Any]:
    rows = list(queryset[offset : offset + limit + 1])
    return {"items": rows[:limit], "limit": limit, "offset": offset, "has_more": len(rows) > limit}
