"""Who sees and changes acquisition files (DOMAIN §1 and §3): the broker's staff see all; a
client's people their body's files, and a member body's people the group purchases it takes
part in; the people who run the body's acquisitions change them; suppliers see only the
questions addressed to them, and answer them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Q

from courtier.accounts import permissions
from courtier.accounts.permissions import Grants, Policy, holding, never, register
from courtier.accounts.rules import Perm
from courtier.acquisitions.models import (
    AcquisitionFile,
    AcquisitionStrategy,
    CandidateOffer,
    ComplianceRecord,
    FinancialAuthorisation,
    HeadAuthorisation,
    MemberConsumption,
    NeedLine,
    Requirement,
    Scenario,
    ScenarioRun,
    StartupMeeting,
    SupplierQuestion,
    Trial,
)


def _files_scope(prefix: str) -> Callable[[Any, Grants], Q]:
    """Acquisition files (DOMAIN §1: clients see only their own files): the broker's staff see
    all; a client's people their body's files; a member body's people the group purchases it
    takes part in. Suppliers see none (they see the questions addressed to them)."""

    def scope(user: Any, g: Grants) -> Q:
        if g.anywhere(Perm.SEE_ALL_ORGANISATIONS):
            return Q()
        clients = g.organisations_with(Perm.BROWSE_CATALOGUE)
        return Q(**{f"{prefix}client_id__in": clients}) | Q(
            **{f"{prefix}is_group_purchase": True, f"{prefix}client__members__id__in": clients}
        )

    return scope


def _runs_file(file: Any, g: Grants) -> bool:
    return file.client_id in g.organisations_with(Perm.RUN_ACQUISITIONS)


def _file_part(field: str = "file") -> Policy:
    """A part of a file: visible with the file, changed by the people who run the file.
    ``field`` is the path to the file (``candidate__file`` for a compliance record)."""

    def file_of(obj: Any) -> Any:
        for name in field.split("__"):
            obj = getattr(obj, name)
        return obj

    return Policy(
        scope=_files_scope(f"{field}__"),
        change=lambda user, g, obj: _runs_file(file_of(obj), g),
        joins_many=True,
    )


def _read_only_part() -> Policy:
    """A part of a file written only by the services (a computed run, an authorisation...)."""
    return Policy(scope=_files_scope("file__"), change=never, joins_many=True)


def _questions_scope(user: Any, g: Grants) -> Q:
    if g.anywhere(Perm.SEE_ALL_ORGANISATIONS):
        return Q()
    return _files_scope("file__")(user, g) | Q(
        supplier_id__in=g.organisations_with(Perm.ANSWER_QUESTIONS)
    )


def may_manage(user: Any) -> bool:
    """The broker's agents convene the startup meeting and freeze the strategy (002 §2.5)."""
    g = permissions.grants(user)
    return g.anywhere(Perm.MANAGE_ACQUISITIONS) and g.anywhere(Perm.WRITE)


register(
    AcquisitionFile,
    Policy(
        scope=_files_scope(""),
        change=lambda user, g, obj: _runs_file(obj, g),
        joins_many=True,
    ),
)
register(NeedLine, _file_part())
register(
    MemberConsumption,
    Policy(
        scope=_files_scope("need__file__"),
        # A member body enters its own consumption; the group purchaser may correct it.
        change=lambda user, g, obj: (
            _runs_file(obj.need.file, g)
            or obj.member_id in g.organisations_with(Perm.RUN_ACQUISITIONS)
        ),
        joins_many=True,
    ),
)
register(Requirement, _file_part())
register(CandidateOffer, _file_part())
register(ComplianceRecord, _file_part("candidate__file"))
register(Trial, _file_part())
register(ScenarioRun, _read_only_part())
register(Scenario, _file_part())
register(HeadAuthorisation, _read_only_part())
register(FinancialAuthorisation, _read_only_part())
register(
    StartupMeeting,
    Policy(
        scope=_files_scope("file__"),
        change=holding(Perm.MANAGE_ACQUISITIONS),
        joins_many=True,
    ),
)
register(AcquisitionStrategy, _read_only_part())
register(
    SupplierQuestion,
    Policy(
        scope=_questions_scope,
        # Only the supplier it is addressed to answers it (004 §3.3.2).
        change=lambda user, g, obj: obj.supplier_id in g.organisations_with(Perm.ANSWER_QUESTIONS),
        joins_many=True,
    ),
)
