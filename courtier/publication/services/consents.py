"""The client's consent to name a contact person in the list of concluded contracts (002 §4.7,
DOMAIN §5.7: « sous réserve de l'accord du client »): given by the client's people for one of
its people, revoked by them at any time (the contact is hidden at once); the history is kept."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from courtier.accounts import permissions
from courtier.contracts.models import Contract
from courtier.publication import messages, selectors
from courtier.publication.models import ContactConsent
from courtier.publication.services.common import lock_contract, record


def snapshot(consent: ContactConsent | None) -> dict[str, Any] | None:
    if consent is None:
        return None
    return {
        "contact": consent.contact.email,
        "given_by": consent.given_by.email,
        "given_at": consent.given_at.isoformat(),
        "revoked_by": consent.revoked_by.email if consent.revoked_by_id else None,
        "revoked_at": consent.revoked_at.isoformat() if consent.revoked_at else None,
    }


@transaction.atomic
def contact_consent_give(*, by: Any, contract: Contract, contact_id: int | None) -> ContactConsent:
    """``contact_id``: a person of the client; refused while another person's consent is in
    force (the same person's is returned as it is)."""
    contract = lock_contract(by, contract)
    contact = (
        selectors.client_people(contract).filter(pk=contact_id).first() if contact_id else None
    )
    if contact is None:
        raise ValidationError(
            {"contact": messages.CONTACT_NOT_OF_CLIENT if contact_id else messages.REQUIRED}
        )
    in_force = ContactConsent.objects.filter(contract=contract, revoked_at__isnull=True).first()
    if in_force is not None:
        if in_force.contact_id == contact.pk:  # a replayed submission: nothing twice
            return in_force
        raise ValidationError({"contact": messages.CONSENT_IN_FORCE})
    consent = ContactConsent(
        contract=contract, contact=contact, given_by=by, given_at=timezone.now()
    )
    consent.save()
    permissions.require_change(by, consent)
    record(by, "contact_consent.given", consent, contract, None, snapshot(consent))
    return consent


@transaction.atomic
def contact_consent_revoke(*, by: Any, contract: Contract) -> ContactConsent:
    """The consent in force revoked: the contact leaves the list, the page and the exports."""
    contract = lock_contract(by, contract)
    consent = (
        ContactConsent.objects.select_for_update()
        .filter(contract=contract, revoked_at__isnull=True)
        .first()
    )
    if consent is None:
        raise ValidationError({"contact": messages.NO_CONSENT})
    permissions.require_change(by, consent)
    before = snapshot(consent)
    consent.revoked_by = by
    consent.revoked_at = timezone.now()
    consent.save(update_fields=["revoked_by", "revoked_at"])
    record(by, "contact_consent.revoked", consent, contract, before, snapshot(consent))
    return consent
