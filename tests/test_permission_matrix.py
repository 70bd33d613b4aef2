"""Permission matrix (issue 2, DOMAIN §1): every page and API operation, for every role, on an
object of its own organisation and of another one, plus anonymous access.

The expectations are written from the access rules, not read from the code:
- nothing but the login, password reset, access request, language switch and a private
  calendar feed (its secret URL is its credential) is anonymous;
- broker staff (admin, agent, auditor) see every organisation; others only their own;
- only broker admins and agents decide access requests; only broker admins manage the calendar;
- the auditor changes nothing; tokens are personal;
- an object one may not see answers 404, an action one may not do on a visible object 403.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from courtier.accounts.models import AccessRequest, ApiToken, Membership, Organisation, Role
from courtier.accounts.rules import role_allowed_for_kind
from courtier.api import api
from courtier.audit.services import audit_event_record
from courtier.calendar import rules as calendar_rules
from courtier.calendar.models import ClosureDay
from courtier.catalogue.models import Category, FrameworkAgreement, SheetDraft, Subscription
from courtier.catalogue.services.documents import supporting_document_publish
from courtier.catalogue.services.drafts import (
    sheet_draft_create,
    sheet_draft_submit,
    sheet_draft_update,
)
from courtier.files.services import stored_file_save
from tests.catalogue import factories as catalogue_factories
from tests.factories import (
    PEOPLE,
    build_orgs,
    build_people,
    make_organisation,
    make_user,
    pdf_bytes,
)
from tests.helpers import world_kept_for

ALL = frozenset(PEOPLE)
BROKER_STAFF = frozenset({"broker_admin", "broker_agent", "broker_auditor"})
DECIDERS = frozenset({"broker_admin", "broker_agent"})
CALENDAR_MANAGERS = frozenset({"broker_admin"})
ORG_MANAGERS = frozenset({"broker_admin"})
AUDIT_READERS = BROKER_STAFF | {"client_auditor"}
API_USERS = frozenset(
    {
        "broker_admin",
        "broker_agent",
        "client_procurement",
        "client_finance",
        "group_procurement",
        "supplier_rep",
        "provider_rep",
    }
)
WRITERS = ALL - {"broker_auditor", "client_auditor"}
_days = itertools.count(1)
_emails = itertools.count(1)


@dataclass
class World:
    """One row's world: the class's organisations and people, and what the row's requests act
    on, built once (``once``) and reused by every request, each run in a savepoint rolled back
    after it."""

    orgs: dict[str, Organisation]
    people: dict
    sessions: dict[str, str]  # person -> the key of the session it is signed in with
    built: dict = field(default_factory=dict)

    def feed_secret(self) -> str:
        """The secret of a calendar feed of the client's head (the same for every request)."""
        from courtier.accounts.services import calendar_feed_create

        return self.once(
            ("feed",), lambda: calendar_feed_create(user=self.people["client_head"])[1]
        )

    def once(self, key: tuple, build: Callable[[], object]):
        """``build()`` the first time the row asks for ``key``, the same object afterwards."""
        if key not in self.built:
            self.built[key] = build()
        return self.built[key]

    def own_org(self, who: str | None) -> Organisation:
        return self.orgs[PEOPLE[who][0]] if who else self.orgs["client"]

    def other_org(self, who: str | None) -> Organisation:
        own = self.own_org(who)
        return (
            self.orgs["client_other"] if own != self.orgs["client_other"] else self.orgs["client"]
        )

    def org(self, who: str | None, own: bool) -> Organisation:
        return self.own_org(who) if own else self.other_org(who)

    def access_request(self, who: str | None, own: bool) -> AccessRequest:
        org = self.org(who, own)
        role = (
            "client_procurement"
            if org.kind in {"client", "group_purchaser"}
            else (
                "supplier_rep"
                if org.kind == "supplier"
                else "provider_rep"
                if org.kind == "provider"
                else "broker_agent"
            )
        )
        return AccessRequest.objects.create(
            first_name="A",
            last_name="B",
            email=f"demande{next(_emails)}@test.example",
            organisation=org,
            role=role,
            reason="Test",
        )

    def token(self, who: str | None, own: bool) -> ApiToken:
        owner = self.people[who] if (own and who) else self.people["supplier_rep"]
        if who == "supplier_rep" and not own:
            owner = self.people["provider_rep"]
        n = next(_emails)
        return ApiToken.objects.create(
            user=owner,
            name="t",
            prefix=f"p{n:07d}",
            key_hash=f"{n:064d}",
            expires_at=timezone.now() + timedelta(days=30),
        )

    def event(self, who: str | None, own: bool) -> int:
        return audit_event_record(
            actor=None,
            action="test.event",
            object_type="test",
            object_id="1",
            organisation=self.org(who, own),
        ).seq

    def fresh_client(self) -> Organisation:
        return make_organisation("client", name=f"Organisme {next(_emails)}")

    def group_with_member(self) -> tuple[Organisation, Organisation]:
        member = self.fresh_client()
        self.orgs["group"].members.add(member)
        return self.orgs["group"], member

    def grantable_role(self, organisation: Organisation) -> str:
        """A role the organisation's kind allows, never the broker's admin role."""
        return next(
            r
            for r in Role
            if role_allowed_for_kind(r, organisation.kind) and r != Role.BROKER_ADMIN
        )

    def membership(self, who: str | None, own: bool) -> Membership:
        org = self.org(who, own)
        return Membership.objects.create(
            user=make_user(), organisation=org, role=self.grantable_role(org)
        )

    def edit_data(self, who: str | None, own: bool) -> dict:
        org = self.org(who, own)
        return {
            "name": f"{org.name} (modifiée {next(_emails)})",
            "short_name": "",
            "eligibility_category": org.eligibility_category,
            "subject_to_rcti": "on" if org.subject_to_rcti else "",
            "is_active": "on",
        }

    def free_day(self) -> date:
        """A business day no other call used, hence free of closures."""
        return calendar_rules.business_days_after(date(2031, 1, 1), next(_days))

    def closure(self, who: str | None, own: bool) -> ClosureDay:
        return ClosureDay.objects.create(day=self.free_day(), label="Fermeture")


Expect = Callable[[str, bool], int]


def allowed(
    who_may: frozenset[str], ok: int, no: int, *, other_only: frozenset[str] | None = None
) -> Expect:
    """``who_may`` get ``ok`` on their own organisation's object; on another organisation's
    object only ``other_only`` (default: everyone in ``who_may``) do; the rest get ``no``."""

    def expect(who: str, own: bool) -> int:
        if who not in who_may:
            return no
        if not own and other_only is not None and who not in other_only:
            return 404
        return ok

    return expect


def managing(ok: int) -> Expect:
    """Organisations and their people: visible as usual (404 otherwise), changed only by the
    broker's admins (403 for everyone else who sees them)."""

    def expect(who: str, own: bool) -> int:
        if not own and who not in BROKER_STAFF:
            return 404
        return ok if who in ORG_MANAGERS else 403

    return expect


def on_the_group(ok: int) -> Expect:
    """Member bodies of the group purchaser: its own people and broker staff see the group; only
    broker admins change its members."""

    def expect(who: str, own: bool) -> int:
        if who not in BROKER_STAFF and who != "group_procurement":
            return 404
        return ok if who in ORG_MANAGERS else 403

    return expect


def personal(ok: int) -> Expect:
    """Someone else's token is invisible (404); one's own may be revoked by anyone who writes."""
    return lambda who, own: (ok if who in WRITERS else 403) if own else 404


def deciding(ok: int) -> Expect:
    """Broker staff see every request; admins and agents decide, except that a role inside the
    broker itself (the broker agent's own organisation here) needs a broker admin."""

    def expect(who: str, own: bool) -> int:
        if who not in BROKER_STAFF:
            return 404
        if who == "broker_agent" and own:
            return 403
        return ok if who in DECIDERS else 403

    return expect


def layered(first: frozenset[str], first_no: int, then: Expect) -> Expect:
    """Those outside ``first`` get ``first_no``; the others are judged by ``then``."""
    return lambda who, own: then(who, own) if who in first else first_no


# A confidential document (DOMAIN §7): its owner's people who run its files and the broker's
# records keepers (admins and agents) read it; on another organisation's, only the broker's.
RESTRICTED_READERS = DECIDERS | {
    "client_procurement",
    "client_head",
    "client_finance",
    "group_procurement",
    "supplier_rep",
}


def _restricted_document(w: World, who: str | None, own: bool):  # -> documents.Document
    from courtier.documents.services.store import document_keep

    org = w.org(who, own)
    return w.once(
        ("restricted_document", org.pk),
        lambda: document_keep(
            by=None,
            subject=org,
            type="supplier_communication",
            title="Courriel",
            name="courriel.pdf",
            content=pdf_bytes(f"matrix {org.pk}"),
        ),
    )


def _due_document(w: World, who: str | None, own: bool):  # -> documents.Document, due
    """A sheet document whose disposal date has come (DOMAIN §7), under no hold."""
    from courtier.documents.models import Document
    from courtier.documents.services.store import document_keep

    document = document_keep(
        by=None,
        subject=w.orgs["supplier"],
        type="sheet_document",
        title="Fiche échue",
        name="fiche.pdf",
        content=pdf_bytes(f"due {next(_emails)}"),
    )
    Document.objects.filter(pk=document.pk).update(disposal_on=date(2020, 1, 1))
    return document


def _disposal(w: World, who: str | None, own: bool):  # -> documents.Disposal
    from courtier.documents.services.disposal import disposal_approve

    return disposal_approve(
        by=w.people["broker_agent"],
        document_ids=[_due_document(w, who, own).pk],
        method="Effacement",
    )


def _hold(w: World, who: str | None, own: bool):  # -> documents.LegalHold
    from courtier.documents.services.disposal import legal_hold_place

    return legal_hold_place(
        by=w.people["broker_agent"], subject=_restricted_document(w, who, own), reason="Litige"
    )


# What is owed to the broker (DOMAIN §7): its staff and a client's people who run its files.
OWING = frozenset({"client_procurement", "client_head", "client_finance", "group_procurement"})


def owed_page(who: str, own: bool) -> int:
    return 200 if who in BROKER_STAFF | OWING else 403


def answering(who: str, own: bool) -> int:
    if who in OWING:
        return 302 if own else 404
    return 403 if who in BROKER_STAFF else 404


def _owed(w: World, who: str | None, own: bool):  # -> documents.TransmissionRequest
    from django.contrib.contenttypes.models import ContentType

    from courtier.documents.models import TransmissionRequest

    org = w.org(who, own)
    client = org if org.kind in {"client", "group_purchaser"} else w.orgs["client"]
    return TransmissionRequest.objects.create(
        subject_type=ContentType.objects.get_for_model(client),
        subject_id=client.pk,
        client=client,
        type="supplier_invoice",
        origin="request",
        due_on=date(2031, 1, 10),
    )


def _ask_body(w: World, who: str | None, own: bool) -> dict:
    from django.contrib.contenttypes.models import ContentType

    client = w.orgs["client"]
    return {
        "subject_type": ContentType.objects.get_for_model(client).pk,
        "subject_id": client.pk,
        "type": "supplier_invoice",
        "due_on": "2031-01-10",
    }


def _send_body(w: World, who: str | None, own: bool) -> dict:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return {"file": SimpleUploadedFile("facture.pdf", pdf_bytes(f"facture {next(_emails)}"))}


