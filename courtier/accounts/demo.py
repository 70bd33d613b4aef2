"""Demo organisations, people and access requests (the other apps' demo data builds on them):
believable organisations and one person per role, loaded through the services (so the audit
trail records them). Loading twice changes nothing. Every account's password is
``DEMO_PASSWORD``."""

from __future__ import annotations

from dataclasses import dataclass

from courtier.accounts import services as account_services
from courtier.accounts.models import (
    EligibilityCategory,
    Organisation,
    OrganisationKind,
    Role,
    User,
)

DEMO_PASSWORD = "Courtier-demo-2026"
BROKER = "Ministère de la Cybersécurité et du Numérique — Courtier"
MES = "Ministère de l'Enseignement supérieur"
CEGEP = "Cégep de Sainte-Foy"
CITY = "Ville de Gatineau"
CSS = "Centre de services scolaire des Navigateurs"
UQAR = "Université du Québec à Rimouski"
GROUP = "Collectif d'achats du réseau de l'éducation"
SUPPLIERS = [
    "Nuagique Québec inc.",
    "Solutions Boréales Infonuagiques ltée",
    "Infonuage Laurentides inc.",
]
PROVIDERS = ["Conseil TI Saint-Laurent inc.", "Expertise Numérique Capitale inc."]

# (name, kind, short name, eligibility category, subject to the RCTI)
ORGANISATIONS: list[tuple[str, str, str, str, bool]] = [
    (BROKER, OrganisationKind.BROKER, "MCN", "", False),
    (MES, OrganisationKind.CLIENT, "MES", EligibilityCategory.LCOP_ART_4, True),
    (CEGEP, OrganisationKind.CLIENT, "CSF", EligibilityCategory.LCOP_ART_7, False),
    (CITY, OrganisationKind.CLIENT, "", EligibilityCategory.MUNICIPAL, False),
    (CSS, OrganisationKind.CLIENT, "CSSDN", EligibilityCategory.LCOP_ART_7, False),
    (UQAR, OrganisationKind.CLIENT, "UQAR", EligibilityCategory.LCOP_ART_7, False),
    (GROUP, OrganisationKind.GROUP_PURCHASER, "CARE", EligibilityCategory.OTHER, False),
    *[(name, OrganisationKind.SUPPLIER, "", "", False) for name in SUPPLIERS],
    *[(name, OrganisationKind.PROVIDER, "", "", False) for name in PROVIDERS],
]
GROUP_MEMBERS = [CEGEP, CSS, UQAR]


@dataclass(frozen=True)
class DemoUser:
    email: str
    first_name: str
    last_name: str
    organisation: str
    role: str


USERS = [
    DemoUser("admin@courtier.example", "Geneviève", "Tremblay", BROKER, Role.BROKER_ADMIN),
    DemoUser("agent@courtier.example", "Mathieu", "Gagnon", BROKER, Role.BROKER_AGENT),
    DemoUser("verificateur@courtier.example", "Nadia", "Roy", BROKER, Role.AUDITOR),
    DemoUser("acquisitions@mes.example", "Sophie", "Côté", MES, Role.CLIENT_PROCUREMENT),
    DemoUser("dirigeant@mes.example", "Jean", "Bouchard", MES, Role.CLIENT_HEAD),
    DemoUser("finances@mes.example", "Isabelle", "Gauthier", MES, Role.CLIENT_FINANCE),
    DemoUser("signataire@mes.example", "Pierre", "Morin", MES, Role.CLIENT_SIGNATORY),
    DemoUser("acquisitions@care.example", "Julie", "Lavoie", GROUP, Role.CLIENT_PROCUREMENT),
    DemoUser("representant@nuagique.example", "Marc", "Fortin", SUPPLIERS[0], Role.SUPPLIER_REP),
    DemoUser(
        "representant@conseil-ti.example", "Chantal", "Bélanger", PROVIDERS[0], Role.PROVIDER_REP
    ),
]

PENDING_REQUESTS = [
    (
        "Louis",
        "Pelletier",
        "l.pelletier@cegep-sainte-foy.example",
        CEGEP,
        Role.CLIENT_PROCUREMENT,
        "Je prépare l'acquisition d'une solution de visioconférence pour le cégep.",
    ),
    (
        "Émilie",
        "Caron",
        "e.caron@gatineau.example",
        CITY,
        Role.CLIENT_FINANCE,
        "Suivi budgétaire des contrats infonuagiques de la Ville.",
    ),
]


def load() -> None:
    """Organisations, group members, one person per role, two pending access requests."""
    orgs: dict[str, Organisation] = {o.name: o for o in Organisation.objects.all()}
    for name, kind, short_name, category, rcti in ORGANISATIONS:
        if name not in orgs:
            orgs[name] = account_services.organisation_create(
                by=None,
                kind=kind,
                name=name,
                short_name=short_name,
                eligibility_category=category,
                subject_to_rcti=rcti,
            )
    present = set(orgs[GROUP].members.values_list("name", flat=True))
    for member in GROUP_MEMBERS:
        if member not in present:
            account_services.organisation_add_member(
                by=None, group=orgs[GROUP], member=orgs[member]
            )
    for person in USERS:
        user = User.objects.filter(email=person.email).first()
        if user is None:
            user = account_services.user_create(
                by=None,
                email=person.email,
                first_name=person.first_name,
                last_name=person.last_name,
                password=DEMO_PASSWORD,
            )
            if person.role == Role.BROKER_ADMIN:  # may also open Django's read-only admin
                User.objects.filter(pk=user.pk).update(is_staff=True, is_superuser=True)
        if not user.memberships.filter(
            organisation=orgs[person.organisation], role=person.role
        ).exists():
            account_services.membership_grant(
                by=None, user=user, organisation=orgs[person.organisation], role=person.role
            )
    for first, last, email, org, role, reason in PENDING_REQUESTS:
        if not orgs[org].access_requests.filter(email=email).exists():
            account_services.access_request_create(
                first_name=first,
                last_name=last,
                email=email,
                organisation_id=orgs[org].pk,
                role=role,
                reason=reason,
            )
