"""API of the document store, under /api/v1/documents: the documents a person may see, their
versions and their downloads, through the same permission check as the pages (a restricted
document's download audited), and whether a PDF is the version the broker validated and
stamped (``verification``)."""

from courtier.documents.api.documents import router

__all__ = ["router"]
