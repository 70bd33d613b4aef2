"""API: the OCDS 1.1.5 release package of the concluded contracts (issue 14 §6;
courtier/publication/export.py says what it publishes, never personal information).

``GET /api/v1/publication/ocds.json``: for every signed-in person or token holder, and for
anyone when ``OCDS_PUBLIC_DOWNLOAD`` is on (the public, anonymous download; 401 otherwise, as
the rest of the API). The JSON text is ``ocds.dumps``'s, not ninja's encoder: its amounts are
exact JSON numbers (1234.56), never floats nor strings."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from ninja import Router
from ninja.security import HttpBearer, django_auth

from courtier.accounts.services import api_token_authenticate
from courtier.core.apierrors import ERRORS
from courtier.publication import export

router = Router()

PACKAGE_SCHEMA = "https://standard.open-contracting.org/schema/1__1__5/release-package-schema.json"


class TokenAuth(HttpBearer):
    """A personal token, as the API's own ``courtier.api.TokenAuth`` (a layer above, not
    importable here): same name, same OpenAPI scheme."""

    openapi_description = "Jeton personnel (Mon compte › Jetons d'API)"

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = api_token_authenticate(token)
        if user is not None:
            request.user = user
        return user


def public_download(request: HttpRequest) -> bool:
    """Anyone, when the setting turns the public download on (checked on each request)."""
    return bool(settings.OCDS_PUBLIC_DOWNLOAD)


@router.get(
    "/ocds.json",
    auth=[TokenAuth(), django_auth, public_download],
    response={**ERRORS},
    url_name="publication_ocds",
    summary="Publication OCDS 1.1.5 des contrats conclus",
    description=(
        "Paquet de publications (release package) OCDS 1.1.5 de chaque contrat conclu, en "
        "vigueur, terminé ou résilié, avec ses avenants signés, ses commandes et factures et sa "
        "résiliation ; aucun renseignement personnel. Montants en nombres JSON exacts. "
        "Accessible sans connexion lorsque le téléchargement public est activé "
        "(OCDS_PUBLIC_DOWNLOAD)."
    ),
    openapi_extra={
        "responses": {
            200: {
                "description": "Le paquet OCDS (release package), en pièce jointe",
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "externalDocs": {"url": PACKAGE_SCHEMA},
                            "description": "Schéma : release-package-schema.json d'OCDS 1.1.5",
                        }
                    }
                },
            }
        }
    },
)
def ocds_package(request: HttpRequest) -> HttpResponse:
    built = export.release_package()
    response = HttpResponse(built.text(indent=None), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{export.FILENAME}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
