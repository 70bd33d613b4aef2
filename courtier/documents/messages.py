"""Error messages of the document store (French, shared by code and tests)."""

from django.utils.translation import gettext_lazy as _

DISPOSED = _("Ce document a été éliminé : on ne peut plus lui ajouter de version.")
