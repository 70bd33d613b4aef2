"""Small factories for tests: rows made directly, without audit (the setup is not under test)."""

from __future__ import annotations

import itertools

from django.contrib.auth.hashers import make_password

from courtier.accounts.models import AccessRequest, Membership, Organisation, Role, User
from tests.files import samples

PASSWORD = "Mot-de-passe-de-test-2026"


def pdf_bytes(note: str = "document de test") -> bytes:
    """A real one-page PDF (uploads are opened, so a header alone is refused); ``note`` makes
    its bytes unique (it is the PDF's title)."""
    return samples.pdf(note)


_counter = itertools.count(1)

# Person key -> (organisation key in the ``orgs`` fixture, role).
PEOPLE: dict[str, tuple[str, str]] = {
    "broker_admin": ("broker", Role.BROKER_ADMIN),
    "broker_agent": ("broker", Role.BROKER_AGENT),
    "broker_auditor": ("broker", Role.AUDITOR),
    "client_procurement": ("client", Role.CLIENT_PROCUREMENT),
    "client_head": ("client", Role.CLIENT_HEAD),
    "client_finance": ("client", Role.CLIENT_FINANCE),
    "client_signatory": ("client", Role.CLIENT_SIGNATORY),
    "client_auditor": ("client", Role.AUDITOR),
    "group_procurement": ("group", Role.CLIENT_PROCUREMENT),
    "supplier_rep": ("supplier", Role.SUPPLIER_REP),
    "provider_rep": ("provider", Role.PROVIDER_REP),
}


# (key, kind, name, subject to the RCTI) of the organisations every test may use.
ORGS: tuple[tuple[str, str, str, bool], ...] = (
    ("broker", "broker", "Courtier (test)", False),
    ("client", "client", "Ministère A", True),
    ("client_other", "client", "Organisme B", False),
    ("group", "group_purchaser", "Regroupement C", False),
    ("supplier", "supplier", "Fournisseur D", False),
    ("supplier_other", "supplier", "Fournisseur E", False),
    ("provider", "provider", "Prestataire F", False),
    ("provider_other", "provider", "Prestataire G", False),
)


def build_orgs() -> dict[str, Organisation]:
    """The broker, two client bodies (one subject to the RCTI), a group purchaser, two
    suppliers and two providers: 'own' and 'other' organisations for every kind. Made in one
    query (nearly every test needs them)."""
    rows = [
        Organisation(
            kind=kind,
            name=name,
            subject_to_rcti=rcti,
            eligibility_category="lcop_4" if kind == "client" else "",
        )
        for _key, kind, name, rcti in ORGS
    ]
    created = Organisation.objects.bulk_create(rows)
    return {key: org for (key, *_rest), org in zip(ORGS, created, strict=True)}


def build_people(orgs: dict[str, Organisation]) -> dict[str, User]:
    """One person per role (see PEOPLE), each in its own kind of organisation, with PASSWORD;
    made in two queries."""
    password = make_password(PASSWORD)  # one hash for all: the same password
    users = User.objects.bulk_create(
        [
            User(
                email=f"{key}-{next(_counter)}@test.example",
                first_name=key,
                last_name="Test",
                password=password,
            )
            for key in PEOPLE
        ]
    )
    people = dict(zip(PEOPLE, users, strict=True))
    Membership.objects.bulk_create(
        [
            Membership(user=people[key], organisation=orgs[org_key], role=role)
            for key, (org_key, role) in PEOPLE.items()
        ]
    )
    return people


def make_organisation(kind: str, *, name: str | None = None, **fields) -> Organisation:
    if kind == "client":
        fields.setdefault("eligibility_category", "lcop_4")
    return Organisation.objects.create(
        kind=kind, name=name or f"Organisation {next(_counter)}", **fields
    )


def make_user(email: str | None = None, **fields) -> User:
    email = email or f"personne{next(_counter)}@test.example"
    return User.objects.create_user(email=email, password=PASSWORD, **fields)


def make_person(organisation: Organisation, role: str, key: str | None = None) -> User:
    user = make_user(
        f"{key or role}-{next(_counter)}@test.example", first_name=key or role, last_name="Test"
    )
    Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


def make_access_request(organisation: Organisation, **fields) -> AccessRequest:
    """A pending request made through the service (audited and announced, as in real life)."""
    from courtier.accounts.services import access_request_create

    n = next(_counter)
    values = {
        "first_name": "Personne",
        "last_name": f"Demande {n}",
        "email": f"demande{n}@test.example",
        "role": Role.CLIENT_PROCUREMENT,
        "reason": "Besoin d'accéder au Catalogue.",
        **fields,
    }
    return access_request_create(organisation_id=organisation.pk, **values)
