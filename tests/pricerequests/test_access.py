"""The permission matrix of service acquisitions (issue 12 §10): every page and API operation of
/services and /api/v1/services, for every role, on its own organisation's object and another's,
plus anonymous access; tests/test_permission_matrix.py counts these rows as its own.

The rules, written from DOMAIN §1 and §4: a file is seen by the broker's staff and its body's
people (404 otherwise) and changed by those who run the body's acquisitions (403 for the others
who see it); the broker's admins and agents validate requests and publish the template; a
provider's people see only their provider's solicitations (another provider's: 404) and act on
them; responses are sealed until opened."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from courtier.calendar import selectors as calendar
from courtier.pricerequests.models import NonParticipation, ProviderQuestion, ServiceResponse
from courtier.pricerequests.services import questions as questions_services
from courtier.pricerequests.services import transitions
from tests.factories import pdf_bytes
from tests.pricerequests import factories
from tests.test_permission_matrix import (  # noqa: F401 (class_people is a fixture)
    ACQ_RUNNERS,
    ALL,
    BROKER_STAFF,
    BROWSERS,
    CLIENT_SIDE,
    DECIDERS,
    Route,
    World,
    _acq_body,
    _acq_runner,
    _check,
    allowed,
    class_people,
    everyone,
    fixed,
    json_route,
    on_files,
    page_route,
    redirected,
)

URL = "/api/v1/services"
reading = on_files(200, who_may=BROKER_STAFF | CLIENT_SIDE)
running = on_files(200)


def _file(w: World, who: str | None, own: bool, step: str = "needs"):
    """The body's file at ``step``, built once per row for each body."""
    body = _acq_body(w, who, own)
    return w.once(
        ("service_file", body.pk, step),
        lambda: factories.file_at(
            _acq_runner(w, body),
            body,
            step,
            broker=w.people["broker_agent"],
            responder_of=w.people["provider_rep"],
        ),
    )


def _files_url(suffix: str = "", step: str = "needs") -> Callable:
    return lambda w, who, own: f"{URL}/files/{_file(w, who, own, step).pk}{suffix}"


def _changed(w: World, who: str | None, own: bool):
    """A sent request whose change awaits the broker."""
    file = _file(w, who, own, "sent_now")

    def submit_change():
        code = file.request.template.sections[0]["code"]
        transitions.price_request_change_submit(
            by=_acq_runner(w, _acq_body(w, who, own)),
            request=file.request,
            sections={code: "Modifié."},
        )
        return file

    return w.once(("changed", file.pk), submit_change)


def _solicitation(w: World, who: str | None, own: bool, step: str = "sent_now"):
    """A solicitation of the body's file: the provider_rep's own provider's, or the other's."""
    file = _file(w, who, own, step)
    provider = w.orgs["provider"] if own or who != "provider_rep" else w.orgs["provider_other"]
    return file.request.solicitations.get(provider=provider)


def _solicitation_url(suffix: str = "", step: str = "sent_now") -> Callable:
    return lambda w, who, own: f"{URL}/solicitations/{_solicitation(w, who, own, step).pk}{suffix}"


def _question(w: World, who: str | None, own: bool) -> ProviderQuestion:
    file = _file(w, who, own, "sent_now")
    solicitation = file.request.solicitations.get(provider=w.orgs["provider"])
    return w.once(
        ("question", file.pk),
        lambda: questions_services.question_ask(
            by=w.people["provider_rep"], solicitation=solicitation, text="Combien de serveurs ?"
        ),
    )


def _response(w: World, who: str | None, own: bool) -> ServiceResponse:
    file = _file(w, who, own, "opened")
    return ServiceResponse.objects.get(solicitation__request=file.request)


def providers_own(ok: int, *, others_seeing: int = 403) -> Callable[[str, bool], int]:
    """A solicitation: its provider's people get ``ok`` (another provider's: 404); the broker's
    staff and the file's body's people see it (``others_seeing``); anyone else 404."""

    def expect(who: str, own: bool) -> int:
        if who == "provider_rep":
            return ok if own else 404
        if who in BROKER_STAFF or (own and who in CLIENT_SIDE):
            return others_seeing
        return 404

    return expect


def on_the_response(
    ok: int, *, provider: int, broker: int, body: int = 403
) -> Callable[[str, bool], int]:
    """The first provider's response of an opened file: the body's runners get ``ok``, the
    others of the body ``body``, the provider ``provider`` (it is the same provider whoever asks),
    the broker's staff ``broker``; anyone else 404."""

    def expect(who: str, own: bool) -> int:
        if who == "provider_rep":
            return provider
        if who in BROKER_STAFF:
            return broker
        if own and who in CLIENT_SIDE:
            return ok if who in ACQ_RUNNERS else body
        return 404

    return expect


