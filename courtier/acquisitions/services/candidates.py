"""Steps 2-3 (002 §2.2-2.3): the offers of the Catalogue listed for the file, the automatic
requirements read from the Catalogue and the ones the client judges, and the compliance of each
offer to each requirement."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courtier.accounts.models import User
from courtier.acquisitions import engine_inputs, rules
from courtier.acquisitions.messages import (
    AUTOMATIC_REQUIREMENT,
    MAPPING_INVALID,
    NEED_UNKNOWN,
    OFFER_ALREADY_CANDIDATE,
    OFFER_NOT_QUALIFIED,
    REQUIREMENT_LABEL_REQUIRED,
    VERDICT_INVALID,
)
from courtier.acquisitions.models import (
    AcquisitionFile,
    CandidateOffer,
    ComplianceRecord,
    Location,
    Requirement,
    RequirementKind,
    Verdict,
)
from courtier.acquisitions.services.common import (
    _lock,
    _record,
    _require_runs,
    _require_state,
    _today,
    _touch,
)
from courtier.catalogue.models import Offer, OfferStatus


def _offer_facts(offer: Offer) -> rules.OfferFacts:
    return rules.OfferFacts(
        category_code=offer.category.code,
        hosted_in_canada_only=offer.hosted_in_canada_only,
        hosted_in_quebec_only=offer.hosted_in_quebec_only,
        personal_information_authorised=offer.personal_information_authorised,
    )


_AUTOMATIC_LABELS = {
    RequirementKind.CATEGORY: _("Offre du volet recherché"),
    RequirementKind.LOCATION: _("Centres de données à l'endroit exigé"),
    RequirementKind.PI_HOSTING: _(
        "Centres de données autorisés pour les renseignements personnels"
    ),
}


def _ensure_automatic_requirements(file: AcquisitionFile) -> list[Requirement]:
    """The automatic filters that apply to the file's needs (002 §2.3.1)."""
    wanted = [RequirementKind.CATEGORY]
    if file.location != Location.ANYWHERE:
        wanted.append(RequirementKind.LOCATION)
    if file.personal_information:
        wanted.append(RequirementKind.PI_HOSTING)
    file.requirements.exclude(kind=RequirementKind.JUDGED).exclude(kind__in=wanted).delete()
    result = []
    for position, kind in enumerate(wanted):
        requirement, _created = Requirement.objects.get_or_create(
            file=file,
            kind=kind,
            defaults={"label": str(_AUTOMATIC_LABELS[kind]), "position": position},
        )
        result.append(requirement)
    return result


def _automatic_verdict(file: AcquisitionFile, requirement: Requirement, offer: Offer) -> str:
    return rules.automatic_verdict(
        requirement.kind,
        offer=_offer_facts(offer),
        category_code=file.category.code if file.category_id else "",
        location=file.location,
    )


def _fill_records(file: AcquisitionFile, candidates: Iterable[CandidateOffer]) -> None:
    """Every candidate gets a record per requirement; automatic ones get their verdict."""
    requirements = list(file.requirements.all())
    for candidate in candidates:
        existing = {r.requirement_id: r for r in candidate.records.all()}
        for requirement in requirements:
            record = existing.get(requirement.pk)
            if requirement.is_automatic:
                verdict = _automatic_verdict(file, requirement, candidate.offer)
                if record is None:
                    ComplianceRecord.objects.create(
                        candidate=candidate, requirement=requirement, verdict=verdict
                    )
                elif record.verdict != verdict:
                    record.verdict, record.updated_at = verdict, timezone.now()
                    record.save(update_fields=["verdict", "updated_at"])
            elif record is None:
                ComplianceRecord.objects.create(candidate=candidate, requirement=requirement)


def _new_candidate(file: AcquisitionFile, offer: Offer) -> CandidateOffer:
    needs = list(file.needs.all())
    priced = engine_inputs.priced_components([offer.pk], _today()).get(offer.pk, {})
    components = list(offer.components.all())
    return CandidateOffer.objects.create(
        file=file,
        offer=offer,
        version_seen_id=offer.version_id,
        looked_at=timezone.now(),
        mapping=engine_inputs.guess_mapping(needs, components, priced),
    )


