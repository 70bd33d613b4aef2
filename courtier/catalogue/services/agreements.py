"""Framework agreements (ententes-cadres signed by the broker with suppliers and providers,
DOMAIN §1), qualifications for professional or technical services and the providers qualified
in them (002 §3). The broker's catalogue editors write them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from courtier.accounts import permissions
from courtier.accounts.models import Organisation, OrganisationKind, User
from courtier.accounts.rules import Perm
from courtier.audit.services import audit_event_record
from courtier.catalogue.messages import (
    AGREEMENT_DATES,
    AGREEMENT_HOLDER,
    AGREEMENT_NUMBER_TAKEN,
    AGREEMENT_OF_ANOTHER,
    ALREADY_QUALIFIED,
    NOT_A_PROVIDER,
    QUALIFICATION_CODE_TAKEN,
)
from courtier.catalogue.models import (
    Category,
    FrameworkAgreement,
    ProviderQualification,
    Qualification,
)


def _agreement_snapshot(agreement: FrameworkAgreement) -> dict[str, Any]:
    return {
        "organisation": agreement.organisation_id,
        "number": agreement.number,
        "title": agreement.title,
        "starts_on": agreement.starts_on.isoformat(),
        "ends_on": agreement.ends_on.isoformat(),
        "status": agreement.status,
        "categories": sorted(agreement.categories.values_list("code", flat=True)),
    }


@transaction.atomic
def framework_agreement_save(
    *,
    by: User | None,
    organisation: Organisation,
    number: str,
    title: str,
    starts_on: date,
    ends_on: date,
    status: str = "in_force",
    categories: Sequence[Category] = (),
    agreement: FrameworkAgreement | None = None,
) -> FrameworkAgreement:
    """Record (or correct) an entente-cadre signed by the broker (DOMAIN §1)."""
    if by is not None:
        permissions.require_perm(by, Perm.PUBLISH_CATALOGUE)
    if organisation.kind not in (OrganisationKind.SUPPLIER, OrganisationKind.PROVIDER):
        raise ValidationError({"organisation": AGREEMENT_HOLDER})
    if ends_on < starts_on:
        raise ValidationError({"ends_on": AGREEMENT_DATES})
    number = number.strip()
    taken = FrameworkAgreement.objects.filter(number__iexact=number)
    if agreement is not None:
        taken = taken.exclude(pk=agreement.pk)
        agreement = FrameworkAgreement.objects.select_for_update().get(pk=agreement.pk)
    if taken.exists():
        raise ValidationError({"number": AGREEMENT_NUMBER_TAKEN})
    before = _agreement_snapshot(agreement) if agreement else None
    agreement = agreement or FrameworkAgreement()
    agreement.organisation = organisation
    agreement.number, agreement.title = number, title.strip()
    agreement.starts_on, agreement.ends_on, agreement.status = starts_on, ends_on, status
    agreement.save()
    agreement.categories.set(categories)
    after = _agreement_snapshot(agreement)
    if after != before:
        audit_event_record(
            actor=by,
            action="framework_agreement.created"
            if before is None
            else "framework_agreement.updated",
            obj=agreement,
            organisation=organisation,
            before=before,
            after=after,
        )
    return agreement


@transaction.atomic
def qualification_create(
    *, by: User | None, code: str, name: str, scope_description: str
) -> Qualification:
    """A qualification for professional or technical services, with its scope (002 §3)."""
    if by is not None:
        permissions.require_perm(by, Perm.PUBLISH_CATALOGUE)
    if Qualification.objects.filter(code=code).exists():
        raise ValidationError({"code": QUALIFICATION_CODE_TAKEN})
    qualification = Qualification.objects.create(
        code=code, name=name.strip(), scope_description=scope_description.strip()
    )
    audit_event_record(
        actor=by,
        action="qualification.created",
        obj=qualification,
        after={"code": code, "name": qualification.name},
    )
    return qualification


@transaction.atomic
def provider_qualify(
    *,
    by: User | None,
    qualification: Qualification,
    provider: Organisation,
    agreement: FrameworkAgreement,
    qualified_on: date,
    contact_name: str,
    contact_email: str,
    contact_phone: str = "",
) -> ProviderQualification:
    """Add a provider to the list of those qualified in ``qualification``."""
    if by is not None:
        permissions.require_perm(by, Perm.PUBLISH_CATALOGUE)
    if provider.kind != OrganisationKind.PROVIDER:
        raise ValidationError({"provider": NOT_A_PROVIDER})
    if agreement.organisation_id != provider.pk:
        raise ValidationError({"agreement": AGREEMENT_OF_ANOTHER})
    if ProviderQualification.objects.filter(
        qualification=qualification, provider=provider
    ).exists():
        raise ValidationError({"provider": ALREADY_QUALIFIED})
    row = ProviderQualification.objects.create(
        qualification=qualification,
        provider=provider,
        agreement=agreement,
        qualified_on=qualified_on,
        contact_name=contact_name.strip(),
        contact_email=contact_email.strip(),
        contact_phone=contact_phone.strip(),
    )
    audit_event_record(
        actor=by,
        action="provider.qualified",
        obj=row,
        organisation=provider,
        after={
            "qualification": qualification.code,
            "agreement": agreement.number,
            "qualified_on": qualified_on.isoformat(),
        },
    )
    return row