def _verify_body(w: World, who: str | None, own: bool) -> dict:
    """A PDF to check against the broker's stamp (a plain one: « aucun cachet », still 200)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    return {"file": SimpleUploadedFile("contrat.pdf", pdf_bytes("à vérifier"))}


# The broker's records (DOMAIN §7): its admins and agents manage them; its auditor reads them
# (a confidential document's own page stays its keepers', 404 for the auditor).
def records_keepers(ok: int) -> Expect:
    return allowed(DECIDERS, ok, 403)


def records_readers(who: str, own: bool) -> int:
    return 200 if who in BROKER_STAFF else 403


def restricted_record(who: str, own: bool) -> int:
    return 200 if who in DECIDERS else 404 if who == "broker_auditor" else 403


@dataclass
class Route:
    key: str  # URL name for pages, "METHOD /path" for API operations
    method: str
    url: Callable[[World, str | None, bool], str]
    expect: Expect
    anonymous: int
    data: Callable[[World, str | None, bool], dict] = field(default=lambda w, who, own: {})
    json: bool = False


def _access_request_body(w: World, who: str | None, own: bool) -> dict:
    return {
        "first_name": "A",
        "last_name": "B",
        "email": f"api{next(_emails)}@test.example",
        "organisation": w.own_org(who).pk,
        "role": "client_procurement"
        if w.own_org(who).kind in {"client", "group_purchaser"}
        else PEOPLE.get(who, ("", "client_procurement"))[1],
        "reason": "Test",
    }


def _ar(action: str) -> Callable[[World, str | None, bool], str]:
    return lambda w, who, own: f"/demandes-acces/{w.access_request(who, own).pk}/{action}"


def _api_ar(suffix: str) -> Callable[[World, str | None, bool], str]:
    return lambda w, who, own: f"/api/v1/access-requests/{w.access_request(who, own).pk}{suffix}"


fixed = lambda path: lambda w, who, own: path  # noqa: E731
everyone = allowed(ALL, 200, 403)

PAGES = [
    Route("home", "get", fixed("/"), everyone, 200),
    Route("login", "get", fixed("/connexion/"), allowed(ALL, 302, 302), 200),
    Route("logout", "post", fixed("/deconnexion/"), allowed(ALL, 302, 302), 302),
    Route("password_reset", "get", fixed("/mot-de-passe/oubli/"), everyone, 200),
    Route("password_reset_done", "get", fixed("/mot-de-passe/oubli/envoye/"), everyone, 200),
    Route(
        "password_reset_confirm", "get", fixed("/mot-de-passe/nouveau/MQ/invalide/"), everyone, 200
    ),
    Route("password_reset_complete", "get", fixed("/mot-de-passe/nouveau/termine/"), everyone, 200),
    Route("password_change", "get", fixed("/mot-de-passe/changer/"), everyone, 302),
    Route("password_change_done", "get", fixed("/mot-de-passe/change/"), everyone, 302),
    Route(
        "set_language",
        "post",
        fixed("/langue/"),
        allowed(ALL, 302, 302),
        302,
        data=lambda w, who, own: {"language": "fr-ca", "next": "/"},
    ),
    Route("accounts:access_request_form", "get", fixed("/demande-acces/"), everyone, 200),
    Route("accounts:access_request_sent", "get", fixed("/demande-acces/envoyee/"), everyone, 200),
    Route(
        "accounts:access_request_queue",
        "get",
        fixed("/demandes-acces/"),
        allowed(DECIDERS, 200, 403),
        302,
    ),
    Route("accounts:access_request_detail", "get", _ar(""), allowed(BROKER_STAFF, 200, 404), 302),
    Route(
        "accounts:access_request_approve",
        "post",
        _ar("approuver/"),
        deciding(302),
        302,
    ),
    Route(
        "accounts:access_request_refuse",
        "post",
        _ar("refuser/"),
        layered(BROKER_STAFF, 404, allowed(DECIDERS, 302, 403)),
        302,
        data=lambda w, who, own: {"reason": "Non admissible."},
    ),
    Route("accounts:organisation_list", "get", fixed("/organisations/"), everyone, 302),
    Route(
        "accounts:organisation_detail",
        "get",
        lambda w, who, own: f"/organisations/{w.org(who, own).pk}/",
        allowed(ALL, 200, 404, other_only=BROKER_STAFF),
        302,
    ),
    Route(
        "accounts:organisation_create",
        "get",
        fixed("/organisations/nouvelle/"),
        allowed(ORG_MANAGERS, 200, 403),
        302,
    ),
    Route(
        "accounts:organisation_create#post",
        "post",
        fixed("/organisations/nouvelle/"),
        allowed(ORG_MANAGERS, 302, 403),
        302,
        data=lambda w, who, own: {"kind": "supplier", "name": f"Fournisseur {next(_emails)}"},
    ),
    Route(
        "accounts:organisation_edit",
        "get",
        lambda w, who, own: f"/organisations/{w.org(who, own).pk}/modifier/",
        managing(200),
        302,
    ),
    Route(
        "accounts:organisation_edit#post",
        "post",
        lambda w, who, own: f"/organisations/{w.org(who, own).pk}/modifier/",
        managing(302),
        302,
        data=lambda w, who, own: w.edit_data(who, own),
    ),
    Route(
        "accounts:organisation_member_add",
        "post",
        lambda w, who, own: f"/organisations/{w.orgs['group'].pk}/membres/",
        on_the_group(302),
        302,
        data=lambda w, who, own: {"member": w.fresh_client().pk},
    ),
    Route(
        "accounts:organisation_member_remove",
        "post",
        lambda w, who, own: "/organisations/{}/membres/{}/retirer/".format(
            *(o.pk for o in w.group_with_member())
        ),
        on_the_group(302),
        302,
    ),
    Route(
        "accounts:membership_add",
        "post",
        lambda w, who, own: f"/organisations/{w.org(who, own).pk}/roles/",
        managing(302),
        302,
        data=lambda w, who, own: {
            "email": make_user().email,
            "role": w.grantable_role(w.org(who, own)),
        },
    ),
    Route(
        "accounts:membership_remove",
        "post",
        lambda w, who, own: f"/roles/{w.membership(who, own).pk}/retirer/",
        managing(302),
        302,
    ),
    Route("accounts:account", "get", fixed("/compte/"), everyone, 302),
    Route(
        "accounts:account#create_token",
        "post",
        fixed("/compte/"),
        allowed(API_USERS, 302, 403),
        302,
        data=lambda w, who, own: {"name": "Jeton", "days": 30},
    ),
    Route(
        "accounts:token_revoke",
        "post",
        lambda w, who, own: f"/compte/jetons/{w.token(who, own).pk}/revoquer/",
        personal(302),
        302,
    ),
    # What awaits a person: the daily email's setting and the private calendar feed, personal.
    Route(
        "accounts:digest_setting",
        "post",
        fixed("/compte/courriel-quotidien/"),
        allowed(ALL, 302, 403),
        302,
    ),
    Route(
        "accounts:calendar_feed_create",
        "post",
        fixed("/compte/agenda/"),
        allowed(ALL, 302, 403),
        302,
    ),
    Route(
        "accounts:calendar_feed_revoke",
        "post",
        fixed("/compte/agenda/revoquer/"),
        allowed(ALL, 302, 403),
        302,
    ),
    # The feed's secret is its only credential: anyone holding it reads it, nobody else.
    Route(
        "accounts:calendar_feed",
        "get",
        lambda w, who, own: f"/agenda/{w.feed_secret() if own else 'inconnu'}.ics",
        lambda who, own: 200 if own else 404,
        200,
    ),
    Route("calendar:calendar", "get", fixed("/calendrier/"), everyone, 302),
    Route(
        "calendar:calendar#add_closure",
        "post",
        fixed("/calendrier/"),
        allowed(CALENDAR_MANAGERS, 302, 403),
        302,
        data=lambda w, who, own: {"day": str(w.free_day()), "label": "X"},
    ),
    Route(
        "calendar:closure_remove",
        "post",
        lambda w, who, own: f"/calendrier/fermetures/{w.closure(who, own).pk}/supprimer/",
        allowed(CALENDAR_MANAGERS, 302, 403),
        302,
    ),
    Route(
        "documents:download",
        "get",
        lambda w, who, own: f"/documents/{_restricted_document(w, who, own).pk}/telecharger/",
        allowed(RESTRICTED_READERS, 200, 404, other_only=DECIDERS),
        302,
    ),
    Route(
        "documents:download_version",
        "get",
        lambda w, who, own: (
            f"/documents/{_restricted_document(w, who, own).pk}/versions/1/telecharger/"
        ),
        allowed(RESTRICTED_READERS, 200, 404, other_only=DECIDERS),
        302,
    ),
    Route("documents:transmissions", "get", fixed("/documents/transmissions/"), owed_page, 302),
    Route(
        "documents:transmission_ask",
        "post",
        fixed("/documents/transmissions/demander/"),
        records_keepers(302),
        302,
        data=_ask_body,
    ),
    Route(
        "documents:transmission_send",
        "post",
        lambda w, who, own: f"/documents/transmissions/{_owed(w, who, own).pk}/transmettre/",
        answering,
        302,
        data=_send_body,
    ),
    # Whether a PDF is the version the broker validated: any signed-in person (DOMAIN §7).
    Route("documents:verify", "get", fixed("/documents/verifier/"), everyone, 302),
    Route(
        "documents:verify#post",
        "post",
        fixed("/documents/verifier/"),
        everyone,
        302,
        data=_verify_body,
    ),
    Route("documents:records", "get", fixed("/documents/registre/"), records_readers, 302),
    Route(
        "documents:dispose",
        "post",
        fixed("/documents/registre/disposition/"),
        records_keepers(302),
        302,
        data=lambda w, who, own: {"documents": [_due_document(w, who, own).pk], "method": "X"},
    ),
    Route(
        "documents:disposal_detail",
        "get",
        lambda w, who, own: f"/documents/registre/dispositions/{_disposal(w, who, own).pk}/",
        records_readers,
        302,
    ),
    Route(
        "documents:record_detail",
        "get",
        lambda w, who, own: f"/documents/registre/{_restricted_document(w, who, own).pk}/",
        restricted_record,
        302,
    ),
    Route(
        "documents:hold_place",
        "post",
        lambda w, who, own: f"/documents/registre/{_restricted_document(w, who, own).pk}/blocage/",
        records_keepers(302),
        302,
        data=lambda w, who, own: {"scope": "document", "reason": "Litige"},
    ),
    Route("documents:holds", "get", fixed("/documents/registre/blocages/"), records_readers, 302),
    Route(
        "documents:hold_lift",
        "post",
        lambda w, who, own: f"/documents/registre/blocages/{_hold(w, who, own).pk}/levee/",
        records_keepers(302),
        302,
        data=lambda w, who, own: {"reason": "Réglé"},
    ),
    Route("audit:event_list", "get", fixed("/journal/"), allowed(AUDIT_READERS, 200, 403), 302),
    Route(
        "audit:event_detail",
        "get",
        lambda w, who, own: f"/journal/{w.event(who, own)}/",
        layered(AUDIT_READERS, 403, allowed(AUDIT_READERS, 200, 404, other_only=BROKER_STAFF)),
        302,
    ),
    # The integrity check reads the whole chain: the broker's staff only.
    Route(
        "audit:chain_verify",
        "post",
        fixed("/journal/verification/"),
        allowed(BROKER_STAFF, 302, 403),
        302,
    ),
    # Django's admin is for staff accounts only; no role makes a person staff.
    Route("admin:index", "get", fixed("/admin/"), allowed(ALL, 302, 302), 302),
]

# --- Catalogue pages (issue 3) -------------------------------------------------------------------
# The Catalogue is for public bodies and the broker (002 §2.1); a supplier's people see their own
# sheet, offers and proposals only; proposals are for the broker's staff and their supplier.

CLIENT_SIDE = frozenset(p for p, (org, _role) in PEOPLE.items() if org in {"client", "group"})
BROWSERS = BROKER_STAFF | CLIENT_SIDE
PUBLISHERS = DECIDERS  # broker admins and agents review and publish


def catalogue_or_own(ok: int) -> Expect:
    """Published Catalogue rows: every browser; a supplier's people only their own (404)."""
    return lambda who, own: ok if who in BROWSERS or (who == "supplier_rep" and own) else 404


def on_drafts(ok: int, *, reviewers: frozenset[str] = PUBLISHERS, author: int = 403) -> Expect:
    """A proposal: broker staff see it (``reviewers`` get ``ok``, the rest 403); its supplier's
    people get ``author``; anyone else 404."""

    def expect(who: str, own: bool) -> int:
        if who in BROKER_STAFF:
            return ok if who in reviewers else 403
        return author if (who == "supplier_rep" and own) else 404

    return expect


def proposing(who: str, own: bool) -> int:
    """Starting a proposal: reviewers for any supplier, a supplier for its own sheet; those who
    see the published sheet but may not propose get 403."""
    if who in PUBLISHERS or (who == "supplier_rep" and own):
        return 302
    return 403 if who in BROWSERS else 404


def agreement_editing(who: str, own: bool) -> int:
    if who in BROWSERS:
        return 200 if who in PUBLISHERS else 403
    return 403 if (who == "provider_rep" and own) else 404


def _sheet_supplier(w: World, who: str | None, own: bool) -> Organisation:
    return w.orgs["supplier"] if (own and who == "supplier_rep") else w.orgs["supplier_other"]


