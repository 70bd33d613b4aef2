"""The document store's writers, one module per sub-domain: ``store`` (keeping documents and
their versions, downloads of restricted ones), ``retention`` (disposal dates, legal holds,
disposals and their attestations), ``transmissions`` (what is owed to the broker) and
``integrity`` (re-hashing what is stored)."""