def _question_answer(who: str, own: bool) -> int:
    if who == "provider_rep":
        return 403  # its own question: seen, not answered by it
    return running(who, own)


def _send_body(w: World, who: str | None, own: bool) -> dict:
    today = timezone.localdate()
    return {
        "deadline_on": calendar.business_days_after(today, 10).isoformat(),
        "question_cutoff_on": calendar.business_days_after(today, 3).isoformat(),
    }


def _first_section(w: World, who: str | None, own: bool) -> dict:
    code = _file(w, who, own, "sent_now").request.template.sections[0]["code"]
    return {"sections": {code: "Texte modifié."}}


def _upload(**fields) -> Callable:
    return lambda w, who, own: {
        **fields,
        "document": SimpleUploadedFile("document.pdf", pdf_bytes(f"matrice {who} {own}")),
    }


creating = allowed(ACQ_RUNNERS, 201, 403, other_only=frozenset())
validating = on_files(200, who_may=DECIDERS)
SERVICES_API = [
    Route(f"GET {URL}/files", "get", fixed(f"{URL}/files"), everyone, 401),
    json_route(
        f"POST {URL}/files",
        "post",
        fixed(f"{URL}/files"),
        lambda who, own: 201 if own and who in ACQ_RUNNERS else 403,
        lambda w, who, own: (
            {"title": "Services"} | ({} if own else {"client": w.orgs["client_other"].pk})
        ),
    ),
    Route(f"GET {URL}/files/{{file_id}}", "get", _files_url(), reading, 401),
    json_route(
        f"PATCH {URL}/files/{{file_id}}/needs",
        "patch",
        _files_url("/needs"),
        running,
        lambda w, who, own: {"title": "Services professionnels", "duration_months": 12},
    ),
    json_route(
        f"PUT {URL}/files/{{file_id}}/qualifications",
        "put",
        _files_url("/qualifications", "catalogue"),
        running,
        lambda w, who, own: {"codes": ["cyber"], "scope_confirmed": True},
    ),
    json_route(
        f"POST {URL}/files/{{file_id}}/shortlist/{{provider_id}}/exclude",
        "post",
        lambda w, who, own: _files_url(
            f"/shortlist/{w.orgs['provider_other'].pk}/exclude", "solicitation"
        )(w, who, own),
        running,
        lambda w, who, own: {"reason": "Conflit d'intérêts déclaré."},
    ),
    json_route(
        f"POST {URL}/files/{{file_id}}/shortlist/{{provider_id}}/include",
        "post",
        lambda w, who, own: _files_url(
            f"/shortlist/{w.orgs['provider_other'].pk}/include", "solicitation"
        )(w, who, own),
        running,
        lambda w, who, own: {},
    ),
    json_route(
        f"POST {URL}/files/{{file_id}}/transitions",
        "post",
        _files_url("/transitions"),
        running,
        lambda w, who, own: {"action": "abandon"},
    ),
    Route(
        f"GET {URL}/files/{{file_id}}/request",
        "get",
        _files_url("/request", "solicitation"),
        reading,
        401,
    ),
    json_route(
        f"PATCH {URL}/files/{{file_id}}/request",
        "patch",
        _files_url("/request", "solicitation"),
        running,
        lambda w, who, own: {"summary": "Résumé."},
    ),
    json_route(
        f"POST {URL}/files/{{file_id}}/request/submit",
        "post",
        _files_url("/request/submit", "filled"),
        running,
        lambda w, who, own: {},
    ),
    json_route(
        f"POST {URL}/files/{{file_id}}/request/approve",
        "post",
        _files_url("/request/approve", "submitted"),
        validating,
        lambda w, who, own: {},
    ),
    json_route(
        f"POST {URL}/files/{{file_id}}/request/return",
        "post",
        _files_url("/request/return", "submitted"),
        validating,
        lambda w, who, own: {"comment": "Portée à préciser."},
    ),
    json_route(
        f"POST {URL}/files/{{file_id}}/request/send",
        "post",
        _files_url("/request/send", "approved"),
        running,
        _send_body,
    ),
    json_route(
        f"POST {URL}/files/{{file_id}}/request/revise",
        "post",
        _files_url("/request/revise", "approved"),
        running,
        lambda w, who, own: {},
    ),
    json_route(
        f"POST {URL}/files/{{file_id}}/request/extend",
        "post",
        _files_url("/request/extend", "sent_now"),
        on_files(422),
        lambda w, who, own: {"deadline_on": "2031-01-10"},
    ),
    json_route(
        f"POST {URL}/files/{{file_id}}/request/changes",
        "post",
        _files_url("/request/changes", "sent_now"),
        running,
        _first_section,
    ),
    json_route(
        f"POST {URL}/files/{{file_id}}/request/changes/approve",
        "post",
        lambda w, who, own: f"{URL}/files/{_changed(w, who, own).pk}/request/changes/approve",
        validating,
        lambda w, who, own: {},
    ),
    json_route(
        f"POST {URL}/files/{{file_id}}/request/changes/return",
        "post",
        lambda w, who, own: f"{URL}/files/{_changed(w, who, own).pk}/request/changes/return",
        validating,
        lambda w, who, own: {"comment": "Hors portée."},
    ),
    json_route(
        f"POST {URL}/files/{{file_id}}/request/cancel",
        "post",
        _files_url("/request/cancel", "sent_now"),
        running,
        lambda w, who, own: {"reason": "Besoin reporté."},
    ),
    Route(f"GET {URL}/template", "get", fixed(f"{URL}/template"), everyone, 401),
    json_route(
        f"POST {URL}/templates",
        "post",
        fixed(f"{URL}/templates"),
        allowed(DECIDERS, 201, 403),
        lambda w, who, own: {"sections": [{"code": "objet", "title": "Objet"}]},
    ),
    Route(
        f"GET {URL}/validation-queue",
        "get",
        fixed(f"{URL}/validation-queue"),
        allowed(DECIDERS, 200, 403),
        401,
    ),
    Route(f"GET {URL}/solicitations", "get", fixed(f"{URL}/solicitations"), everyone, 401),
    Route(
        f"GET {URL}/solicitations/{{solicitation_id}}",
        "get",
        _solicitation_url(),
        providers_own(200, others_seeing=200),
        401,
    ),
    json_route(
        f"POST {URL}/solicitations/{{solicitation_id}}/questions",
        "post",
        _solicitation_url("/questions"),
        providers_own(201),
        lambda w, who, own: {"text": "Combien de serveurs Windows ?"},
    ),
    json_route(
        f"PUT {URL}/solicitations/{{solicitation_id}}/response",
        "put",
        _solicitation_url("/response"),
        providers_own(200),
        lambda w, who, own: {
            "lines": [{"activity": "Analyse", "rate_cents": 10_000, "hours": "10"}]
        },
    ),
    Route(
        f"POST {URL}/solicitations/{{solicitation_id}}/response/documents",
        "post",
        _solicitation_url("/response/documents"),
        providers_own(200),
        401,
        data=_upload(asked=factories.DOCUMENTS_ASKED[0]),
    ),
    json_route(
        f"POST {URL}/solicitations/{{solicitation_id}}/response/submit",
        "post",
        _solicitation_url("/response/submit"),
        providers_own(422),  # an empty response: its price is missing
        lambda w, who, own: {},
    ),
    json_route(
        f"POST {URL}/solicitations/{{solicitation_id}}/non-participation",
        "post",
        lambda w, who, own: f"{URL}/solicitations/{_silent(w, who, own).pk}/non-participation",
        lambda who, own: 200 if who == "provider_rep" and own else providers_own(200)(who, own),
        lambda w, who, own: {"reasons": ["workload"]},
    ),
    Route(
        f"GET {URL}/files/{{file_id}}/questions",
        "get",
        _files_url("/questions", "sent_now"),
        reading,
        401,
    ),
    json_route(
        f"POST {URL}/questions/{{question_id}}/answer",
        "post",
        lambda w, who, own: f"{URL}/questions/{_question(w, who, own).pk}/answer",
        _question_answer,
        lambda w, who, own: {"answer": "Trente-deux."},
    ),
    Route(
        f"GET {URL}/files/{{file_id}}/responses",
        "get",
        _files_url("/responses", "opened"),
        reading,
        401,
    ),
    Route(
        f"GET {URL}/responses/{{response_id}}",
        "get",
        lambda w, who, own: f"{URL}/responses/{_response(w, who, own).pk}",
        on_the_response(200, provider=200, broker=200, body=200),
        401,
    ),
    json_route(
        f"POST {URL}/responses/{{response_id}}/completeness",
        "post",
        lambda w, who, own: f"{URL}/responses/{_response(w, who, own).pk}/completeness",
        on_the_response(200, provider=403, broker=403),
        lambda w, who, own: {"complete": True},
    ),
    json_route(
        f"POST {URL}/files/{{file_id}}/choice",
        "post",
        _files_url("/choice", "decided"),
        on_the_response(200, provider=404, broker=403),
        lambda w, who, own: {
            "response_id": ServiceResponse.objects.get(
                solicitation__request=_file(w, who, own, "decided").request
            ).pk
        },
    ),
    json_route(
        f"PATCH {URL}/files/{{file_id}}/choice-options",
        "patch",
        _files_url("/choice-options", "opened"),
        running,
        lambda w, who, own: {"own_rule": "Règle interne 4.2."},
    ),
    Route(
        f"POST {URL}/files/{{file_id}}/head-authorisation",
        "post",
        _files_url("/head-authorisation", "decided"),
        on_files(422),  # no choice yet that calls for it
        401,
        data=_upload(
            justification="Expérience.", head_name="Sous-ministre", authorised_on="2026-10-20"
        ),
    ),
    json_route(
        f"POST {URL}/files/{{file_id}}/financial-authorisation",
        "post",
        _files_url("/financial-authorisation", "opened"),
        on_files(201),
        lambda w, who, own: {
            "amount_cents": 100_000_00,
            "authorised_on": "2026-10-20",
            "authorised_by_name": "Finances",
        },
    ),
    Route(
        f"GET {URL}/files/{{file_id}}/non-participation",
        "get",
        _files_url("/non-participation", "opened"),
        reading,
        401,
    ),
    Route(
        f"GET {URL}/files/{{file_id}}/handoff",
        "get",
        _files_url("/handoff", "handed_off"),
        reading,
        401,
    ),
]