def _published(w: World, who: str | None, own: bool):  # -> SheetVersion
    """The supplier's published version (with a contractual document), made once per row."""
    supplier = _sheet_supplier(w, who, own)

    def build():
        stored = stored_file_save(
            by=None,
            name=f"annexe-{supplier.pk}.pdf",
            content=pdf_bytes(f"{supplier.pk}"),
            content_type="application/pdf",
        )
        document = {
            "code": "ANNEXE",
            "kind": "amending_annex",
            "title": "Annexe",
            "file_sha256": stored.sha256,
            "file_name": stored.name,
        }
        sheet = catalogue_factories.content(documents=[document])
        return catalogue_factories.publish(supplier, sheet)

    return w.once(("version", supplier.pk), build)


def _offer_pk(w: World, who: str | None, own: bool) -> int:
    return _published(w, who, own).supplier.offers.get(code="MAIL").pk


def _draft(w: World, who: str | None, own: bool, *, submitted: bool = False) -> SheetDraft:
    """A proposal, made once per row: of the supplier rep's own supplier, else of a new
    supplier."""
    ours = own and who == "supplier_rep"

    def build() -> SheetDraft:
        supplier = (
            w.orgs["supplier"]
            if ours
            else make_organisation("supplier", name=f"Fournisseur {next(_emails)}")
        )
        SheetDraft.objects.filter(
            supplier=supplier, status__in=["draft", "submitted", "returned"]
        ).update(status="abandoned")
        draft = sheet_draft_create(by=None, supplier=supplier)
        sheet = catalogue_factories.content(
            catalogue_factories.offer("MAIL", f"Courriel {next(_emails)}")
        )
        sheet_draft_update(by=None, draft=draft, content=sheet)
        if submitted:
            sheet_draft_submit(by=None, draft=draft)
        return draft

    return w.once(("draft", ours, submitted), build)


def _on_draft(suffix: str, **kwargs) -> Callable[[World, str | None, bool], str]:
    return lambda w, who, own: (
        f"/catalogue/propositions/{_draft(w, who, own, **kwargs).pk}/{suffix}"
    )


def _agreement(w: World, who: str | None, own: bool) -> FrameworkAgreement:
    provider = w.orgs["provider"] if (own and who == "provider_rep") else w.orgs["provider_other"]
    return FrameworkAgreement.objects.create(
        organisation=provider,
        number=f"EC-{next(_emails)}",
        title="Services",
        starts_on=date(2026, 1, 1),
        ends_on=date(2028, 12, 31),
    )


def _subscription(w: World, who: str | None, own: bool) -> Subscription:
    owner = w.people[who] if (own and who) else make_user()  # someone else's otherwise
    return Subscription.objects.create(user=owner, supplier=w.orgs["supplier_other"])


def _subscription_body(w: World, who: str | None, own: bool) -> dict:
    categories = list(Category.objects.order_by("pk"))
    return {"scope": "category", "category": categories[next(_emails) % len(categories)].pk}


def _document_version_pk(w: World, who: str | None, own: bool) -> int:
    return supporting_document_publish(
        by=None,
        kind="user_guide",
        title=f"Guide {next(_emails)}",
        file_name="guide.pdf",
        content=f"guide {next(_emails)}".encode(),
        content_type="application/pdf",
    ).pk


def _document_body(w: World, who: str | None, own: bool) -> dict:
    from django.core.files.uploadedfile import SimpleUploadedFile

    n = next(_emails)
    return {
        "kind": "user_guide",
        "title": f"Guide {n}",
        "description": "",
        "notes": "",
        "file": SimpleUploadedFile("guide.pdf", pdf_bytes(f"guide {n}")),
    }


browsing = allowed(BROWSERS, 200, 403)
publishing = allowed(PUBLISHERS, 200, 403)
CATALOGUE_PAGES = [
    Route("catalogue:home", "get", fixed("/catalogue/?q=courriel"), browsing, 302),
    Route(
        "catalogue:export_offers",
        "get",
        fixed("/catalogue/export/offres/?format=csv"),
        browsing,
        302,
    ),
    Route(
        "catalogue:offer_detail",
        "get",
        lambda w, who, own: f"/catalogue/offres/{_offer_pk(w, who, own)}/",
        catalogue_or_own(200),
        302,
    ),
    Route(
        "catalogue:sheet",
        "get",
        lambda w, who, own: f"/catalogue/fournisseurs/{_published(w, who, own).supplier_id}/",
        catalogue_or_own(200),
        302,
    ),
    Route(
        "catalogue:version_detail",
        "get",
        lambda w, who, own: f"/catalogue/fiches/{_published(w, who, own).pk}/",
        catalogue_or_own(200),
        302,
    ),
    Route(
        "catalogue:file_download",
        "get",
        lambda w, who, own: "/catalogue/fichiers/{}/".format(
            _published(w, who, own).content["documents"][0]["file_sha256"]
        ),
        catalogue_or_own(200),
        302,
    ),
    Route(
        "catalogue:draft_create",
        "post",
        lambda w, who, own: (
            f"/catalogue/fournisseurs/{_published(w, who, own).supplier_id}/proposer/"
        ),
        proposing,
        302,
    ),
    Route(
        "catalogue:draft_queue",
        "get",
        fixed("/catalogue/propositions/"),
        allowed(BROKER_STAFF | {"supplier_rep"}, 200, 403),
        302,
    ),
    Route(
        "catalogue:draft_detail",
        "get",
        _on_draft(""),
        on_drafts(200, reviewers=BROKER_STAFF, author=200),
        302,
    ),
    Route("catalogue:draft_general", "get", _on_draft("general/"), on_drafts(200, author=200), 302),
    Route(
        "catalogue:draft_item_add",
        "get",
        _on_draft("offres/ajouter/"),
        on_drafts(200, author=200),
        302,
    ),
    Route(
        "catalogue:draft_item_edit",
        "get",
        _on_draft("centres/0/"),
        on_drafts(200, author=200),
        302,
    ),
    Route(
        "catalogue:draft_item_remove",
        "post",
        _on_draft("contacts/0/retirer/"),
        on_drafts(302, author=302),
        302,
    ),
    Route(
        "catalogue:draft_component_add",
        "get",
        _on_draft("offres/0/composantes/ajouter/"),
        on_drafts(200, author=200),
        302,
    ),
    Route(
        "catalogue:draft_component_edit",
        "get",
        _on_draft("offres/0/composantes/1/"),
        on_drafts(200, author=200),
        302,
    ),
    Route(
        "catalogue:draft_component_remove",
        "post",
        _on_draft("offres/0/composantes/1/retirer/"),
        on_drafts(302, author=302),
        302,
    ),
    Route(
        "catalogue:draft_prices",
        "get",
        _on_draft("offres/0/prix/"),
        on_drafts(200, author=200),
        302,
    ),
    Route(
        "catalogue:draft_submit",
        "post",
        _on_draft("soumettre/"),
        on_drafts(302, author=302),
        302,
    ),
    Route(
        "catalogue:draft_return",
        "post",
        _on_draft("renvoyer/", submitted=True),
        on_drafts(302),
        302,
        data=lambda w, who, own: {"comment": "À corriger."},
    ),
    Route(
        "catalogue:draft_publish",
        "post",
        _on_draft("publier/", submitted=True),
        on_drafts(302),
        302,
    ),
    Route(
        "catalogue:draft_abandon",
        "post",
        _on_draft("abandonner/"),
        on_drafts(302, author=302),
        302,
    ),
    Route("catalogue:providers", "get", fixed("/catalogue/prestataires/"), browsing, 302),
    Route(
        "catalogue:export_providers",
        "get",
        fixed("/catalogue/export/prestataires/?format=xlsx"),
        browsing,
        302,
    ),
    Route(
        "catalogue:qualification_create",
        "get",
        fixed("/catalogue/qualifications/nouvelle/"),
        publishing,
        302,
    ),
    Route(
        "catalogue:qualification_create#post",
        "post",
        fixed("/catalogue/qualifications/nouvelle/"),
        allowed(PUBLISHERS, 302, 403),
        302,
        data=lambda w, who, own: {
            "code": f"q-{next(_emails)}",
            "name": "Q",
            "scope_description": "Portée.",
        },
    ),
    Route(
        "catalogue:provider_qualify",
        "get",
        fixed("/catalogue/prestataires/qualifier/"),
        publishing,
        302,
    ),
    Route(
        "catalogue:agreement_create",
        "get",
        fixed("/catalogue/ententes/nouvelle/"),
        publishing,
        302,
    ),
    Route(
        "catalogue:agreement_edit",
        "get",
        lambda w, who, own: f"/catalogue/ententes/{_agreement(w, who, own).pk}/modifier/",
        agreement_editing,
        302,
    ),
    Route("catalogue:subscriptions", "get", fixed("/catalogue/abonnements/"), browsing, 302),
    Route(
        "catalogue:subscriptions#post",
        "post",
        fixed("/catalogue/abonnements/"),
        allowed(BROWSERS & WRITERS, 302, 403),
        302,
        data=_subscription_body,
    ),
    Route(
        "catalogue:subscription_delete",
        "post",
        lambda w, who, own: f"/catalogue/abonnements/{_subscription(w, who, own).pk}/retirer/",
        personal(302),
        302,
    ),
    Route("catalogue:documents", "get", fixed("/catalogue/documents/"), browsing, 302),
    Route(
        "catalogue:documents#post",
        "post",
        fixed("/catalogue/documents/"),
        allowed(PUBLISHERS, 302, 403),
        302,
        data=_document_body,
    ),
    Route(
        "catalogue:document_download",
        "get",
        lambda w, who, own: (
            f"/catalogue/documents/versions/{_document_version_pk(w, who, own)}/telecharger/"
        ),
        allowed(BROWSERS, 200, 404),
        302,
    ),
]


# Price-file import (issue 3 §4): like the proposal it fills; the auditor reads the results only.
def _price_file(w: World, who: str | None, own: bool) -> dict:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return {"file": SimpleUploadedFile("prix.csv", f"offre\nMAIL {next(_emails)}\n".encode())}


def _price_import(w: World, who: str | None, own: bool) -> str:
    from courtier.catalogue.models import PriceImport

    stored = stored_file_save(
        by=None, name="prix.csv", content=f"prix {next(_emails)}".encode(), content_type="text/csv"
    )
    price_import = PriceImport.objects.create(draft=_draft(w, who, own), file=stored)
    return f"/catalogue/importations-prix/{price_import.pk}/"


CATALOGUE_PAGES += [
    Route(
        "catalogue:price_import_new",
        "get",
        _on_draft("importer-prix/"),
        on_drafts(200, author=200),
        302,
    ),
    Route(
        "catalogue:price_import_new#post",
        "post",
        _on_draft("importer-prix/"),
        on_drafts(302, author=302),
        302,
        data=_price_file,
    ),
    Route(
        "catalogue:price_import_detail",
        "get",
        _price_import,
        on_drafts(200, reviewers=BROKER_STAFF, author=200),
        302,
    ),
]
PAGES += CATALOGUE_PAGES


