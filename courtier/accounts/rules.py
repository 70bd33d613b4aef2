"""Who may hold which role, and what each role may do (DOMAIN §1). Pure: no ORM.

The values are the string values of ``OrganisationKind`` and ``Role`` in models.py; they are
repeated here as plain strings so that this module stays importable without Django.
"""

from enum import StrEnum


class Kind(StrEnum):
    BROKER = "broker"
    CLIENT = "client"
    SUPPLIER = "supplier"
    PROVIDER = "provider"
    GROUP_PURCHASER = "group_purchaser"


class R(StrEnum):
    BROKER_ADMIN = "broker_admin"
    BROKER_AGENT = "broker_agent"
    CLIENT_PROCUREMENT = "client_procurement"
    CLIENT_HEAD = "client_head"
    CLIENT_FINANCE = "client_finance"
    CLIENT_SIGNATORY = "client_signatory"
    SUPPLIER_REP = "supplier_rep"
    PROVIDER_REP = "provider_rep"
    AUDITOR = "auditor"


class Perm(StrEnum):
    """Capabilities a role grants inside (or, for broker staff, across) organisations."""

    SEE_ALL_ORGANISATIONS = "see_all_organisations"  # broker staff see every organisation
    DECIDE_ACCESS_REQUESTS = "decide_access_requests"
    MANAGE_ORGANISATIONS = "manage_organisations"
    MANAGE_CALENDAR = "manage_calendar"
    VIEW_AUDIT = "view_audit"
    USE_API = "use_api"  # create personal API tokens
    WRITE = "write"  # any state change at all (the auditor has none)
    # The Catalogue is for representatives of public bodies and the broker (002 §2.1).
    BROWSE_CATALOGUE = "browse_catalogue"
    PUBLISH_CATALOGUE = "publish_catalogue"  # review and publish sheets, agreements, documents
    PROPOSE_SHEET = "propose_sheet"  # a supplier proposes changes to its own sheet
    # Acquisition files (DOMAIN §3): clients run their own; the broker convenes the startup
    # meeting and freezes the strategy; suppliers answer the questions addressed to them.
    RUN_ACQUISITIONS = "run_acquisitions"
    MANAGE_ACQUISITIONS = "manage_acquisitions"
    ANSWER_QUESTIONS = "answer_questions"
    # Service acquisitions (DOMAIN §4): a solicited provider asks questions, responds, returns
    # its non-participation questionnaire.
    RESPOND_PRICE_REQUESTS = "respond_price_requests"
    # The broker's records (DOMAIN §7): retention, legal holds, disposals, documents requested.
    MANAGE_RECORDS = "manage_records"
    # The broker's fees (DOMAIN §6): its admin keeps the fee grid; its staff bill the fees,
    # record payments and credit notes; suppliers and providers file quarterly reports.
    MANAGE_FEE_GRID = "manage_fee_grid"
    BILL_FEES = "bill_fees"
    FILE_ACQUISITION_REPORTS = "file_acquisition_reports"


_CLIENT_ROLES = frozenset(
    {R.CLIENT_PROCUREMENT, R.CLIENT_HEAD, R.CLIENT_FINANCE, R.CLIENT_SIGNATORY, R.AUDITOR}
)

# DOMAIN §1: roles inside the broker, a client body, a supplier, a provider. A group purchaser
# runs acquisitions for its members like a client does, so it holds the client roles.
ROLES_BY_KIND: dict[Kind, frozenset[R]] = {
    Kind.BROKER: frozenset({R.BROKER_ADMIN, R.BROKER_AGENT, R.AUDITOR}),
    Kind.CLIENT: _CLIENT_ROLES,
    Kind.GROUP_PURCHASER: _CLIENT_ROLES,
    Kind.SUPPLIER: frozenset({R.SUPPLIER_REP}),
    Kind.PROVIDER: frozenset({R.PROVIDER_REP}),
}

_BROKER_STAFF = {
    Perm.SEE_ALL_ORGANISATIONS,
    Perm.VIEW_AUDIT,
    Perm.USE_API,
    Perm.WRITE,
    Perm.BROWSE_CATALOGUE,
}
_CATALOGUE_EDITOR = {
    Perm.PUBLISH_CATALOGUE,
    Perm.PROPOSE_SHEET,
    Perm.MANAGE_ACQUISITIONS,
    Perm.MANAGE_RECORDS,
}
_CLIENT = {Perm.BROWSE_CATALOGUE, Perm.WRITE, Perm.RUN_ACQUISITIONS}