def _candidate_snapshot(candidate: CandidateOffer) -> dict[str, Any]:
    return {
        "offer": candidate.offer_id,
        "version_seen": candidate.version_seen_id,
        "mapping": candidate.mapping,
    }


@transaction.atomic
def candidates_from_catalogue(*, by: User, file: AcquisitionFile) -> list[CandidateOffer]:
    """Step 2 (002 §2.2): the qualified offers of the latest sheets that pass the automatic
    filters (category, data-centre location, hosting authorised for personal information)
    join the list, each with the sheet version looked at."""
    file = _lock(file)
    _require_runs(by, file)
    _require_state(file, rules.State.CATALOGUE)
    requirements = _ensure_automatic_requirements(file)
    known = set(file.candidates.values_list("offer_id", flat=True))
    offers = (
        Offer.objects.filter(status=OfferStatus.QUALIFIED, version__isnull=False)
        .exclude(pk__in=known)
        .select_related("category", "supplier")
        .prefetch_related("components")
    )
    added = []
    for offer in offers:
        if all(_automatic_verdict(file, r, offer) == Verdict.MET for r in requirements):
            candidate = _new_candidate(file, offer)
            added.append(candidate)
            _record(
                by,
                "acquisition.candidate_added",
                candidate,
                file,
                None,
                _candidate_snapshot(candidate),
            )
    _fill_records(file, file.candidates.select_related("offer__category"))
    file.looked_at = timezone.now()
    file.save(update_fields=["looked_at", "updated_at"])
    return added


@transaction.atomic
def candidate_add(*, by: User, file: AcquisitionFile, offer: Offer) -> CandidateOffer:
    """The client adds an offer it found in the Catalogue; automatic verdicts still apply."""
    file = _lock(file)
    _require_runs(by, file)
    _require_state(file, rules.State.CATALOGUE, rules.State.COMPLIANCE)
    if offer.status != OfferStatus.QUALIFIED or offer.version_id is None:
        raise ValidationError({"offer": OFFER_NOT_QUALIFIED})
    if file.candidates.filter(offer=offer).exists():
        raise ValidationError({"offer": OFFER_ALREADY_CANDIDATE})
    _ensure_automatic_requirements(file)
    candidate = _new_candidate(file, offer)
    _fill_records(file, [candidate])
    _record(
        by, "acquisition.candidate_added", candidate, file, None, _candidate_snapshot(candidate)
    )
    _touch(file)
    return candidate


@transaction.atomic
def candidate_remove(*, by: User, candidate: CandidateOffer) -> None:
    file = _lock(candidate.file)
    _require_runs(by, file)
    _require_state(file, rules.State.CATALOGUE, rules.State.COMPLIANCE)
    _record(
        by, "acquisition.candidate_removed", candidate, file, _candidate_snapshot(candidate), None
    )
    candidate.delete()
    _touch(file)


@transaction.atomic
def candidate_map(
    *, by: User, candidate: CandidateOffer, mapping: Mapping[str, str]
) -> CandidateOffer:
    """The client says which component of the offer covers which need (002 §2.4.1: a scenario
    may need several components, or several offers of one supplier)."""
    file = _lock(candidate.file)
    _require_runs(by, file)
    _require_state(file, rules.State.CATALOGUE, rules.State.COMPLIANCE)
    needs = set(file.needs.values_list("code", flat=True))
    priced = engine_inputs.priced_components([candidate.offer_id], _today()).get(
        candidate.offer_id, {}
    )
    errors = {}
    for need_code, component_code in mapping.items():
        if need_code not in needs:
            errors[f"mapping.{need_code}"] = NEED_UNKNOWN
        elif component_code and component_code not in priced:
            errors[f"mapping.{need_code}"] = MAPPING_INVALID
    if errors:
        raise ValidationError(errors)
    before = _candidate_snapshot(candidate)
    candidate.mapping = {n: c for n, c in mapping.items() if c}
    candidate.save(update_fields=["mapping"])
    _record(
        by, "acquisition.candidate_mapped", candidate, file, before, _candidate_snapshot(candidate)
    )
    _touch(file)
    return candidate