API = [
    Route("GET /api/v1/me", "get", fixed("/api/v1/me"), everyone, 401),
    Route(
        "POST /api/v1/access-requests",
        "post",
        fixed("/api/v1/access-requests"),
        allowed(ALL, 201, 403),
        201,
        data=_access_request_body,
        json=True,
    ),
    Route(
        "GET /api/v1/access-requests",
        "get",
        fixed("/api/v1/access-requests"),
        allowed(DECIDERS, 200, 403),
        401,
    ),
    Route(
        "GET /api/v1/access-requests/{request_id}",
        "get",
        _api_ar(""),
        allowed(BROKER_STAFF, 200, 404),
        401,
    ),
    Route(
        "POST /api/v1/access-requests/{request_id}/approve",
        "post",
        _api_ar("/approve"),
        deciding(200),
        401,
    ),
    Route(
        "POST /api/v1/access-requests/{request_id}/refuse",
        "post",
        _api_ar("/refuse"),
        layered(BROKER_STAFF, 404, allowed(DECIDERS, 200, 403)),
        401,
        data=lambda w, who, own: {"reason": "Non."},
        json=True,
    ),
    Route("GET /api/v1/organisations", "get", fixed("/api/v1/organisations"), everyone, 401),
    Route(
        "GET /api/v1/organisations/{organisation_id}",
        "get",
        lambda w, who, own: f"/api/v1/organisations/{w.org(who, own).pk}",
        allowed(ALL, 200, 404, other_only=BROKER_STAFF),
        401,
    ),
    Route(
        "POST /api/v1/organisations",
        "post",
        fixed("/api/v1/organisations"),
        allowed(ORG_MANAGERS, 201, 403),
        401,
        json=True,
        data=lambda w, who, own: {"kind": "provider", "name": f"Prestataire {next(_emails)}"},
    ),
    Route(
        "PATCH /api/v1/organisations/{organisation_id}",
        "patch",
        lambda w, who, own: f"/api/v1/organisations/{w.org(who, own).pk}",
        managing(200),
        401,
        json=True,
        data=lambda w, who, own: {"short_name": "XYZ"},
    ),
    Route(
        "GET /api/v1/organisations/{organisation_id}/members",
        "get",
        lambda w, who, own: f"/api/v1/organisations/{w.org(who, own).pk}/members",
        allowed(ALL, 200, 404, other_only=BROKER_STAFF),
        401,
    ),
    Route(
        "POST /api/v1/organisations/{organisation_id}/members",
        "post",
        lambda w, who, own: f"/api/v1/organisations/{w.orgs['group'].pk}/members",
        on_the_group(204),
        401,
        json=True,
        data=lambda w, who, own: {"member": w.fresh_client().pk},
    ),
    Route(
        "DELETE /api/v1/organisations/{organisation_id}/members/{member_id}",
        "delete",
        lambda w, who, own: "/api/v1/organisations/{}/members/{}".format(
            *(o.pk for o in w.group_with_member())
        ),
        on_the_group(204),
        401,
    ),
    Route(
        "GET /api/v1/organisations/{organisation_id}/memberships",
        "get",
        lambda w, who, own: f"/api/v1/organisations/{w.org(who, own).pk}/memberships",
        allowed(ALL, 200, 404, other_only=BROKER_STAFF),
        401,
    ),
    Route(
        "POST /api/v1/organisations/{organisation_id}/memberships",
        "post",
        lambda w, who, own: f"/api/v1/organisations/{w.org(who, own).pk}/memberships",
        managing(201),
        401,
        json=True,
        data=lambda w, who, own: {
            "email": make_user().email,
            "role": w.grantable_role(w.org(who, own)),
        },
    ),
    Route(
        "DELETE /api/v1/memberships/{membership_id}",
        "delete",
        lambda w, who, own: f"/api/v1/memberships/{w.membership(who, own).pk}",
        managing(204),
        401,
    ),
    Route("GET /api/v1/tokens", "get", fixed("/api/v1/tokens"), everyone, 401),
    Route(
        "POST /api/v1/tokens",
        "post",
        fixed("/api/v1/tokens"),
        allowed(API_USERS, 201, 403),
        401,
        data=lambda w, who, own: {"name": "Jeton", "days": 30},
        json=True,
    ),
    Route(
        "DELETE /api/v1/tokens/{token_id}",
        "delete",
        lambda w, who, own: f"/api/v1/tokens/{w.token(who, own).pk}",
        personal(200),
        401,
    ),
    Route("GET /api/v1/documents", "get", fixed("/api/v1/documents"), everyone, 401),
    Route(
        "POST /api/v1/documents/verify",
        "post",
        fixed("/api/v1/documents/verify"),
        everyone,
        401,
        data=_verify_body,
    ),
    Route(
        "GET /api/v1/documents/{document_id}",
        "get",
        lambda w, who, own: f"/api/v1/documents/{_restricted_document(w, who, own).pk}",
        allowed(RESTRICTED_READERS, 200, 404, other_only=DECIDERS),
        401,
    ),
    Route(
        "GET /api/v1/documents/{document_id}/content",
        "get",
        lambda w, who, own: f"/api/v1/documents/{_restricted_document(w, who, own).pk}/content",
        allowed(RESTRICTED_READERS, 200, 404, other_only=DECIDERS),
        401,
    ),
    Route(
        "GET /api/v1/audit-events",
        "get",
        fixed("/api/v1/audit-events"),
        allowed(AUDIT_READERS, 200, 403),
        401,
    ),
    Route(
        "GET /api/v1/calendar/days/{day}",
        "get",
        fixed("/api/v1/calendar/days/2026-06-23?n=3"),
        everyone,
        401,
    ),
    Route(
        "GET /api/v1/calendar/fiscal-years/{label}/non-business-days",
        "get",
        fixed("/api/v1/calendar/fiscal-years/2026-2027/non-business-days"),
        everyone,
        401,
    ),
    Route(
        "POST /api/v1/calendar/closure-days",
        "post",
        fixed("/api/v1/calendar/closure-days"),
        allowed(CALENDAR_MANAGERS, 201, 403),
        401,
        data=lambda w, who, own: {"day": str(w.free_day()), "label": "X"},
        json=True,
    ),
    Route(
        "DELETE /api/v1/calendar/closure-days/{closure_id}",
        "delete",
        lambda w, who, own: f"/api/v1/calendar/closure-days/{w.closure(who, own).pk}",
        allowed(CALENDAR_MANAGERS, 204, 403),
        401,
    ),
    # The schema and its docs are for signed-in people too.
    Route("GET /api/v1/openapi.json", "get", fixed("/api/v1/openapi.json"), everyone, 401),
    Route("GET /api/v1/docs", "get", fixed("/api/v1/docs"), everyone, 401),
]

# --- Catalogue API (issue 3): the same rules as the Catalogue pages ------------------------------


def proposing_api(who: str, own: bool) -> int:
    """Starting a proposal by API: as on the sheet's page (``proposing``), answered 201."""
    return 201 if proposing(who, own) == 302 else proposing(who, own)


def _api_draft(suffix: str, **kwargs) -> Callable[[World, str | None, bool], str]:
    return lambda w, who, own: (
        f"/api/v1/catalogue/drafts/{_draft(w, who, own, **kwargs).pk}{suffix}"
    )


def _draft_supplier_body(w: World, who: str | None, own: bool) -> dict:
    """The supplier rep's own supplier (its open proposals abandoned), else a new supplier."""
    if own and who == "supplier_rep":
        supplier = w.orgs["supplier"]
        SheetDraft.objects.filter(
            supplier=supplier, status__in=["draft", "submitted", "returned"]
        ).update(status="abandoned")
    else:
        supplier = make_organisation("supplier", name=f"Fournisseur {next(_emails)}")
    return {"supplier": supplier.pk}


