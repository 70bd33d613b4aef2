"""Steps 2-3 (002 §2.2-2.3): the offers of the Catalogue listed for the file, the requirements
the client judges, and the compliance of each offer to each requirement."""

from django.http import HttpRequest
from ninja import Router, Status

from courtier.acquisitions import selectors
from courtier.acquisitions.api.answers import _candidate, _candidates, _detail, _one_candidate
from courtier.acquisitions.api.common import _candidate_of, _fields, _offer_for, _requirement_of
from courtier.acquisitions.api.schemas import (
    CandidateIn,
    CandidateOut,
    ComplianceIn,
    ComplianceOut,
    FileDetailOut,
    MappingIn,
    RequirementIn,
    RequirementOut,
)
from courtier.acquisitions.services import candidates as candidates_services
from courtier.core.apierrors import ERRORS, path_id

router = Router()


@router.post(
    "/files/{file_id}/candidates/search",
    response={200: list[CandidateOut], **ERRORS},
    summary="Chercher dans le Catalogue (étape 2)",
    description=(
        "Ajoute à la liste les offres qualifiées des dernières fiches qui passent les filtres "
        "automatiques (volet, localisation, hébergement des renseignements personnels) ; "
        "répond les offres ajoutées."
    ),
)
def candidates_search(request: HttpRequest, file_id: int = path_id()):
    file = selectors.file_to_run(request.user, file_id)
    added = candidates_services.candidates_from_catalogue(by=request.user, file=file)
    changed = selectors.changed_since_looked(request.user, file)
    ids = {c.pk for c in added}
    return [_candidate(c, changed) for c in _candidates(file) if c.pk in ids]


# Declared before /candidates/{candidate_id}: the first path that matches answers.
@router.post(
    "/files/{file_id}/candidates/seen",
    response={200: FileDetailOut, **ERRORS},
    summary="J'ai pris connaissance des modifications du Catalogue",
    description="Chaque offre retenue pointe désormais la dernière version de sa fiche.",
)
def candidates_seen(request: HttpRequest, file_id: int = path_id()):
    file = selectors.file_to_run(request.user, file_id)
    file = candidates_services.candidates_mark_seen(by=request.user, file=file)
    return _detail(request, file)


@router.post(
    "/files/{file_id}/candidates",
    response={201: CandidateOut, **ERRORS},
    summary="Ajouter une offre du Catalogue à la liste",
)
def candidate_add(request: HttpRequest, payload: CandidateIn, file_id: int = path_id()):
    file = selectors.file_to_run(request.user, file_id)
    offer = _offer_for(request, payload.offer_id)
    with _fields(offer="offer_id"):
        candidate = candidates_services.candidate_add(by=request.user, file=file, offer=offer)
    return Status(201, _one_candidate(request, file, candidate.pk))


@router.delete(
    "/files/{file_id}/candidates/{candidate_id}",
    response={204: None, **ERRORS},
    summary="Retirer une offre de la liste",
)
def candidate_remove(request: HttpRequest, file_id: int = path_id(), candidate_id: int = path_id()):
    file = selectors.file_to_run(request.user, file_id)
    candidates_services.candidate_remove(
        by=request.user, candidate=_candidate_of(file, candidate_id)
    )
    return Status(204, None)


@router.put(
    "/files/{file_id}/candidates/{candidate_id}/mapping",
    response={200: CandidateOut, **ERRORS},
    summary="Composantes de l'offre retenues pour chaque besoin",
)
def candidate_map(
    request: HttpRequest,
    payload: MappingIn,
    file_id: int = path_id(),
    candidate_id: int = path_id(),
):
    file = selectors.file_to_run(request.user, file_id)
    candidate = _candidate_of(file, candidate_id)
    candidates_services.candidate_map(by=request.user, candidate=candidate, mapping=payload.mapping)
    return _one_candidate(request, file, candidate.pk)


@router.post(
    "/files/{file_id}/requirements",
    response={201: RequirementOut, **ERRORS},
    summary="Ajouter une exigence évaluée par le client",
)
def requirement_add(request: HttpRequest, payload: RequirementIn, file_id: int = path_id()):
    file = selectors.file_to_run(request.user, file_id)
    requirement = candidates_services.requirement_add(
        by=request.user, file=file, label=payload.label
    )
    return Status(
        201,
        {
            "id": requirement.pk,
            "kind": requirement.kind,
            "label": requirement.label,
            "automatic": requirement.is_automatic,
        },
    )


@router.delete(
    "/files/{file_id}/requirements/{requirement_id}",
    response={204: None, **ERRORS},
    summary="Retirer une exigence évaluée par le client",
)
def requirement_remove(
    request: HttpRequest, file_id: int = path_id(), requirement_id: int = path_id()
):
    file = selectors.file_to_run(request.user, file_id)
    requirement = _requirement_of(file, requirement_id)
    candidates_services.requirement_remove(by=request.user, requirement=requirement)
    return Status(204, None)


@router.put(
    "/files/{file_id}/compliance/{candidate_id}/{requirement_id}",
    response={200: ComplianceOut, **ERRORS},
    summary="Conformité d'une offre à une exigence (étape 3)",
    description="met, not_met ou unknown, avec une note. Les exigences automatiques se "
    "vérifient seules.",
)
def compliance_record(
    request: HttpRequest,
    payload: ComplianceIn,
    file_id: int = path_id(),
    candidate_id: int = path_id(),
    requirement_id: int = path_id(),
):
    file = selectors.file_to_run(request.user, file_id)
    candidate = _candidate_of(file, candidate_id)
    requirement = _requirement_of(file, requirement_id)
    record = candidates_services.compliance_record(
        by=request.user,
        candidate=candidate,
        requirement=requirement,
        verdict=payload.verdict,
        note=payload.note,
    )
    return {
        "requirement_id": record.requirement_id,
        "verdict": record.verdict,
        "note": record.note,
        "updated_at": record.updated_at,
    }
