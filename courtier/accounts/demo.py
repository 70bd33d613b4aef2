"""Demo organisations, people and access requests (the other apps' demo data builds on them):
believable organisations and one person per role, loaded through the services (so the audit
trail records them). Loading twice changes nothing. Every account's password is
``DEMO_PASSWORD``."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

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
# The ten suppliers of the demo Catalogue (courtier/catalogue/demo.py publishes their sheets).
SUPPLIERS = [
    "Nuagique Québec inc.",
    "Solutions Boréales Infonuagiques ltée",
    "Infonuage Laurentides inc.",
    "Boréal Logiciels inc.",
    "Cybersentinelle Québec inc.",
    "Sondaxo inc.",
    "Vision Collaborative Amérique inc.",
    "Contact Plus Québec inc.",
    "Données Atlantique ltée",
    "Patrimoine Numérique Canada inc.",
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
    # Every other demo organisation's people: each supplier's and provider's representative
    # (the technical contact of its sheet), the group's member bodies and the City.
    *[
        DemoUser(f"representant@{domain}", first, last, supplier, Role.SUPPLIER_REP)
        for supplier, domain, first, last in (
            (SUPPLIERS[1], "boreales.example", "Olivier", "Nadeau"),
            (SUPPLIERS[2], "laurentides.example", "Sylvain", "Paquette"),
            (SUPPLIERS[3], "boreal-logiciels.example", "François", "Lapointe"),
            (SUPPLIERS[4], "cybersentinelle.example", "Rachid", "Benali"),
            (SUPPLIERS[5], "sondaxo.example", "Luc", "Ouellet"),
            (SUPPLIERS[6], "visioncollab.example", "Jennifer", "Walsh"),
            (SUPPLIERS[7], "contactplus.example", "Vincent", "Tremblay"),
            (SUPPLIERS[8], "atlantique.example", "Jacques", "Arsenault"),
            (SUPPLIERS[9], "patrimoine-numerique.example", "Robert", "Lalonde"),
        )
    ],
    DemoUser(
        "representant@expertise-capitale.example",
        "Hugo",
        "Desjardins",
        PROVIDERS[1],
        Role.PROVIDER_REP,
    ),
    DemoUser(
        "acquisitions@cegep-sainte-foy.example",
        "Marie-Ève",
        "Drouin",
        CEGEP,
        Role.CLIENT_PROCUREMENT,
    ),
    DemoUser("acquisitions@cssdn.example", "Stéphane", "Boucher", CSS, Role.CLIENT_PROCUREMENT),
    DemoUser("acquisitions@uqar.example", "Valérie", "Michaud", UQAR, Role.CLIENT_PROCUREMENT),
    DemoUser("acquisitions@gatineau.example", "Patrick", "Lefebvre", CITY, Role.CLIENT_PROCUREMENT),
]

# Accounts with no workflow of their own waiting on them in the demo get a personal API token
# that expires in the coming days (a work item: renew it). The auditor and the signatory may not
# hold tokens (no ``use_api``), so they are not here.
EXPIRING_TOKENS = {
    "representant@conseil-ti.example": "Synchronisation des qualifications",
    "representant@expertise-capitale.example": "Dépôt des soumissions",
}
EXPIRING_TOKEN_DAYS = 10

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
    """Organisations, group members, their people (one per role at the broker and the ministry,
    a representative per supplier and provider, a procurement officer per other client body),
    tokens about to expire, two pending access requests."""
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
    now = timezone.now()
    for email, name in EXPIRING_TOKENS.items():
        user = User.objects.get(email=email)
        if not user.api_tokens.filter(
            name=name, revoked_at__isnull=True, expires_at__gt=now
        ).exists():
            account_services.api_token_create(user=user, name=name, days=EXPIRING_TOKEN_DAYS)
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
