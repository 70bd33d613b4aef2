"""Who sees documents (DOMAIN §1, §7): a document is visible to whoever sees the object it
belongs to; a confidential or personal one only to its owner organisation's people who run its
files (a client's procurement officers, head and finance; a supplier's representatives) and to
the broker's agents and administrators (the records). Legal holds and disposals are the
broker's records (its auditor reads them); what is owed to the broker is seen by the broker and
by the client that owes it. The broker's validated versions (its stamp's registry) are seen by
whoever sees their document; verifying a file or a code is open to every signed-in person
(``verification``), which tells only what was validated, by whom, when and its code."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from courtier.accounts import permissions
from courtier.accounts.permissions import Grants, Policy, never, register
from courtier.accounts.rules import Perm
from courtier.documents import subjects
from courtier.documents.models import (
    Disposal,
    Document,
    LegalHold,
    TransmissionRequest,
    ValidatedVersion,
)


def owners_people(g: Grants) -> set[int]:
    """The organisations whose restricted documents this person may read (as their owner)."""
    return g.organisations_with(Perm.RUN_ACQUISITIONS) | g.organisations_with(Perm.PROPOSE_SHEET)


def keeps_records(g: Grants) -> bool:
    return g.anywhere(Perm.MANAGE_RECORDS)


def may_read_records(user: Any) -> bool:
    """The broker's records page: its staff who keep the records, and its auditor (reads)."""
    g = permissions.grants(user)
    return keeps_records(g) or (
        g.anywhere(Perm.SEE_ALL_ORGANISATIONS) and g.anywhere(Perm.VIEW_AUDIT)
    )


def may_manage_records(user: Any) -> bool:
    """Places and lifts legal holds, approves disposals (DOMAIN §7: the broker's approval)."""
    g = permissions.grants(user)
    return keeps_records(g) and g.anywhere(Perm.WRITE)


def may_see_transmissions(user: Any) -> bool:
    """The page of documents owed to the broker: its staff, and a client's people who run its
    files (DOMAIN §7)."""
    g = permissions.grants(user)
    return g.anywhere(Perm.SEE_ALL_ORGANISATIONS) or g.anywhere(Perm.RUN_ACQUISITIONS)


def may_stamp(user: Any) -> bool:
    """The broker's stamp on a final version it validated (002 §2.3.1, §4.5): its admins and
    agents, never its auditor (who changes nothing) nor anyone outside the broker."""
    g = permissions.grants(user)
    return g.anywhere(Perm.SEE_ALL_ORGANISATIONS) and g.anywhere(Perm.WRITE)


def _subjects_seen(user: Any) -> Q:
    seen = Q(pk__in=[])
    for subject in subjects.registered():
        visible = permissions.scope(user, subject.model.objects.all()).values("pk")
        seen |= Q(
            subject_type=ContentType.objects.get_for_model(subject.model), subject_id__in=visible
        )
    return seen


def documents_scope(user: Any, g: Grants) -> Q:
    if keeps_records(g):
        return Q()
    if not g.organisation_ids:
        return Q(pk__in=[])
    open_ones = Q(confidential=False, personal_information=False)
    return _subjects_seen(user) & (open_ones | Q(owner_id__in=owners_people(g)))


def _changes_document(user: Any, g: Grants, document: Any) -> bool:
    """Adds a version: the broker's records, or the owner's people, on a document they see."""
    if not g.anywhere(Perm.WRITE):
        return False
    if keeps_records(g):
        return True
    return document.owner_id in owners_people(g) and permissions.can_view(user, document)


def _records_scope(user: Any, g: Grants) -> Q:
    if may_read_records(user):
        return Q()
    return Q(pk__in=[])


def _transmissions_scope(user: Any, g: Grants) -> Q:
    if g.anywhere(Perm.SEE_ALL_ORGANISATIONS):
        return Q()
    return Q(client_id__in=g.organisations_with(Perm.RUN_ACQUISITIONS))


def _answers_transmission(user: Any, g: Grants, request: Any) -> bool:
    return request.client_id in g.organisations_with(Perm.RUN_ACQUISITIONS) and g.anywhere(
        Perm.WRITE
    )


def _validated_scope(user: Any, g: Grants) -> Q:
    if keeps_records(g):
        return Q()
    seen = Document.objects.filter(documents_scope(user, g)).values("pk")
    return Q(version__document_id__in=seen)


register(Document, Policy(scope=documents_scope, change=_changes_document))
register(LegalHold, Policy(scope=_records_scope, change=never))
register(Disposal, Policy(scope=_records_scope, change=never))
register(TransmissionRequest, Policy(scope=_transmissions_scope, change=_answers_transmission))
register(ValidatedVersion, Policy(scope=_validated_scope, change=never))