def _api_prices_body(w: World, who: str | None, own: bool) -> dict:
    today = timezone.localdate()
    month = date(today.year + today.month // 12, today.month % 12 + 1, 1)
    first = calendar_rules.first_business_day_of_month(month.year, month.month)
    return {
        "offer_code": "MAIL",
        "effective_from": str(first),
        "lines": [catalogue_factories.line("BASE", 650)],
    }


def _api_subscription_body(w: World, who: str | None, own: bool) -> dict:
    categories = list(Category.objects.order_by("pk").values_list("code", flat=True))
    return {"category": categories[next(_emails) % len(categories)]}


CATALOGUE_API = [
    Route(
        "GET /api/v1/catalogue/categories",
        "get",
        fixed("/api/v1/catalogue/categories"),
        everyone,
        401,
    ),
    Route(
        "GET /api/v1/catalogue/offers",
        "get",
        fixed("/api/v1/catalogue/offers?q=courriel&canada_only=true"),
        everyone,
        401,
    ),
    Route(
        "GET /api/v1/catalogue/offers/{offer_id}",
        "get",
        lambda w, who, own: f"/api/v1/catalogue/offers/{_offer_pk(w, who, own)}",
        catalogue_or_own(200),
        401,
    ),
    Route(
        "GET /api/v1/catalogue/suppliers/{supplier_id}/versions",
        "get",
        lambda w, who, own: (
            f"/api/v1/catalogue/suppliers/{_published(w, who, own).supplier_id}/versions"
        ),
        catalogue_or_own(200),
        401,
    ),
    Route(
        "GET /api/v1/catalogue/versions/{version_id}",
        "get",
        lambda w, who, own: f"/api/v1/catalogue/versions/{_published(w, who, own).pk}",
        catalogue_or_own(200),
        401,
    ),
    Route("GET /api/v1/catalogue/drafts", "get", fixed("/api/v1/catalogue/drafts"), everyone, 401),
    Route(
        "POST /api/v1/catalogue/drafts",
        "post",
        fixed("/api/v1/catalogue/drafts"),
        proposing_api,
        401,
        data=_draft_supplier_body,
        json=True,
    ),
    Route(
        "GET /api/v1/catalogue/drafts/{draft_id}",
        "get",
        _api_draft(""),
        on_drafts(200, reviewers=BROKER_STAFF, author=200),
        401,
    ),
    Route(
        "PUT /api/v1/catalogue/drafts/{draft_id}",
        "put",
        _api_draft(""),
        on_drafts(200, author=200),
        401,
        data=lambda w, who, own: catalogue_factories.content(),
        json=True,
    ),
    Route(
        "PUT /api/v1/catalogue/drafts/{draft_id}/prices",
        "put",
        _api_draft("/prices"),
        on_drafts(200, author=200),
        401,
        data=_api_prices_body,
        json=True,
    ),
    Route(
        "POST /api/v1/catalogue/drafts/{draft_id}/submit",
        "post",
        _api_draft("/submit"),
        on_drafts(200, author=200),
        401,
    ),
    Route(
        "POST /api/v1/catalogue/drafts/{draft_id}/return",
        "post",
        _api_draft("/return", submitted=True),
        on_drafts(200),
        401,
        data=lambda w, who, own: {"comment": "À corriger."},
        json=True,
    ),
    Route(
        "POST /api/v1/catalogue/drafts/{draft_id}/publish",
        "post",
        _api_draft("/publish", submitted=True),
        on_drafts(201),
        401,
    ),
    Route(
        "POST /api/v1/catalogue/drafts/{draft_id}/abandon",
        "post",
        _api_draft("/abandon"),
        on_drafts(200, author=200),
        401,
    ),
    Route(
        "GET /api/v1/catalogue/qualifications",
        "get",
        fixed("/api/v1/catalogue/qualifications"),
        everyone,
        401,
    ),
    Route(
        "GET /api/v1/catalogue/agreements",
        "get",
        fixed("/api/v1/catalogue/agreements"),
        everyone,
        401,
    ),
    Route(
        "GET /api/v1/catalogue/subscriptions",
        "get",
        fixed("/api/v1/catalogue/subscriptions"),
        everyone,
        401,
    ),
    Route(
        "POST /api/v1/catalogue/subscriptions",
        "post",
        fixed("/api/v1/catalogue/subscriptions"),
        allowed(BROWSERS & WRITERS, 201, 403),
        401,
        data=_api_subscription_body,
        json=True,
    ),
    Route(
        "DELETE /api/v1/catalogue/subscriptions/{subscription_id}",
        "delete",
        lambda w, who, own: f"/api/v1/catalogue/subscriptions/{_subscription(w, who, own).pk}",
        personal(204),
        401,
    ),
    Route(
        "GET /api/v1/catalogue/documents",
        "get",
        fixed("/api/v1/catalogue/documents"),
        everyone,
        401,
    ),
    Route(
        "GET /api/v1/catalogue/changes",
        "get",
        lambda w, who, own: (
            f"/api/v1/catalogue/changes?offers={_offer_pk(w, who, own)}&since=2026-01-01"
        ),
        everyone,
        401,
    ),
]
API += CATALOGUE_API

# --- Acquisition files API (issue 4, DOMAIN §1 and §3) ------------------------------------------
# A file belongs to a client body (or a group purchaser): the body's people and the broker's staff
# see it; only those who run the body's acquisitions (procurement, head, finance: not the
# signatory, nor an auditor) change it; the broker's admins and agents convene the startup meeting
# and freeze the strategy; suppliers never see files, only the questions addressed to them. "own":
# a file of the person's body (of Ministère A for people outside any client body); "other": a file
# of Organisme B.

ACQ_RUNNERS = frozenset(
    {"client_procurement", "client_head", "client_finance", "group_procurement"}
)
ACQ_URL = "/api/v1/acquisitions"


def _acq():  # -> the tests.acquisitions.factories module (imported where it is used)
    from tests.acquisitions import factories

    return factories


def _acq_offers(w: World) -> dict:
    """The two suppliers' offers of tests/acquisitions/factories.py, published once for the
    acquisition rows (``acquisitions_world``)."""
    return w.built["acq_offers"]


def _acq_runner(w: World, organisation: Organisation):
    known = {w.orgs["client"].pk: "client_procurement", w.orgs["group"].pk: "group_procurement"}
    if organisation.pk in known:
        return w.people[known[organisation.pk]]
    return w.once(("runner", organisation.pk), lambda: _acq().runner(organisation))


def _acq_body(w: World, who: str | None, own: bool) -> Organisation:
    if own and who in CLIENT_SIDE:
        return w.own_org(who)
    return w.orgs["client"] if own else w.orgs["client_other"]


def _acq_file(w: World, who: str | None, own: bool, step: str = "needs", **options):
    """The body's file at ``step`` (the broker's agent freezes it when asked to), built once per
    row for each body: the requests of the row see it as built, in their savepoints."""
    body = _acq_body(w, who, own)
    file = w.once(
        ("file", body.pk, step, tuple(sorted(options.items()))),
        lambda: _acq().file_at(
            step, by=_acq_runner(w, body), client=body, broker=w.people["broker_agent"], **options
        ),
    )
    w.built["acq_last"] = file
    return file


def _acq_url(suffix: str = "", step: str = "needs", **options) -> Callable:
    return lambda w, who, own: (
        f"{ACQ_URL}/files/{_acq_file(w, who, own, step, **options).pk}{suffix}"
    )


def _acq_on_last(path: Callable, step: str = "needs", **options) -> Callable:
    """``path(world, file)`` on a fresh file at ``step``."""

    def url(w: World, who: str | None, own: bool) -> str:
        file = _acq_file(w, who, own, step, **options)
        return f"{ACQ_URL}/files/{file.pk}{path(w, file)}"

    return url


def _acq_last(w: World):
    return w.built["acq_last"]


def _acq_judged(w: World, file) -> int:
    from courtier.acquisitions.services import candidates as services

    return w.once(
        ("judged", file.pk),
        lambda: (
            services.requirement_add(by=_acq_runner(w, file.client), file=file, label="Exigence").pk
        ),
    )


def _acq_compliance(w: World, file) -> str:
    requirement = _acq_judged(w, file)
    return f"/compliance/{file.candidates.first().pk}/{requirement}"


def _acq_lowest(w: World, who: str | None, own: bool) -> dict:
    from courtier.acquisitions import checks

    scenario = checks.latest_run(_acq_last(w)).scenarios.get(is_lowest=True)
    return {"scenario_id": scenario.pk}


def _acq_financial(w: World, who: str | None, own: bool) -> dict:
    from courtier.acquisitions import checks

    return {
        "amount_cents": checks.chosen_scenario(_acq_last(w)).total_cents,
        "authorised_on": str(timezone.localdate()),
        "authorised_by_name": "Francis Finances",
    }


def _acq_upload(field_name: str, **fields) -> Callable:
    def data(w: World, who: str | None, own: bool) -> dict:
        from django.core.files.uploadedfile import SimpleUploadedFile

        content = pdf_bytes(f"{field_name} {next(_emails)}")
        return {**fields, field_name: SimpleUploadedFile(f"{field_name}.pdf", content)}

    return data


def _acq_trial(w: World, who: str | None, own: bool) -> dict:
    today = timezone.localdate()
    return {
        "offer_id": _acq_offers(w)["MAIL"].pk,
        "starts_on": str(today),
        "ends_on": str(today + timedelta(days=29)),
        "units": 5,
        "attestation": True,
    }


def _acq_trial_report(w: World, file) -> str:
    from courtier.acquisitions.services import questions

    body = _acq_trial(w, None, True)
    trial = w.once(
        ("trial", file.pk),
        lambda: questions.trial_create(
            by=_acq_runner(w, file.client),
            file=file,
            offer=_acq_offers(w)["MAIL"],
            starts_on=date.fromisoformat(body["starts_on"]),
            ends_on=date.fromisoformat(body["ends_on"]),
            units=5,
            attestation=True,
        ),
    )
    return f"/trials/{trial.pk}/report"


def _acq_meeting(w: World, who: str | None, own: bool) -> dict:
    when = timezone.localtime() + timedelta(days=2)
    return {"scheduled_for": when.isoformat(), "participants": _acq().participants()}


def _acq_held_meeting(w: World, file) -> str:
    """The meeting convened, then moved an hour into the past (setup: the strategy is frozen
    after the meeting; the clock cannot move inside one request of the matrix)."""
    from courtier.acquisitions.models import StartupMeeting

    def held() -> None:
        _acq().schedule_meeting(file, by=w.people["broker_agent"])
        StartupMeeting.objects.filter(file=file).update(
            scheduled_for=timezone.now() - timedelta(hours=1)
        )

    w.once(("held", file.pk), held)
    return "/strategy"


def _acq_question(w: World, who: str | None, own: bool) -> str:
    """A question to Fournisseur D on the body's file; for the supplier's "other": to E."""
    from courtier.acquisitions.services import questions

    offers = _acq_offers(w)
    offer = offers["NUAGE"] if (who == "supplier_rep" and not own) else offers["MAIL"]
    file = _acq_file(w, who, own, "catalogue")
    question = w.once(
        ("question", file.pk, offer.pk),
        lambda: questions.question_ask(
            by=_acq_runner(w, file.client), file=file, offer=offer, text="Où sont les données ?"
        ),
    )
    return f"{ACQ_URL}/questions/{question.pk}/answer"


def _acq_group_purchase(w: World, who: str | None, own: bool) -> str:
    """A group purchase and one member's line: for the group's people, a new member's; for
    everyone else's "own", Ministère A's; "other": another group purchaser's."""
    f = _acq()

    def build() -> tuple:
        if own:
            group = w.orgs["group"]
            new_member = who == "group_procurement"
            member = make_organisation("client") if new_member else w.orgs["client"]
        else:
            group = make_organisation("group_purchaser")
            member = make_organisation("client")
        if not group.members.filter(pk=member.pk).exists():
            f.group_with_members({"group": group}, member)
        members = {member: [f.USERS] * 12}
        return f.new_file(by=_acq_runner(w, group), client=group, members=members), member

    file, member = w.once(("group", own, who == "group_procurement"), build)
    return f"{ACQ_URL}/files/{file.pk}/needs/{f.NEED}/members/{member.pk}"


def on_files(ok: int, *, who_may: frozenset[str] = ACQ_RUNNERS) -> Expect:
    """A file: broker staff and the body's people see it (404 otherwise); ``who_may`` get
    ``ok``, the others who see it 403."""

    def expect(who: str, own: bool) -> int:
        if who in BROKER_STAFF or (own and who in CLIENT_SIDE):
            return ok if who in who_may else 403
        return 404

    return expect


def _offer_to_file(own_ok: int, other_ok: int) -> Expect:
    """« Ajouter à un dossier »: providers do not see Catalogue offers (404); those who run
    acquisitions pick one of their own files (``own_ok``; another body's file is no choice of
    theirs: ``other_ok``); the others who see the offer 403."""

    def expect(who: str, own: bool) -> int:
        if who == "provider_rep":
            return 404
        if who in ACQ_RUNNERS:
            return own_ok if own else other_ok
        return 403

    return expect


def answering(who: str, own: bool) -> int:
    """A question: its supplier's people answer it; those who see its file may not (403)."""
    if who == "supplier_rep":
        return 200 if own else 404
    return 403 if who in BROKER_STAFF or (own and who in CLIENT_SIDE) else 404


def consuming(who: str, own: bool) -> int:
    """A member's consumption in a group purchase: the member body's and the group's runners."""
    if who in BROKER_STAFF:
        return 403
    if own and who in CLIENT_SIDE:
        return 200 if who in ACQ_RUNNERS else 403
    return 404


def head_authorising(who: str, own: bool) -> int:
    """RCTI art. 48: Ministère A is subject to the RCTI; a group purchaser is not, so its own
    runner passes the permission check and meets the rule (422: no authorisation required)."""
    if who == "group_procurement" and own:
        return 422
    return on_files(201)(who, own)


acq_reading = on_files(200, who_may=BROKER_STAFF | CLIENT_SIDE)


def reading_file_documents(who: str, own: bool) -> int:
    """A file's documents are confidential (DOMAIN §7): the broker's records keepers and the
    body's people who run its files read them; the others who see the file do not (404)."""
    if who in DECIDERS or (own and who in CLIENT_SIDE and who in RESTRICTED_READERS):
        return 200
    return 404


acq_running = on_files(200)
convening = on_files(201, who_may=DECIDERS)
json_route = lambda key, method, url, expect, data: Route(  # noqa: E731
    key, method, url, expect, 401, data=data, json=True
)
ACQUISITIONS_API = [
    Route(f"GET {ACQ_URL}/files", "get", fixed(f"{ACQ_URL}/files"), everyone, 401),
    json_route(
        f"POST {ACQ_URL}/files",
        "post",
        fixed(f"{ACQ_URL}/files"),
        lambda who, own: 201 if own and who in ACQ_RUNNERS else 403,
        lambda w, who, own: (
            {"title": "Courriel"} | ({} if own else {"client": w.orgs["client_other"].pk})
        ),
    ),
    Route(f"GET {ACQ_URL}/files/{{file_id}}", "get", _acq_url(), acq_reading, 401),
    json_route(
        f"PATCH {ACQ_URL}/files/{{file_id}}/needs",
        "patch",
        _acq_url("/needs"),
        acq_running,
        lambda w, who, own: {"title": "Courriel du personnel", "duration_months": 12},
    ),
    json_route(
        f"PUT {ACQ_URL}/files/{{file_id}}/needs/{{code}}",
        "put",
        _acq_url("/needs/stockage"),
        acq_running,
        lambda w, who, own: {
            "label": "Stockage",
            "kind": "usage",
            "unit": "gb_month",
            "quantities": [50] * 12,
        },
    ),
    Route(
        f"DELETE {ACQ_URL}/files/{{file_id}}/needs/{{code}}",
        "delete",
        lambda w, who, own: _acq_url(f"/needs/{_acq().NEED}")(w, who, own),
        on_files(204),
        401,
    ),
    json_route(
        f"PUT {ACQ_URL}/files/{{file_id}}/needs/{{code}}/members/{{member_id}}",
        "put",
        _acq_group_purchase,
        consuming,
        lambda w, who, own: {"quantities": [3] * 12},
    ),
    json_route(
        f"POST {ACQ_URL}/files/{{file_id}}/transitions",
        "post",
        _acq_url("/transitions"),
        acq_running,
        lambda w, who, own: {"action": "abandon"},
    ),
    Route(
        f"POST {ACQ_URL}/files/{{file_id}}/candidates/search",
        "post",
        _acq_url("/candidates/search", "catalogue"),
        acq_running,
        401,
    ),
    Route(
        f"POST {ACQ_URL}/files/{{file_id}}/candidates/seen",
        "post",
        _acq_url("/candidates/seen", "catalogue"),
        acq_running,
        401,
    ),
    json_route(
        f"POST {ACQ_URL}/files/{{file_id}}/candidates",
        "post",
        _acq_url("/candidates", "catalogue"),
        on_files(201),
        lambda w, who, own: {"offer_id": _acq_offers(w)["THEATRE"].pk},
    ),
    Route(
        f"DELETE {ACQ_URL}/files/{{file_id}}/candidates/{{candidate_id}}",
        "delete",
        _acq_on_last(lambda w, f: f"/candidates/{f.candidates.first().pk}", "catalogue"),
        on_files(204),
        401,
    ),
    json_route(
        f"PUT {ACQ_URL}/files/{{file_id}}/candidates/{{candidate_id}}/mapping",
        "put",
        _acq_on_last(lambda w, f: f"/candidates/{f.candidates.first().pk}/mapping", "catalogue"),
        acq_running,
        lambda w, who, own: {"mapping": {_acq().NEED: "BASE"}},
    ),
    json_route(
        f"POST {ACQ_URL}/files/{{file_id}}/requirements",
        "post",
        _acq_url("/requirements", "catalogue"),
        on_files(201),
        lambda w, who, own: {"label": "Interface en français"},
    ),
    Route(
        f"DELETE {ACQ_URL}/files/{{file_id}}/requirements/{{requirement_id}}",
        "delete",
        _acq_on_last(lambda w, f: f"/requirements/{_acq_judged(w, f)}", "catalogue"),
        on_files(204),
        401,
    ),
    json_route(
        f"PUT {ACQ_URL}/files/{{file_id}}/compliance/{{candidate_id}}/{{requirement_id}}",
        "put",
        _acq_on_last(_acq_compliance, "compliance"),
        acq_running,
        lambda w, who, own: {"verdict": "met", "note": "Vérifié."},
    ),
    json_route(
        f"POST {ACQ_URL}/files/{{file_id}}/questions",
        "post",
        _acq_url("/questions", "catalogue"),
        on_files(201),
        lambda w, who, own: {"offer_id": _acq_offers(w)["MAIL"].pk, "text": "Où ?"},
    ),
    Route(f"GET {ACQ_URL}/questions", "get", fixed(f"{ACQ_URL}/questions"), everyone, 401),
    json_route(
        f"POST {ACQ_URL}/questions/{{question_id}}/answer",
        "post",
        _acq_question,
        answering,
        lambda w, who, own: {"answer": "À Montréal."},
    ),
    json_route(
        f"POST {ACQ_URL}/files/{{file_id}}/trials",
        "post",
        _acq_url("/trials", "catalogue"),
        on_files(201),
        _acq_trial,
    ),
    Route(
        f"POST {ACQ_URL}/files/{{file_id}}/trials/{{trial_id}}/report",
        "post",
        _acq_on_last(_acq_trial_report, "catalogue"),
        acq_running,
        401,
        data=_acq_upload("report", summary="Concluant."),
    ),
    Route(
        f"POST {ACQ_URL}/files/{{file_id}}/scenarios",
        "post",
        _acq_url("/scenarios", "choice", choice=None),
        on_files(201),
        401,
    ),
    json_route(
        f"POST {ACQ_URL}/files/{{file_id}}/choice",
        "post",
        _acq_url("/choice", "choice", choice=None),
        acq_running,
        _acq_lowest,
    ),
    json_route(
        f"POST {ACQ_URL}/files/{{file_id}}/financial-authorisation",
        "post",
        _acq_url("/financial-authorisation", "choice"),
        on_files(201),
        _acq_financial,
    ),
    Route(
        f"POST {ACQ_URL}/files/{{file_id}}/head-authorisation",
        "post",
        _acq_url("/head-authorisation", "choice", choice="other"),
        head_authorising,
        401,
        data=_acq_upload(
            "document",
            criteria=["technical_compatibility"],
            justification="Compatible avec l'annuaire.",
            head_name="Dominique Dirigeante",
            authorised_on=str(date.today() - timedelta(days=1)),
        ),
    ),
    Route(
        f"POST {ACQ_URL}/files/{{file_id}}/efvp",
        "post",
        _acq_url("/efvp", personal_information=True),
        acq_running,
        401,
        data=_acq_upload("document", done_on=str(date.today() - timedelta(days=1))),
    ),
    json_route(
        f"POST {ACQ_URL}/files/{{file_id}}/startup-meeting",
        "post",
        _acq_url("/startup-meeting", "startup"),
        convening,
        _acq_meeting,
    ),
    Route(
        f"POST {ACQ_URL}/files/{{file_id}}/strategy",
        "post",
        _acq_on_last(_acq_held_meeting, "startup"),
        convening,
        401,
    ),
    Route(
        f"GET {ACQ_URL}/files/{{file_id}}/documents/{{document_id}}",
        "get",
        _acq_on_last(
            lambda w, f: f"/documents/{f.documents.first().pk}", "catalogue", documents=True
        ),
        reading_file_documents,
        401,
    ),
]
API += ACQUISITIONS_API

# --- Acquisition pages (issue 4): the same rules as the acquisitions API --------------------------
# The guided page of a file and its forms: seen by the body's people and the broker's staff (404
# otherwise), changed by those who run the body's acquisitions (403 for the others who see it);
# the startup meeting and the frozen strategy are the broker's admins' and agents'; suppliers see
# the inbox of the questions addressed to them, never a file.


def _page(path: Callable = lambda w, f: "/", step: str = "needs", **options) -> Callable:
    """``/acquisitions/<file>`` + ``path(world, file)`` on a fresh file at ``step``."""

    def url(w: World, who: str | None, own: bool) -> str:
        file = _acq_file(w, who, own, step, **options)
        return f"/acquisitions/{file.pk}{path(w, file)}"

    return url


def _page_member(w: World, who: str | None, own: bool) -> str:
    """A member's consumption page of a group purchase (see ``_acq_group_purchase``)."""
    api = _acq_group_purchase(w, who, own)
    file_id = api.removeprefix(f"{ACQ_URL}/files/").split("/", 1)[0]
    return f"/acquisitions/{file_id}/plan/{_acq().NEED}/membres/"


def _page_question(w: World, who: str | None, own: bool) -> str:
    """The answer form of a question (see ``_acq_question``)."""
    question_id = _acq_question(w, who, own).split("/")[-2]
    return f"/acquisitions/questions/{question_id}/repondre/"


def _page_compliance(w: World, file) -> str:
    requirement = _acq_judged(w, file)
    return f"/conformite/{file.candidates.first().pk}/{requirement}/"


def _page_trial(w: World, file) -> str:
    return (
        _acq_trial_report(w, file)
        .replace("/trials/", "/bancs-essai/")
        .replace("/report", "/rapport/")
    )


def _page_line(w: World, who: str | None, own: bool) -> dict:
    return {
        "code": f"ligne-{next(_emails)}",
        "label": "L",
        "kind": "usage",
        "unit": "fixed",
        "start": 1,
    }


def redirected(expect: Expect) -> Expect:
    """As ``expect``, with a redirect (PRG) where the API answers 200."""
    return lambda who, own: 302 if expect(who, own) == 200 else expect(who, own)


page_route = lambda key, method, url, expect, data=None: Route(  # noqa: E731
    key, method, url, expect, 302, data=data or (lambda w, who, own: {})
)
ACQUISITIONS_PAGES = [
    page_route(
        "acquisitions:file_list", "get", fixed("/acquisitions/"), allowed(BROWSERS, 200, 403)
    ),
    page_route(
        "acquisitions:file_create",
        "get",
        fixed("/acquisitions/nouveau/"),
        allowed(ACQ_RUNNERS, 200, 403),
    ),
    page_route(
        "acquisitions:file_create#post",
        "post",
        fixed("/acquisitions/nouveau/"),
        allowed(ACQ_RUNNERS, 302, 403),
        lambda w, who, own: {"title": "Courriel"},
    ),
    page_route("acquisitions:file_detail", "get", _page(), acq_reading),
    page_route(
        "acquisitions:file_step",
        "get",
        _page(lambda w, f: "/etape-2/", "catalogue"),
        acq_reading,
    ),
    page_route(
        "acquisitions:offer_to_file",
        "get",
        lambda w, who, own: (
            f"/acquisitions/offres/{_acq_offers(w)['THEATRE'].pk}/ajouter-a-un-dossier/"
        ),
        _offer_to_file(200, 200),
    ),
    page_route(
        "acquisitions:offer_to_file#post",
        "post",
        lambda w, who, own: (
            f"/acquisitions/offres/{_acq_offers(w)['THEATRE'].pk}/ajouter-a-un-dossier/"
        ),
        # Another body's file is not among one's choices: refused on its field (422).
        _offer_to_file(302, 422),
        lambda w, who, own: {"file": _acq_file(w, who, own, "catalogue").pk},
    ),
    page_route(
        "acquisitions:transition", "post", _page(lambda w, f: "/etape/submit_needs/"), on_files(302)
    ),
    page_route(
        "acquisitions:transition#confirm", "get", _page(lambda w, f: "/etape/abandon/"), acq_running
    ),
    page_route("acquisitions:needs_update", "post", _page(lambda w, f: "/besoins/"), on_files(422)),
    page_route("acquisitions:need_form", "get", _page(lambda w, f: "/plan/ligne/"), acq_running),
    page_route(
        "acquisitions:need_form#post",
        "post",
        _page(lambda w, f: "/plan/ligne/"),
        on_files(302),
        _page_line,
    ),
    page_route(
        "acquisitions:need_delete",
        "post",
        _page(lambda w, f: f"/plan/{_acq().NEED}/retirer/"),
        on_files(302),
    ),
    page_route("acquisitions:member_consumption", "get", _page_member, consuming),
    page_route(
        "acquisitions:candidates_search",
        "post",
        _page(lambda w, f: "/offres/catalogue/", "catalogue"),
        on_files(302),
    ),
    page_route(
        "acquisitions:candidate_add",
        "post",
        _page(lambda w, f: "/offres/ajouter/", "catalogue"),
        on_files(302),
        lambda w, who, own: {"offer": _acq_offers(w)["THEATRE"].pk},
    ),
    page_route(
        "acquisitions:candidates_seen",
        "post",
        _page(lambda w, f: "/offres/vues/", "catalogue"),
        on_files(302),
    ),
    page_route(
        "acquisitions:candidate_remove",
        "post",
        _page(lambda w, f: f"/offres/{f.candidates.first().pk}/retirer/", "catalogue"),
        on_files(302),
    ),
    page_route(
        "acquisitions:candidate_map",
        "get",
        _page(lambda w, f: f"/offres/{f.candidates.first().pk}/composantes/", "catalogue"),
        acq_running,
    ),
    page_route(
        "acquisitions:requirement_add",
        "post",
        _page(lambda w, f: "/exigences/", "catalogue"),
        on_files(302),
        lambda w, who, own: {"label": "Interface en français"},
    ),
    page_route(
        "acquisitions:requirement_remove",
        "post",
        _page(lambda w, f: f"/exigences/{_acq_judged(w, f)}/retirer/", "catalogue"),
        on_files(302),
    ),
    page_route(
        "acquisitions:compliance_cell",
        "post",
        _page(_page_compliance, "compliance"),
        on_files(302),
        lambda w, who, own: {"verdict": "met", "note": "Vérifié."},
    ),
    page_route(
        "acquisitions:question_ask",
        "post",
        _page(lambda w, f: "/questions/", "catalogue"),
        on_files(302),
        lambda w, who, own: {"offer": _acq_offers(w)["MAIL"].pk, "text": "Où ?"},
    ),
    page_route(
        "acquisitions:trial_create",
        "post",
        _page(lambda w, f: "/bancs-essai/", "catalogue"),
        on_files(302),
        lambda w, who, own: _acq_trial(w, who, own) | {"offer": _acq_offers(w)["MAIL"].pk},
    ),
    page_route(
        "acquisitions:trial_report",
        "post",
        _page(_page_trial, "catalogue"),
        on_files(302),
        _acq_upload("report", summary="Concluant."),
    ),
    # Step 4 and 5 forms, posted on a file at step 1: whoever may act is told "wrong step" (422).
    page_route(
        "acquisitions:scenarios_compute",
        "post",
        _page(lambda w, f: "/scenarios/calculer/"),
        on_files(422),
    ),
    page_route(
        "acquisitions:scenario_choose",
        "post",
        _page(lambda w, f: "/scenarios/choisir/"),
        on_files(422),
    ),
    page_route(
        "acquisitions:head_authorisation",
        "post",
        _page(lambda w, f: "/autorisation-dirigeant/"),
        on_files(422),
    ),
    page_route(
        "acquisitions:financial_authorisation",
        "post",
        _page(lambda w, f: "/autorisation-financiere/"),
        on_files(422),
    ),
    page_route("acquisitions:efvp", "post", _page(lambda w, f: "/efvp/"), on_files(422)),
    page_route(
        "acquisitions:meeting_schedule",
        "post",
        _page(lambda w, f: "/rencontre/"),
        on_files(422, who_may=DECIDERS),
    ),
    page_route(
        "acquisitions:strategy_freeze",
        "post",
        _page(lambda w, f: "/figer/"),
        on_files(422, who_may=DECIDERS),
    ),
    page_route(
        "acquisitions:questions_inbox",
        "get",
        fixed("/acquisitions/questions/"),
        allowed(BROKER_STAFF | {"supplier_rep"}, 200, 403),
    ),
    page_route(
        "acquisitions:question_answer",
        "post",
        _page_question,
        redirected(answering),
        lambda w, who, own: {"answer": "À Montréal."},
    ),
]
PAGES += ACQUISITIONS_PAGES


def _call(client, route: Route, w: World, who: str | None, own: bool) -> int:
    """One request of the row: what it acts on is built first (once per row, kept), then the
    request runs in a savepoint rolled back after it, so that it leaves the row's world as it
    found it for the next person."""
    url = route.url(w, who, own)
    data = route.data(w, who, own)
    kwargs = {"content_type": "application/json"} if route.json else {}
    client.cookies.clear()
    if who is not None:  # signed in once for the class (``class_people``): its session
        client.cookies[settings.SESSION_COOKIE_NAME] = w.sessions[who]
    with transaction.atomic():
        status = getattr(client, route.method)(url, data, **kwargs).status_code
        transaction.set_rollback(True)
    return status


def _check(route: Route, world: World, client) -> None:
    wrong = []
    status = _call(client, route, world, None, True)
    if status != route.anonymous:
        wrong.append(f"anonymous: {status} instead of {route.anonymous}")
    for who in PEOPLE:
        for own in (True, False):
            expected = route.expect(who, own)
            status = _call(client, route, world, who, own)
            if status != expected:
                wrong.append(f"{who} ({'own' if own else 'other'}): {status} instead of {expected}")
    assert not wrong, "\n".join(wrong)


ACQUISITION_ROUTES = ACQUISITIONS_PAGES + ACQUISITIONS_API
OTHER_ROUTES = [r for r in PAGES + API if r not in ACQUISITION_ROUTES]


@pytest.fixture(scope="class")
def class_people(django_db_setup, django_db_blocker):
    """The organisations, one person per role and each one's signed-in session, built once for
    the class's rows (a request that signs out or changes its session is rolled back)."""
    with world_kept_for(django_db_blocker):
        orgs = build_orgs()
        people = build_people(orgs)
        sessions = {}
        for who, person in people.items():
            signing_in = Client()
            signing_in.force_login(person)
            sessions[who] = signing_in.session.session_key
        yield orgs, people, sessions


@pytest.mark.django_db
class TestAccessToAccountsCalendarAuditAndCatalogue:
    @pytest.fixture
    def world(self, class_people):
        return World(*class_people)

    @pytest.mark.parametrize("route", OTHER_ROUTES, ids=lambda r: r.key)
    def test_access_matrix(self, route, world, client):
        _check(route, world, client)


@pytest.mark.django_db
class TestAccessToAcquisitions:
    @pytest.fixture(scope="class")
    def acquisitions_world(self, class_people, django_db_blocker):
        """The class's people and the acquisitions Catalogue, published once."""
        orgs, people, sessions = class_people
        with world_kept_for(django_db_blocker):
            yield orgs, people, sessions, _acq().publish_catalogue(orgs)

    @pytest.fixture
    def world(self, acquisitions_world):
        orgs, people, sessions, offers = acquisitions_world
        return World(orgs, people, sessions, {"acq_offers": offers})

    @pytest.mark.parametrize("route", ACQUISITION_ROUTES, ids=lambda r: r.key)
    def test_access_matrix(self, route, world, client):
        _check(route, world, client)


def _page_names(patterns, namespace: str = "") -> set[str]:
    names: set[str] = set()
    for p in patterns:
        if isinstance(p, URLResolver):
            if p.namespace in {"api"} or (p.namespace == "admin"):
                continue
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            names |= _page_names(p.url_patterns, ns)
        elif isinstance(p, URLPattern) and p.name:
            names.add(f"{namespace}{p.name}")
    return names


def _service_routes() -> tuple[list[Route], list[Route]]:
    """The rows of service acquisitions, in tests/pricerequests/test_access.py (which imports
    this module's helpers: imported here only when the completeness tests run)."""
    from tests.pricerequests.test_access import SERVICES_API, SERVICES_PAGES

    return SERVICES_PAGES, SERVICES_API


# The rows of the apps after the contract (issue 14), each in its tests/<app>/test_access.py as
# ``PAGES`` and ``API`` (imported only when the completeness tests run).
AFTER_CONTRACT_ACCESS = (
    "tests.complaints.test_access",
    "tests.evaluations.test_access",
    "tests.exitplans.test_access",
    "tests.fees.test_access",
    "tests.publication.test_access",
    "tests.publication.test_access_ocds",
)


def _after_contract_routes() -> tuple[list[Route], list[Route]]:
    import importlib

    pages: list[Route] = []
    operations: list[Route] = []
    for name in AFTER_CONTRACT_ACCESS:
        module = importlib.import_module(name)
        pages += getattr(module, "PAGES", [])
        operations += getattr(module, "API", [])
    return pages, operations


def test_every_page_is_in_the_matrix():
    pages = PAGES + _service_routes()[0] + CONTRACT_PAGES + _after_contract_routes()[0]
    covered = {r.key.split("#")[0] for r in pages}
    assert _page_names(get_resolver().url_patterns) - covered == set()


def test_every_api_operation_is_in_the_matrix():
    schema = api.get_openapi_schema()
    operations = {
        f"{method.upper()} {path}"
        for path, methods in schema["paths"].items()
        for method in methods
    }
    covered = {
        r.key for r in API + _service_routes()[1] + CONTRACTS_API + _after_contract_routes()[1]
    }
    assert operations - covered == set()


def test_a_person_without_any_role_sees_nothing(client, db, orgs):
    from tests.factories import make_user

    client.force_login(make_user())
    assert client.get("/api/v1/organisations").json()["items"] == []
    assert client.get(f"/organisations/{orgs['client'].pk}/").status_code == 404
    assert Membership.objects.count() == 0


# --- Contracts API (issue 13): /api/v1/contracts ------------------------------------------------
# A contract is seen by the broker's staff, its client body's people and its supplier's (404
# otherwise); the broker's admins and agents prepare, generate, validate and stamp it and its
# amendments; the client's people who run its acquisitions approve, return, ask for amendments,
# record consumption and terminate; orders and invoices are also the broker's agents' to record;
# a signatory signs in its turn. The others who see it get 403, and a move the state does not
# allow (a document not generated yet) 422. "own": Ministère A's contract with Fournisseur D
# (its signatories the client's authorised signatory and Fournisseur D's representative);
# "other": Organisme B's contract with Prestataire G, which only the broker's staff see.

CTR_URL = "/api/v1/contracts"
CONTRACT_READERS = BROKER_STAFF | {
    "client_procurement",
    "client_head",
    "client_finance",
    "client_signatory",
    "client_auditor",
    "supplier_rep",
}
CONTRACT_RUNNERS = frozenset({"client_procurement", "client_head", "client_finance"})
CONSUMPTION_RECORDERS = CONTRACT_RUNNERS | DECIDERS


def on_contracts(ok: int, who_may: frozenset[str] = CONTRACT_READERS) -> Expect:
    """A contract: the broker's staff see every one, its parties' people their own (404
    otherwise); ``who_may`` get ``ok``, the others who see it 403."""

    def expect(who: str, own: bool) -> int:
        if who in BROKER_STAFF or (own and who in CONTRACT_READERS):
            return ok if who in who_may else 403
        return 404

    return expect


def _ctr(w: World, who: str | None, own: bool, state: str | None = None, **fields):
    """The row's contract ("own" or "other"), put in ``state`` for the row when given."""
    from tests.contracts.factories import forced

    contract = w.built["contracts"]["own" if own else "other"]
    if state is None:
        return contract
    return w.once(("contract", own, state), lambda: forced(contract, state, **fields))


def _ctr_url(suffix: str = "", state: str | None = None) -> Callable:
    return lambda w, who, own: f"{CTR_URL}/{_ctr(w, who, own, state).pk}{suffix}"


def _ctr_version(w: World, who: str | None, own: bool):
    """A version of the contract's document stamped by the broker (its final version)."""
    from courtier.documents.services.stamps import document_stamp
    from courtier.documents.services.store import document_keep

    contract = _ctr(w, who, own)

    def keep():
        content = pdf_bytes(f"contrat {contract.pk}")
        document = document_keep(
            by=None,
            subject=contract,
            type="signed_contract",
            title=f"Contrat {contract.reference}",
            name="contrat.pdf",
            content=content,
        )
        return document_stamp(
            by=w.people["broker_agent"],
            document=document,
            pdf=content,
            label=f"Contrat {contract.reference}",
            name="contrat-valide.pdf",
        ).version

    return w.once(("contract_version", own), keep)


def _ctr_signing(w: World, who: str | None, own: bool):
    """The contract validated and out for signing: its stamped version the current one."""
    version = _ctr_version(w, who, own)
    return _ctr(w, who, own, "validated", document=version.document, stamped=version)


def _ctr_client_signatory(w: World, who: str | None, own: bool):
    return _ctr(w, who, own).signatories.filter(party="client").first()


def _ctr_awaited_copy(w: World, who: str | None, own: bool) -> str:
    """A paper signature of the client's signatory whose copy is still to come."""
    from courtier.contracts.models import Signature

    contract = _ctr_signing(w, who, own)
    signature = w.once(
        ("awaited_copy", own),
        lambda: Signature.objects.create(
            contract=contract,
            signatory=_ctr_client_signatory(w, who, own),
            method="paper",
            signed_on=date.today(),
            stamped=contract.stamped,
            version=None,
            recorded_by=w.people["client_signatory"],
        ),
    )
    return f"{CTR_URL}/signatures/{signature.pk}/copy"


def _amd(w: World, who: str | None, own: bool, state: str):
    """Amendment 1 of the row's contract (concluded), in ``state``."""
    from courtier.contracts.models import Amendment

    contract = _ctr(w, who, own, "concluded")
    return w.once(
        ("amendment", own, state),
        lambda: Amendment.objects.create(
            contract=contract,
            number=1,
            state=state,
            reason="Six mois de plus.",
            changes=[{"kind": "duration", "months": 1}],
            requested_by=w.people["client_procurement"],
        ),
    )


def _amd_url(suffix: str, state: str) -> Callable:
    return lambda w, who, own: f"{CTR_URL}/amendments/{_amd(w, who, own, state).pk}{suffix}"


def _amd_signing_url(suffix: str) -> Callable:
    def url(w: World, who: str | None, own: bool) -> str:
        version = _ctr_version(w, who, own)
        amendment = _amd(w, who, own, "validated")
        amendment.document, amendment.stamped = version.document, version
        amendment.save(update_fields=["document", "stamped"])
        return f"{CTR_URL}/amendments/{amendment.pk}{suffix}"

    return url


def _ctr_paper(w: World, who: str | None, own: bool) -> dict:
    return {
        "signatory_id": _ctr_client_signatory(w, who, own).pk,
        "signed_on": str(date.today()),
    }


def _ctr_sign(w: World, who: str | None, own: bool) -> dict:
    from tests.factories import PASSWORD

    return {"password": PASSWORD, "version_id": _ctr_version(w, who, own).pk}


def _ctr_entry(w: World, who: str | None, own: bool) -> dict:
    return {
        "kind": "invoice",
        "number": "F-1",
        "dated_on": str(_ctr(w, who, own).start_on),
        "amount_cents": 10_000,
    }


def _ctr_csv(w: World, who: str | None, own: bool) -> dict:
    from django.core.files.uploadedfile import SimpleUploadedFile

    start = _ctr(w, who, own).start_on
    text = f"type,numero,date,montant,description\nfacture,F-2,{start},100.00,Mois 1\n"
    return {"file": SimpleUploadedFile("factures.csv", text.encode(), content_type="text/csv")}


def _ctr_termination(w: World, who: str | None, own: bool) -> dict:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return {
        "effective_on": str(_ctr(w, who, own).start_on),
        "reason": "Besoin disparu.",
        "letter": SimpleUploadedFile("lettre.pdf", pdf_bytes(f"lettre {who} {own}")),
    }


def _ctr_upload(field_name: str, **fields) -> Callable:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return lambda w, who, own: {
        **fields,
        field_name: SimpleUploadedFile("copie.pdf", pdf_bytes(f"copie {who} {own}")),
    }


preparing = on_contracts(200, DECIDERS)


def signing(who: str, own: bool) -> int:
    """The client's signatory signs in its turn (201); anyone else who sees the contract is no
    signatory whose turn it is (422, on the signatory), or not one at all."""
    expected = on_contracts(201, frozenset({"client_signatory"}))(who, own)
    return 422 if expected == 403 else expected


signing_parties = on_contracts(201, frozenset({"client_signatory"}) | CONTRACT_RUNNERS)
CONTRACTS_API = [
    Route(f"GET {CTR_URL}", "get", fixed(CTR_URL), everyone, 401),
    Route(
        f"GET {CTR_URL}/sources",
        "get",
        fixed(f"{CTR_URL}/sources"),
        allowed(DECIDERS, 200, 403),
        401,
    ),
    # The row's own strategy already has its contract: whoever may prepare one is told (422).
    json_route(
        f"POST {CTR_URL}",
        "post",
        fixed(CTR_URL),
        allowed(DECIDERS, 422, 403),
        lambda w, who, own: {"strategy_id": _ctr(w, who, True).strategy_id},
    ),
    Route(f"GET {CTR_URL}/{{contract_id}}", "get", _ctr_url(), on_contracts(200), 401),
    json_route(
        f"PATCH {CTR_URL}/{{contract_id}}",
        "patch",
        _ctr_url(),
        preparing,
        lambda w, who, own: {"price_terms": "Mensuel."},
    ),
    json_route(
        f"POST {CTR_URL}/{{contract_id}}/eligibility",
        "post",
        _ctr_url("/eligibility"),
        preparing,
        lambda w, who, own: {"confirmed_on": str(date.today() - timedelta(days=1))},
    ),
    json_route(
        f"PUT {CTR_URL}/{{contract_id}}/signatories",
        "put",
        _ctr_url("/signatories"),
        preparing,
        lambda w, who, own: {
            "signatories": [{"party": "client", "name": "A"}, {"party": "supplier", "name": "B"}]
        },
    ),
    Route(
        f"POST {CTR_URL}/{{contract_id}}/generate",
        "post",
        _ctr_url("/generate"),
        on_contracts(202, DECIDERS),
        401,
    ),
    # Not generated yet: the broker is told what is missing (422).
    Route(
        f"POST {CTR_URL}/{{contract_id}}/send-for-review",
        "post",
        _ctr_url("/send-for-review"),
        on_contracts(422, DECIDERS),
        401,
    ),
    Route(
        f"POST {CTR_URL}/{{contract_id}}/approve",
        "post",
        _ctr_url("/approve", "client_review"),
        on_contracts(200, CONTRACT_RUNNERS),
        401,
    ),
    json_route(
        f"POST {CTR_URL}/{{contract_id}}/return",
        "post",
        _ctr_url("/return", "client_review"),
        on_contracts(200, CONTRACT_RUNNERS),
        lambda w, who, own: {"comment": "L'annexe est incomplète."},
    ),
    Route(
        f"POST {CTR_URL}/{{contract_id}}/validate",
        "post",
        _ctr_url("/validate", "approved"),
        on_contracts(422, DECIDERS),
        401,
    ),
    json_route(
        f"POST {CTR_URL}/{{contract_id}}/sign",
        "post",
        lambda w, who, own: f"{CTR_URL}/{_ctr_signing(w, who, own).pk}/sign",
        signing,
        _ctr_sign,
    ),
    Route(
        f"POST {CTR_URL}/{{contract_id}}/paper-signatures",
        "post",
        lambda w, who, own: f"{CTR_URL}/{_ctr_signing(w, who, own).pk}/paper-signatures",
        signing_parties,
        401,
        data=_ctr_paper,
    ),
    Route(
        f"POST {CTR_URL}/signatures/{{signature_id}}/copy",
        "post",
        _ctr_awaited_copy,
        on_contracts(200, frozenset({"client_signatory"}) | CONTRACT_RUNNERS),
        401,
        data=_ctr_upload("document"),
    ),
    Route(
        f"GET {CTR_URL}/{{contract_id}}/amendments",
        "get",
        _ctr_url("/amendments"),
        on_contracts(200),
        401,
    ),
    json_route(
        f"POST {CTR_URL}/{{contract_id}}/amendments",
        "post",
        _ctr_url("/amendments", "concluded"),
        on_contracts(201, CONTRACT_RUNNERS),
        lambda w, who, own: {
            "reason": "Six mois de plus.",
            "changes": [{"kind": "duration", "months": 6}],
        },
    ),
    Route(
        f"GET {CTR_URL}/amendments/{{amendment_id}}",
        "get",
        _amd_url("", "requested"),
        on_contracts(200),
        401,
    ),
    json_route(
        f"PUT {CTR_URL}/amendments/{{amendment_id}}",
        "put",
        _amd_url("", "preparation"),
        preparing,
        lambda w, who, own: {
            "reason": "Sept mois de plus.",
            "changes": [{"kind": "duration", "months": 7}],
            "fee_cents": 10_000,
        },
    ),
    json_route(
        f"POST {CTR_URL}/amendments/{{amendment_id}}/prepare",
        "post",
        _amd_url("/prepare", "requested"),
        preparing,
        lambda w, who, own: {"fee_cents": 10_000},
    ),
    json_route(
        f"POST {CTR_URL}/amendments/{{amendment_id}}/refuse",
        "post",
        _amd_url("/refuse", "requested"),
        preparing,
        lambda w, who, own: {"comment": "Hors de la portée du contrat."},
    ),
    Route(
        f"POST {CTR_URL}/amendments/{{amendment_id}}/withdraw",
        "post",
        _amd_url("/withdraw", "requested"),
        on_contracts(200, CONTRACT_RUNNERS),
        401,
    ),
    Route(
        f"POST {CTR_URL}/amendments/{{amendment_id}}/generate",
        "post",
        _amd_url("/generate", "preparation"),
        on_contracts(202, DECIDERS),
        401,
    ),
    Route(
        f"POST {CTR_URL}/amendments/{{amendment_id}}/send-for-review",
        "post",
        _amd_url("/send-for-review", "preparation"),
        on_contracts(422, DECIDERS),
        401,
    ),
    Route(
        f"POST {CTR_URL}/amendments/{{amendment_id}}/approve",
        "post",
        _amd_url("/approve", "client_review"),
        on_contracts(200, CONTRACT_RUNNERS),
        401,
    ),
    json_route(
        f"POST {CTR_URL}/amendments/{{amendment_id}}/return",
        "post",
        _amd_url("/return", "client_review"),
        on_contracts(200, CONTRACT_RUNNERS),
        lambda w, who, own: {"comment": "Le motif est à préciser."},
    ),
    Route(
        f"POST {CTR_URL}/amendments/{{amendment_id}}/validate",
        "post",
        _amd_url("/validate", "approved"),
        on_contracts(422, DECIDERS),
        401,
    ),
    json_route(
        f"POST {CTR_URL}/amendments/{{amendment_id}}/sign",
        "post",
        _amd_signing_url("/sign"),
        signing,
        _ctr_sign,
    ),
    Route(
        f"POST {CTR_URL}/amendments/{{amendment_id}}/paper-signatures",
        "post",
        _amd_signing_url("/paper-signatures"),
        signing_parties,
        401,
        data=_ctr_paper,
    ),
    Route(
        f"GET {CTR_URL}/{{contract_id}}/consumption",
        "get",
        _ctr_url("/consumption"),
        on_contracts(200),
        401,
    ),
    Route(
        f"POST {CTR_URL}/{{contract_id}}/entries",
        "post",
        _ctr_url("/entries", "concluded"),
        on_contracts(201, CONSUMPTION_RECORDERS),
        401,
        data=_ctr_entry,
    ),
    Route(
        f"POST {CTR_URL}/{{contract_id}}/entries/import",
        "post",
        _ctr_url("/entries/import", "concluded"),
        on_contracts(201, CONSUMPTION_RECORDERS),
        401,
        data=_ctr_csv,
    ),
    Route(
        f"POST {CTR_URL}/{{contract_id}}/termination",
        "post",
        _ctr_url("/termination", "concluded"),
        on_contracts(201, CONTRACT_RUNNERS),
        401,
        data=_ctr_termination,
    ),
]


@pytest.mark.django_db
class TestAccessToContractsApi:
    @pytest.fixture(scope="class")
    def contracts_world(self, class_people, django_db_blocker):
        """The class's people and two prepared contracts, built once: Ministère A's with
        Fournisseur D (a solutions contract) and Organisme B's with Prestataire G (a services
        contract, moved to the other parties)."""
        from courtier.contracts.models import Contract
        from tests.contracts import factories as contract_factories

        orgs, people, sessions = class_people
        with world_kept_for(django_db_blocker):
            own = contract_factories.solutions_contract(orgs, people, ready=False)
            Contract.objects.filter(pk=own.pk).update(supplier=orgs["supplier"])
            own = contract_factories.prepared(Contract.objects.get(pk=own.pk), people)
            other = contract_factories.services_contract(orgs, people, ready=False)
            Contract.objects.filter(pk=other.pk).update(
                client=orgs["client_other"], supplier=orgs["provider_other"]
            )
            other = contract_factories.prepared(
                Contract.objects.get(pk=other.pk),
                people,
                signatories=[
                    {"party": "client", "order": 1, "name": "Signataire de B"},
                    {"party": "supplier", "order": 1, "name": "Représentant de G"},
                ],
            )
            yield orgs, people, sessions, {"own": own, "other": other}

    @pytest.fixture
    def world(self, contracts_world):
        orgs, people, sessions, contracts = contracts_world
        return World(orgs, people, sessions, {"contracts": contracts})

    @pytest.mark.parametrize("route", CONTRACTS_API, ids=lambda r: r.key)
    def test_access_matrix(self, route, world, client):
        _check(route, world, client)


# --- Contract pages (issue 13): /contrats/ ----------------------------------------------------
# The same rules as the contracts API, on the same two contracts: the list is everyone's (each
# sees their own), the preparation queue and its forms the broker's admins' and agents'; a
# contract's versions are read by those who see its document and by its parties (its
# signatories and the supplier's representatives), who sign what they read; each form of the
# page is for who may make its move (403 for the others who see the contract, before any form
# is read).


def reading_contract_versions(who: str, own: bool) -> int:
    if on_contracts(200)(who, own) != 200:
        return 404
    readers = DECIDERS | CONTRACT_RUNNERS | {"client_signatory", "supplier_rep"}
    return 200 if who in readers else 404


def _ctr_page(suffix: str = "", state: str | None = None) -> Callable:
    return lambda w, who, own: f"/contrats/{_ctr(w, who, own, state).pk}/{suffix}"


def _ctr_version_page(w: World, who: str | None, own: bool) -> str:
    contract = _ctr_signing(w, who, own)
    return f"/contrats/{contract.pk}/versions/{_ctr_version(w, who, own).pk}/"


def _amd_page(op: str, state: str) -> Callable:
    def url(w: World, who: str | None, own: bool) -> str:
        amendment = _amd(w, who, own, state)
        return f"/contrats/{amendment.contract_id}/avenants/{amendment.number}/{op}/"

    return url


CONTRACT_PAGES = [
    page_route("contracts:contract_list", "get", fixed("/contrats/"), everyone),
    page_route(
        "contracts:preparation_queue",
        "get",
        fixed("/contrats/preparation/"),
        allowed(DECIDERS, 200, 403),
    ),
    # The row's own strategy already has its contract: whoever may prepare one is told (422).
    page_route(
        "contracts:contract_create",
        "post",
        fixed("/contrats/nouveau/"),
        allowed(DECIDERS, 422, 403),
        lambda w, who, own: {"source": f"strategy:{_ctr(w, who, True).strategy_id}"},
    ),
    page_route("contracts:detail", "get", _ctr_page(), on_contracts(200)),
    page_route("contracts:version", "get", _ctr_version_page, reading_contract_versions),
    # The terms form, empty: the broker is told what is missing (422).
    page_route(
        "contracts:contract_action", "post", _ctr_page("conditions/"), on_contracts(422, DECIDERS)
    ),
    page_route(
        "contracts:contract_action#approuver",
        "post",
        _ctr_page("approuver/", "client_review"),
        on_contracts(302, CONTRACT_RUNNERS),
    ),
    # A wrong password: each signatory is told (422), in its turn or not.
    page_route(
        "contracts:contract_action#signer",
        "post",
        lambda w, who, own: f"/contrats/{_ctr_signing(w, who, own).pk}/signer/",
        on_contracts(422, frozenset({"client_signatory", "supplier_rep"})),
        lambda w, who, own: {"version": _ctr_version(w, who, own).pk, "password": "faux"},
    ),
    page_route(
        "contracts:contract_action#commande-facture",
        "post",
        _ctr_page("commande-facture/", "concluded"),
        on_contracts(422, CONSUMPTION_RECORDERS),
    ),
    page_route(
        "contracts:amendment_action",
        "post",
        _amd_page("preparer", "requested"),
        on_contracts(422, DECIDERS),
    ),
]


class TestAccessToContractPages(TestAccessToContractsApi):
    """The contract pages on the API rows' world (the API's own test is not run again here)."""

    @pytest.mark.parametrize("route", CONTRACT_PAGES, ids=lambda r: r.key)
    def test_access_matrix(self, route, world, client):
        _check(route, world, client)