def _silent(w: World, who: str | None, own: bool):
    """The solicitation of a provider that did not respond, on an opened file: the provider_rep's
    own provider's when ``own`` (it responded on no other file), else the other's."""
    file = _file(w, who, own, "opened")
    questionnaire = NonParticipation.objects.filter(solicitation__request=file.request)
    if who == "provider_rep" and own:
        # Its own provider responded on this file: use a file where it stays silent.
        silent_file = w.once(
            ("silent", file.pk),
            lambda: factories.file_at(
                _acq_runner(w, _acq_body(w, who, own)),
                _acq_body(w, who, own),
                "opened",
                broker=w.people["broker_agent"],
                responder_of=_other_rep(w),
            ),
        )
        return silent_file.request.solicitations.get(provider=w.orgs["provider"])
    return questionnaire.get(solicitation__provider=w.orgs["provider_other"]).solicitation


def _other_rep(w: World):
    from tests.factories import make_person

    return w.once(
        ("other_rep",), lambda: make_person(w.orgs["provider_other"], "provider_rep", "g")
    )


def _page(step: str, suffix: str = "") -> Callable:
    return lambda w, who, own: f"/services/{_file(w, who, own, step).pk}/{suffix}"


SERVICES_PAGES = [
    page_route("pricerequests:file_list", "get", fixed("/services/"), allowed(BROWSERS, 200, 403)),
    page_route(
        "pricerequests:file_create",
        "post",
        fixed("/services/nouveau/"),
        allowed(ACQ_RUNNERS, 422, 403),
        lambda w, who, own: {"title": ""},
    ),
    page_route("pricerequests:file_detail", "get", _page("needs"), reading),
    page_route("pricerequests:file_action", "post", _page("needs", "besoins/"), on_files(422)),
    page_route(
        "pricerequests:validation_queue",
        "get",
        fixed("/services/validation/"),
        allowed(DECIDERS, 200, 403),
    ),
    page_route(
        "pricerequests:request_decide",
        "post",
        lambda w, who, own: (
            f"/services/validation/{_file(w, who, own, 'submitted').request.pk}/retourner/"
        ),
        lambda who, own: 422 if who in DECIDERS else 403,
    ),
    page_route(
        "pricerequests:template", "get", fixed("/services/gabarit/"), allowed(DECIDERS, 200, 403)
    ),
    page_route(
        "pricerequests:inbox",
        "get",
        fixed("/services/demandes-recues/"),
        allowed(frozenset({"provider_rep"}), 200, 403),
    ),
    page_route(
        "pricerequests:solicitation_detail",
        "get",
        lambda w, who, own: f"/services/demandes-recues/{_solicitation(w, who, own).pk}/",
        providers_own(200, others_seeing=200),
    ),
    page_route(
        "pricerequests:solicitation_action",
        "post",
        lambda w, who, own: f"/services/demandes-recues/{_solicitation(w, who, own).pk}/question/",
        providers_own(422),
        lambda w, who, own: {"text": ""},
    ),
]
SERVICES_ROUTES = SERVICES_PAGES + SERVICES_API


@pytest.mark.django_db
class TestAccessToServiceAcquisitions:
    @pytest.fixture(scope="class")
    def services_world(self, class_people, django_db_blocker):  # noqa: F811
        """The class's people and the providers qualified once."""
        from tests.helpers import world_kept_for

        orgs, people, sessions = class_people
        with world_kept_for(django_db_blocker):
            factories.qualify_providers(orgs)
            yield orgs, people, sessions

    @pytest.fixture
    def world(self, services_world):
        return World(*services_world)

    @pytest.mark.parametrize("route", SERVICES_ROUTES, ids=lambda r: r.key)
    def test_access_matrix(self, route, world, client):
        _check(route, world, client)
