"""The document store's pages, one module per sub-flow: ``download`` (a version's bytes, through
the permission check, restricted documents' downloads audited), ``records`` (the broker's
records: filters, legal holds, the approval of disposals and their attestations),
``transmissions`` (what is owed to the broker) and ``verification`` (is a PDF the version the
broker validated and stamped?)."""