@transaction.atomic
def candidates_mark_seen(*, by: User, file: AcquisitionFile) -> AcquisitionFile:
    """The client has reviewed what changed: every candidate now points at its sheet's latest
    version (004 §3.2: clients with an acquisition in progress consider the changes)."""
    file = _lock(file)
    _require_runs(by, file)
    _require_state(file, rules.State.CATALOGUE, rules.State.COMPLIANCE, rules.State.CHOICE)
    now = timezone.now()
    for candidate in file.candidates.select_related("offer"):
        if candidate.version_seen_id != candidate.offer.version_id:
            before = _candidate_snapshot(candidate)
            candidate.version_seen_id = candidate.offer.version_id
            candidate.looked_at = now
            candidate.save(update_fields=["version_seen", "looked_at"])
            _record(
                by,
                "acquisition.candidate_seen",
                candidate,
                file,
                before,
                _candidate_snapshot(candidate),
            )
        else:
            candidate.looked_at = now
            candidate.save(update_fields=["looked_at"])
    file.looked_at = now
    file.save(update_fields=["looked_at", "updated_at"])
    return file


@transaction.atomic
def requirement_add(*, by: User, file: AcquisitionFile, label: str) -> Requirement:
    """A requirement the client judges itself (002 §2.3: higher security requirements are
    allowed as selection criteria)."""
    file = _lock(file)
    _require_runs(by, file)
    _require_state(file, rules.State.CATALOGUE, rules.State.COMPLIANCE)
    if not label.strip():
        raise ValidationError({"label": REQUIREMENT_LABEL_REQUIRED})
    position = (file.requirements.aggregate(m=Max("position"))["m"] or 0) + 1
    requirement = Requirement.objects.create(
        file=file, kind=RequirementKind.JUDGED, label=label.strip()[:300], position=position
    )
    _fill_records(file, file.candidates.select_related("offer__category"))
    _record(
        by, "acquisition.requirement_added", requirement, file, None, {"label": requirement.label}
    )
    _touch(file)
    return requirement


@transaction.atomic
def requirement_remove(*, by: User, requirement: Requirement) -> None:
    file = _lock(requirement.file)
    _require_runs(by, file)
    _require_state(file, rules.State.CATALOGUE, rules.State.COMPLIANCE)
    if requirement.is_automatic:
        raise ValidationError({"requirement": AUTOMATIC_REQUIREMENT})
    _record(
        by, "acquisition.requirement_removed", requirement, file, {"label": requirement.label}, None
    )
    requirement.delete()
    _touch(file)


@transaction.atomic
def compliance_record(
    *, by: User, candidate: CandidateOffer, requirement: Requirement, verdict: str, note: str = ""
) -> ComplianceRecord:
    """Whether one offer meets one requirement, with a note (002 §2.3.1)."""
    file = _lock(candidate.file)
    _require_runs(by, file)
    _require_state(file, rules.State.COMPLIANCE)
    if requirement.file_id != file.pk:
        raise ValidationError({"requirement": _("Cette exigence n'est pas celle du dossier.")})
    if requirement.is_automatic:
        raise ValidationError({"requirement": AUTOMATIC_REQUIREMENT})
    if verdict not in Verdict.values:
        raise ValidationError({"verdict": VERDICT_INVALID})
    record, _created = ComplianceRecord.objects.select_for_update().get_or_create(
        candidate=candidate, requirement=requirement
    )
    before = {"verdict": record.verdict, "note": record.note}
    record.verdict, record.note = verdict, note.strip()
    record.updated_by, record.updated_at = by, timezone.now()
    record.save()
    _record(
        by,
        "acquisition.compliance_recorded",
        record,
        file,
        before,
        {"verdict": record.verdict, "note": record.note},
    )
    _touch(file)
    return record


def requirements_fill(file: AcquisitionFile) -> None:
    """When the list is established (002 §2.3.1): the automatic requirements the file's needs
    call for, and a record of every candidate against every requirement, the automatic ones
    decided. Inside the caller's transaction, on the locked file."""
    _ensure_automatic_requirements(file)
    _fill_records(file, file.candidates.select_related("offer__category"))