ROLE_PERMISSIONS: dict[R, frozenset[Perm]] = {
    R.BROKER_ADMIN: frozenset(
        _BROKER_STAFF
        | _CATALOGUE_EDITOR
        | {
            Perm.DECIDE_ACCESS_REQUESTS,
            Perm.MANAGE_ORGANISATIONS,
            Perm.MANAGE_CALENDAR,
            Perm.MANAGE_FEE_GRID,
            Perm.BILL_FEES,
        }
    ),
    R.BROKER_AGENT: frozenset(
        _BROKER_STAFF | _CATALOGUE_EDITOR | {Perm.DECIDE_ACCESS_REQUESTS, Perm.BILL_FEES}
    ),
    R.CLIENT_PROCUREMENT: frozenset(_CLIENT | {Perm.USE_API}),
    R.CLIENT_HEAD: frozenset(_CLIENT),
    R.CLIENT_FINANCE: frozenset(_CLIENT | {Perm.USE_API}),
    R.CLIENT_SIGNATORY: frozenset(_CLIENT - {Perm.RUN_ACQUISITIONS}),
    # Suppliers and providers see only their own data (DOMAIN §1), not the Catalogue.
    R.SUPPLIER_REP: frozenset(
        {
            Perm.USE_API,
            Perm.WRITE,
            Perm.PROPOSE_SHEET,
            Perm.ANSWER_QUESTIONS,
            Perm.FILE_ACQUISITION_REPORTS,
        }
    ),
    R.PROVIDER_REP: frozenset(
        {Perm.USE_API, Perm.WRITE, Perm.RESPOND_PRICE_REQUESTS, Perm.FILE_ACQUISITION_REPORTS}
    ),
    # Read-only: sees what its organisation sees (everything for the broker's), changes nothing.
    R.AUDITOR: frozenset({Perm.VIEW_AUDIT, Perm.SEE_ALL_ORGANISATIONS, Perm.BROWSE_CATALOGUE}),
}


# The client roles that run a body's acquisitions (Perm.RUN_ACQUISITIONS), in the table's order:
# whom the later steps of a contract await (its SEAO sheet, exit plan, evaluations).
ACQUISITION_RUNNERS: tuple[R, ...] = tuple(
    role for role, perms in ROLE_PERMISSIONS.items() if Perm.RUN_ACQUISITIONS in perms
)


def role_allowed_for_kind(role: str, kind: str) -> bool:
    """Whether an organisation of ``kind`` can have a member with ``role`` (DOMAIN §1)."""
    try:
        return R(role) in ROLES_BY_KIND[Kind(kind)]
    except ValueError:
        return False


def permissions_for(role: str, kind: str) -> frozenset[Perm]:
    """Capabilities of one membership. Broker-wide powers only hold inside the broker."""
    if not role_allowed_for_kind(role, kind):
        return frozenset()
    perms = ROLE_PERMISSIONS[R(role)]
    if Kind(kind) is not Kind.BROKER:
        perms = perms - {
            Perm.SEE_ALL_ORGANISATIONS,
            Perm.DECIDE_ACCESS_REQUESTS,
            Perm.MANAGE_ORGANISATIONS,
            Perm.MANAGE_CALENDAR,
            Perm.PUBLISH_CATALOGUE,
            Perm.MANAGE_ACQUISITIONS,
            Perm.MANAGE_RECORDS,
            Perm.MANAGE_FEE_GRID,
            Perm.BILL_FEES,
        }
    return perms


class OrganisationProblem(StrEnum):
    ELIGIBILITY_REQUIRED = "eligibility_required"
    ELIGIBILITY_ONLY_FOR_CLIENTS = "eligibility_only_for_clients"
    RCTI_ONLY_FOR_CLIENTS = "rcti_only_for_clients"


def organisation_problems(
    kind: str, eligibility_category: str, subject_to_rcti: bool
) -> dict[str, OrganisationProblem]:
    """Field -> problem. Only public bodies have an eligibility category (004 §2.4) and only they
    can be subject to the RCTI (DOMAIN §1); a client body always has a category."""
    problems: dict[str, OrganisationProblem] = {}
    is_client_like = kind in {Kind.CLIENT, Kind.GROUP_PURCHASER}
    if kind == Kind.CLIENT and not eligibility_category:
        problems["eligibility_category"] = OrganisationProblem.ELIGIBILITY_REQUIRED
    if not is_client_like and eligibility_category:
        problems["eligibility_category"] = OrganisationProblem.ELIGIBILITY_ONLY_FOR_CLIENTS
    if not is_client_like and subject_to_rcti:
        problems["subject_to_rcti"] = OrganisationProblem.RCTI_ONLY_FOR_CLIENTS
    return problems
